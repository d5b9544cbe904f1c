import GRDB

/// The journal mode and sync level of one of the store's SQLite connections.
public struct ConnectionDurability: Sendable, Hashable {
    /// `writer`, `reader` or `checkpointer`.
    public var connection: String
    public var journalMode: String
    /// SQLite's `PRAGMA synchronous`: 0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA.
    public var synchronous: Int

    /// WAL everywhere; FULL (or EXTRA) where the connection writes. Readers never write, so their sync
    /// level does not matter.
    public var isDurable: Bool {
        journalMode == "wal" && (connection == "reader" || synchronous >= 2)
    }
}

extension RelationalStore {
    /// The settings of every kind of connection the store opens: the single writer, a reader of the
    /// pool, and the WAL checkpointer's own connection. The store refuses to open unless all are durable.
    /// (Empty on PostgreSQL, whose durability is the server's `fsync` and `synchronous_commit`.)
    public func durabilitySettings() throws -> [ConnectionDurability] {
        guard let sqlite else { return [] }
        return try RelationalStore.durabilitySettings(pool: sqlite.pool, checkpointer: sqlite.checkpointer)
    }

    static func durabilitySettings(pool: DatabasePool, checkpointer: WALCheckpointer) throws -> [ConnectionDurability] {
        func read(_ db: Database, _ name: String) throws -> ConnectionDurability {
            ConnectionDurability(connection: name, journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "",
                                 synchronous: try Int.fetchOne(db, sql: "PRAGMA synchronous") ?? -1)
        }
        return [
            try pool.writeWithoutTransaction { try read($0, "writer") },
            try pool.read { try read($0, "reader") },
            try checkpointer.queue.inDatabase { try read($0, "checkpointer") },
        ]
    }
}
