import AssayDomain
import Foundation
import GRDB
import TransparencyLog

extension RelationalStore {
    /// Opens (creating and migrating when needed) the SQLite database at `path`.
    /// - Parameters:
    ///   - signer: the log's checkpoint key; its name is the log's origin, fixed when the log is created.
    ///   - clock: the time written into entries; the system clock unless a test fixes it.
    public convenience init(path: String, geography: Geography, signer: Ed25519NoteSigner,
                            clock: @escaping @Sendable () -> Timestamp = RelationalStore.systemClock) throws {
        try self.init(path: path, geography: geography, signers: [signer], clock: clock)
    }

    /// Opens the SQLite database with every checkpoint key the operator holds (a key file may hold
    /// several during a rotation). The first creates a new log; an existing log signs with the keys its
    /// journal names (``LogKeySchedule``), and refuses to open without the current one.
    public convenience init(path: String, geography: Geography, signers: [Ed25519NoteSigner],
                            clock: @escaping @Sendable () -> Timestamp = RelationalStore.systemClock) throws {
        guard let signer = signers.first else { throw StoreCorruption(table: "meta", key: "key", reason: "no signing key given") }
        var config = Configuration()
        config.busyMode = .timeout(10)
        let pool = try DatabasePool(path: path, configuration: config)
        // GRDB sets synchronous = NORMAL on pools after prepareDatabase; durability needs FULL (STYLE.md).
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        try SQLiteSchema.migrator.migrate(pool)
        // No checkpoint inside commits: the checkpointer's own connection does it (see WALCheckpointer).
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864") }
        let checkpointer = try WALCheckpointer(path: path)
        // Refuse to run without durable commits: every connection in WAL mode, the writer (and the
        // checkpointer) syncing with `synchronous = FULL`, so an acknowledged append is on disk.
        for setting in try RelationalStore.durabilitySettings(pool: pool, checkpointer: checkpointer) where !setting.isDurable {
            throw StoreCorruption(table: "pragma", key: setting.connection,
                                  reason: "journal_mode \(setting.journalMode), synchronous \(setting.synchronous): commits would not be durable")
        }
        let opened = try pool.write { db in try RelationalStore.load(GRDBConnection(db: db), signer: signer) }
        try self.init(engine: SQLiteEngine(pool: pool), sqlite: (pool, checkpointer), opened: opened,
                      geography: geography, signers: signers, clock: clock)
    }
}
