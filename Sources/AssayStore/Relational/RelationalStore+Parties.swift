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
        let all = ids.sorted()
        return try await engine.read { db in
            var out: [String: String] = [:]
            var start = 0
            while start < all.count {
                let part = Array(all[start..<min(all.count, start + 500)])
                let marks = Array(repeating: "?", count: part.count).joined(separator: ", ")
                for row in try db.rows("SELECT id, name FROM party WHERE id IN (\(marks))", SQLArguments(part.map { SQLValue.text($0) })) {
                    out[try row[0]] = try row[1]
                }
                start += part.count
            }
            return out
        }
    }

    /// Every registered party's id and name, packed for substring search; read again only when a
    /// published entry changes the registry's entities (``viewGenerations()``), shared by concurrent callers.
    public func partyNameIndex() async throws -> PartyNameIndex {
        let generation = try await viewGenerations().registry
        let task = partyIndexCache.withLock { cache -> Task<PartyNameIndex, any Error> in
            if let cache, cache.generation == generation { return cache.task }
            let engine = self.engine
            let t = Task {
                try await engine.read { db -> PartyNameIndex in
                    var index = PartyNameIndex()
                    var last = ""
                    // Pages of 10,000 by id, so a million parties never sit in memory as rows.
                    while true {
                        let page = try db.rows("SELECT id, name FROM party WHERE id > ? ORDER BY id LIMIT 10000", [last])
                        for row in page {
                            last = try row[0]
                            index.add(id: last, name: try row[1])
                        }
                        if page.count < 10_000 { return index }
                    }
                }
            }
            cache = (generation, t)
            return t
        }
        do { return try await task.value } catch {
            partyIndexCache.withLock { cache in if cache?.task == task { cache = nil } }
            throw error
        }
    }

    /// How many parties are registered.
    public func partyCount() async throws -> Int {
        try await engine.read { db in try db.value(Int.self, "SELECT COUNT(*) FROM party") ?? 0 }
    }
}
