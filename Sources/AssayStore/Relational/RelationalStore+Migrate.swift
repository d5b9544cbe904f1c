import AssayDomain
import Foundation

/// What `assay migrate` copied.
public struct MigrationSummary: Sendable {
    /// Rows copied per table.
    public var rows: [String: Int]
}

extension RelationalStore {
    /// The tables that hold what the projections cannot rebuild, in the order they are copied, with
    /// their columns: the journal (the truth), sealed details, the log's tiles, checkpoints and
    /// cosignatures, the log's meta (origin, first key) and API tokens.
    static let truthTables: [(table: String, columns: String, order: String)] = [
        ("meta", "key, value", "key"),
        ("journal", "seq, time, author, type, subject, bytes", "seq"),
        ("sealed_detail", "hash, json", "hash"),
        ("log_tile", "level, idx, width, data", "level, idx, width"),
        ("log_checkpoint", "size, note", "size"),
        ("log_cosignature", "size, name, line", "size, name"),
        ("api_token", "id, hash, role, party, created, revoked, expires, last_used", "id"),
        ("subscription", "id, url, match, created_by, created, cursor, attempts, next_attempt, last_error, delivered", "id"),  // leases stay behind
    ]

    /// Copies a registry into this one, which must be empty (its journal holds nothing), backend to
    /// backend: the journal, sealed details, tiles, checkpoints, cosignatures, the log's keys and API
    /// tokens as stored, byte for byte, in pages of 2,000 rows; then replays the journal into this
    /// store's projections. The caller reopens the target and verifies it (`assay migrate` does: same
    /// checkpoint root, same projections).
    public func copy(from source: RelationalStore) async throws -> MigrationSummary {
        guard try await journalSize() == 0 else {
            throw VerificationFailure(message: "the target already holds a journal; migrate into an empty database")
        }
        var counts: [String: Int] = [:]
        for t in RelationalStore.truthTables {
            let marks = t.columns.split(separator: ",").map { _ in "?" }.joined(separator: ", ")
            let conflict = t.table == "meta" ? " ON CONFLICT (key) DO UPDATE SET value = excluded.value" : ""
            var offset = 0
            while true {
                let at = offset
                let page = try await source.engine.read { db in
                    try db.rows("SELECT \(t.columns) FROM \(t.table) ORDER BY \(t.order) LIMIT 2000 OFFSET ?", [at])
                }
                if page.isEmpty { break }
                // The entry-key index is rebuilt from the journal on the target, not copied: its mark stays behind.
                let rows = t.table == "meta" ? page.filter { (try? $0["key"] as String) != "entry_key_hwm" } : page
                try await engine.write { db in
                    for row in rows {
                        try db.execute("INSERT INTO \(t.table)(\(t.columns)) VALUES (\(marks))\(conflict)", SQLArguments(row.values))
                    }
                }
                counts[t.table, default: 0] += page.count
                offset += page.count
                if page.count < 2000 { break }
            }
        }
        _ = try await rebuild()
        return MigrationSummary(rows: counts)
    }
}
