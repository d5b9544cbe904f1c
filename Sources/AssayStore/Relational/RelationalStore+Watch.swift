import AssayDomain
import Foundation

/// What anyone watching the registry reads: entries matching keys (``EntryKeys``), newest first, for feeds,
/// subscriptions and monitors.
///
/// The key index (`entry_key`) is kept outside the write path: it is brought up to the served checkpoint when
/// read (``indexEntryKeys()``), so appends pay nothing for it. It is derived from the public journal alone,
/// like the log, and never from projections or sealed details.
extension RelationalStore {
    /// Indexes the keys of every entry up to the served size that is not indexed yet. Safe to run from
    /// several servers at once (rows already there are skipped).
    /// - Returns: the size the index now covers.
    @discardableResult
    public func indexEntryKeys() async throws -> Int64 {
        let target = Int64(servedSize)
        var done = try await engine.read { db in
            Int64(try db.value(String.self, "SELECT value FROM meta WHERE key = 'entry_key_hwm'") ?? "0") ?? 0
        }
        while done < target {
            let from = done
            done = try await engine.write { db -> Int64 in
                let rows = try db.rows("SELECT seq, bytes FROM journal WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT 2000", [from, target])
                var pairs: [(String, Int64)] = []
                var last = from
                var places: [(seq: Int64, sites: [String], titles: [String])] = []
                for row in rows {
                    let seq: Int64 = try row["seq"]
                    let bytes = [UInt8](try row["bytes"] as Data)
                    if case .object(let entry)? = try? JSONParser.parse(bytes), let command = entry["command"] {
                        let keys = EntryKeys.keys(of: command)
                        for k in keys { pairs.append((k, seq)) }
                        let sites = keys.filter { $0.hasPrefix("site:") }.map { String($0.dropFirst(5)) }
                        let titles = keys.filter { $0.hasPrefix("title:") }.map { String($0.dropFirst(6)) }
                        if !sites.isEmpty || !titles.isEmpty { places.append((seq, sites, titles)) }
                    }
                    last = seq
                }
                // The provinces of the sites and titles touched, as the registry holds them.
                var siteProvince: [String: String] = [:], titleProvinces: [String: [String]] = [:]
                let siteIDs = Array(Set(places.flatMap(\.sites))), titleIDs = Array(Set(places.flatMap(\.titles)))
                for r in try db.rows(forEachOf: siteIDs, { "SELECT id, province FROM site WHERE id IN (\($0)) AND province IS NOT NULL" }) {
                    siteProvince[try r["id"]] = try r["province"]
                }
                for r in try db.rows(forEachOf: titleIDs, { "SELECT id, provinces FROM concession WHERE id IN (\($0))" }) {
                    let text: String = try r["provinces"]
                    titleProvinces[try r["id"]] = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                }
                for p in places {
                    var provinces = Set(p.sites.compactMap { siteProvince[$0] })
                    for t in p.titles { provinces.formUnion(titleProvinces[t] ?? []) }
                    for code in provinces { pairs.append(("province:" + code, p.seq)) }
                }
                for chunk in stride(from: 0, to: pairs.count, by: 400) {
                    let part = pairs[chunk..<min(chunk + 400, pairs.count)]
                    var args = SQLArguments([])
                    for (k, s) in part { args += [k, s] }
                    try db.execute("INSERT INTO entry_key(key, seq) VALUES " + Array(repeating: "(?, ?)", count: part.count).joined(separator: ", ")
                                   + " ON CONFLICT DO NOTHING", args)
                }
                if last == from { last = target }  // no journal rows left in range (cannot happen below the served size)
                try db.execute("""
                    INSERT INTO meta(key, value) VALUES ('entry_key_hwm', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value
                    WHERE CAST(meta.value AS BIGINT) < CAST(excluded.value AS BIGINT)
                    """, [String(last)])
                return last
            }
        }
        return done
    }

    /// The published entries whose keys include every one of `keys` (all entries when empty), newest first:
    /// at most `limit`, below `before` when given. The key index is brought up to date first.
    public func entries(matching keys: [String], before: Int64? = nil, limit: Int) async throws -> [StoredEntry] {
        let covered = try await indexEntryKeys()
        let upper = min(covered, (before ?? Int64.max) - 1)
        guard upper >= 1, limit >= 1 else { return [] }
        return try await engine.read { db in
            let seqs: [Int64]
            if keys.isEmpty {
                seqs = try db.values(Int64.self, "SELECT seq FROM journal WHERE seq <= ? ORDER BY seq DESC LIMIT ?", [upper, limit])
            } else {
                var sql = "SELECT seq FROM entry_key WHERE key = ? AND seq <= ?"
                var args: SQLArguments = [keys[0], upper]
                for k in keys.dropFirst() {
                    sql += " AND seq IN (SELECT seq FROM entry_key WHERE key = ?)"
                    args += [k]
                }
                args += [limit]
                seqs = try db.values(Int64.self, sql + " ORDER BY seq DESC LIMIT ?", args)
            }
            guard !seqs.isEmpty else { return [] }
            let marks = Array(repeating: "?", count: seqs.count).joined(separator: ", ")
            let rows = try db.rows("SELECT seq, bytes FROM journal WHERE seq IN (\(marks)) ORDER BY seq DESC", SQLArguments(seqs.map { .integer($0) }))
            return try rows.map { StoredEntry(sequence: try $0["seq"], bytes: [UInt8](try $0["bytes"] as Data)) }
        }
    }
}
