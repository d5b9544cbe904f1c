import AssayDomain

extension RelationalStore {
    /// One registered party as `role` may see it, read by its id (the registry snapshot holds only the
    /// parties its relations name: a registry can hold millions of parties, and a party page needs one).
    public func party(_ id: String, as role: Role) async throws -> Party? {
        guard let record = try await find(id, as: role), record.kind == .party else { return nil }
        return try Party(json: JSONObject(record.json, path: ""))
    }

    /// The names of these parties (those registered), read by id in pages of 500.
    public func partyNames(_ ids: Set<String>) async throws -> [String: String] {
        guard !ids.isEmpty else { return [:] }
        return try await engine.read { db in
            var out: [String: String] = [:]
            for row in try db.rows(forEachOf: ids.sorted(), { "SELECT id, name FROM party WHERE id IN (\($0))" }) { out[try row[0]] = try row[1] }
            return out
        }
    }

    /// The ids of the parties whose id or name contains `text` (compared lower-cased), in the order they
    /// were registered, at most `limit`. Read from the search projection's trigram index (SQLite FTS5,
    /// PostgreSQL pg_trgm), so the cost follows the matches, not the number of parties; a needle of fewer
    /// than three characters, which no trigram index can narrow, scans in registration order and stops
    /// at `limit` (short needles match often).
    public func searchParties(_ text: String, limit: Int) async throws -> [String] {
        let needle = text.lowercased()
        // A NUL ends a string for SQLite's FTS5 and is not text to PostgreSQL: such a needle finds nothing.
        guard !needle.isEmpty, limit > 0, !needle.unicodeScalars.contains("\u{0}") else { return [] }
        let limit = min(limit, 10_000)
        return try await engine.read { db in
            let like = "%" + needle.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%")
                .replacingOccurrences(of: "_", with: "\\_") + "%"
            switch db.dialect {
            case .sqlite where needle.count >= 3:
                // A phrase of the needle's trigrams: any substring of `key` or `name` (double quotes doubled).
                let phrase = "\"" + needle.replacingOccurrences(of: "\"", with: "\"\"") + "\""
                return try db.values(String.self, "SELECT id FROM party_search WHERE party_search MATCH ? ORDER BY rowid LIMIT ?", [phrase, limit])
            case .sqlite:
                return try db.values(String.self, """
                    SELECT id FROM party_search WHERE key LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' ORDER BY rowid LIMIT ?
                    """, [like, like, limit])
            case .postgres:
                return try db.values(String.self, """
                    SELECT id FROM party_search WHERE key LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\' ORDER BY seq LIMIT ?
                    """, [like, like, limit])
            }
        }
    }

    static let partySearchInsert = "INSERT INTO party_search(seq, id, key, name) VALUES (?, ?, ?, ?)"

    /// Fills the search projection from the parties already registered (the migration that adds it), in
    /// registration order, lower-cased as the projector does.
    static func fillPartySearch(_ db: any SQLConnection) throws {
        var after: Int64 = 0
        while true {
            let page = try db.rows("""
                SELECT e.seq, p.id, p.name FROM party p JOIN entity e ON e.id = p.id WHERE e.seq > ? ORDER BY e.seq LIMIT 10000
                """, [after])
            for row in page {
                after = try row[0]
                let id: String = try row[1], name: String = try row[2]
                try db.execute(partySearchInsert, [after, id, id.lowercased(), name.lowercased()])
            }
            if page.count < 10_000 { return }
        }
    }

    /// How many parties are registered.
    public func partyCount() async throws -> Int {
        try await engine.read { db in try db.value(Int.self, "SELECT COUNT(*) FROM party") ?? 0 }
    }
}
