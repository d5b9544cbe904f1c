import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO
import Synchronization

/// The PostgreSQL backend's connections. Statements run synchronously on threads of its own pools
/// (see ``PGConnection``): reads on up to `readers` connections, each read in one REPEATABLE READ
/// READ ONLY transaction (a consistent snapshot); writes on one connection to the primary.
///
/// Several Assay servers may write to one database: every log write transaction first locks the
/// coordination row `log_head` (``lockLog(_:tail:)``), so indexes are handed out in one order; a
/// checkpoint is signed only after its entries' transaction committed — with `synchronous_commit`
/// and a synchronous standby, once the standby has them (``signsAfterCommit``).
///
/// A URL with several hosts names the nodes of a cluster: the writer connects to the one that is the
/// primary (`pg_is_in_recovery()` false) and, after a failover, finds the new one; readers use any
/// node that answers, or the replicas given separately (`--read-db`).
public final class PostgresEngine: SQLEngine {
    public var dialect: SQLDialect { .postgres }
    public var signsAfterCommit: Bool { true }
    public var isShared: Bool { true }
    public var defersWrites: Bool { true }
    public var readsFromReplicas: Bool { separateReaders }

    let url: PostgresURL
    let readURL: PostgresURL
    let separateReaders: Bool
    let logger = Logger(label: "assay.postgres")
    let readPool: PGPool
    let writePool: PGPool
    let readThreads: NIOThreadPool
    let writeThread: NIOThreadPool

    /// - Parameters:
    ///   - readURL: replicas to read from (default: the same nodes as `url`).
    ///   - replicationWait: how long a write waits for a synchronous standby to confirm its commit.
    public init(url: PostgresURL, readURL: PostgresURL? = nil, readers: Int = 4, replicationWait: Duration = .seconds(5)) {
        self.url = url
        self.replicationWait = replicationWait
        self.readURL = readURL ?? url
        separateReaders = readURL != nil
        readPool = PGPool(url: readURL ?? url, primaryOnly: readURL == nil, logger: logger)
        writePool = PGPool(url: url, primaryOnly: true, logger: logger)
        readThreads = NIOThreadPool(numberOfThreads: max(1, readers))
        writeThread = NIOThreadPool(numberOfThreads: 1)
        readThreads.start()
        writeThread.start()
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let pool = readPool
        return try await readThreads.runIfActive {
            try pool.with { conn in
                try conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                do {
                    let r = try body(conn)
                    try conn.execute("COMMIT")
                    return r
                } catch {
                    try? conn.execute("ROLLBACK")
                    throw error
                }
            }
        }
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let pool = writePool
        let replicationWait = self.replicationWait
        return try await writeThread.runIfActive {
            try pool.with { conn in
                try conn.execute("BEGIN")
                let r: T
                do { r = try body(conn) } catch {
                    try? conn.execute("ROLLBACK")
                    throw error
                }
                // With synchronous_commit on and a synchronous standby, COMMIT returns once the standby
                // has flushed the transaction: only then is anything in it acknowledged or signed.
                try conn.execute("COMMIT")
                try PostgresEngine.confirmReplicated(conn, within: replicationWait)
                return r
            }
        }
    }

    public func writeEachStatement<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await withPrimary(body)
    }

    /// Runs `body` outside any transaction on the primary (schema migrations, administration).
    public func withPrimary<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        let pool = writePool
        return try await writeThread.runIfActive { try pool.with { try body($0) } }
    }

    public func replayDelay(_ conn: any SQLConnection) throws -> Double? {
        try conn.value(Double.self, """
            SELECT CASE WHEN pg_is_in_recovery()
                        THEN COALESCE(EXTRACT(EPOCH FROM clock_timestamp() - pg_last_xact_replay_timestamp()), 0)::float8
                        ELSE 0 END
            """)
    }

    /// How long ``confirmReplicated(_:within:)`` waits for a synchronous standby before giving up.
    let replicationWait: Duration

    /// Checks, after a COMMIT, that a synchronous standby has the transaction. COMMIT normally returns
    /// only then — but when the wait for the standby is cancelled (`pg_cancel_backend`, a timeout), it
    /// returns success with a WARNING ("committed locally, but might not have been replicated") that
    /// PostgresNIO does not pass on. Signing then would let a failover un-publish a signed tree. So when
    /// `synchronous_standby_names` is set, a synchronous (or quorum) standby must have flushed past the
    /// WAL position read after the COMMIT; it is asked again every millisecond up to `within`, then the
    /// write fails (503: nothing in it acknowledged or signed; its entries, committed here, are taken in
    /// and signed by a later write once replicated). One statement when no standby is configured.
    static func confirmReplicated(_ conn: any SQLConnection, within: Duration) throws {
        guard let row = try conn.row("""
            SELECT current_setting('synchronous_standby_names'), pg_current_wal_insert_lsn()::text, pg_has_role('pg_read_all_stats', 'USAGE')
            """) else { return }
        let names: String = try row[0]
        guard !names.trimmingCharacters(in: .whitespaces).isEmpty else { return }
        let lsn: String = try row[1]
        let canSee: Int64 = try row[2]
        guard canSee != 0 else {
            throw StorageFailure(kind: .io, message: """
                PostgreSQL has a synchronous standby (synchronous_standby_names = \(names)) but this role cannot see \
                pg_stat_replication's positions to check it confirmed a commit; GRANT pg_read_all_stats (or pg_monitor) TO the role Assay connects as
                """)
        }
        let deadline = ContinuousClock.now + within
        while true {
            let confirmed = try conn.value(Int64.self, """
                SELECT count(*) FROM pg_stat_replication WHERE sync_state IN ('sync', 'quorum') AND flush_lsn >= ?::pg_lsn
                """, [lsn]) ?? 0
            if confirmed > 0 { return }
            guard ContinuousClock.now < deadline else {
                throw StorageFailure(kind: .io, message: "no synchronous standby confirmed the commit (WAL \(lsn)) within \(within); nothing was acknowledged or signed")
            }
            Thread.sleep(forTimeInterval: 0.001)
        }
    }

    public func lockLog(_ conn: any SQLConnection, tail: Int) throws -> (size: Int, bytes: [UInt8]?)? {
        // The locked row is read again once the lock is held (READ COMMITTED re-checks it); the subquery
        // reads the statement's snapshot, taken before any wait.
        guard let row = try conn.row("SELECT size, (SELECT bytes FROM journal WHERE seq = ?) FROM log_head WHERE id = 1 FOR UPDATE", [tail]) else {
            throw StoreCorruption(table: "log_head", key: "1", reason: "the log's head row is missing")
        }
        return (try row[0], try row[1])
    }

    /// A store dropped without ``close()`` still stops its threads and connections (PostgresNIO and
    /// NIO assert that both are shut down before they go).
    deinit {
        readPool.closeAll()
        writePool.closeAll()
        readThreads.shutdownGracefully { _ in }
        writeThread.shutdownGracefully { _ in }
    }

    public func close() async {
        readPool.closeAll()
        writePool.closeAll()
    }
}

/// Connections to one URL's nodes, taken and given back by the threads of one thread pool (so never
/// more than its threads). A connection that failed is closed and not reused; the next use connects
/// again, to whichever node is the primary by then.
final class PGPool: Sendable {
    let url: PostgresURL
    let primaryOnly: Bool
    let logger: Logger
    private let idle = Mutex<[PostgresConnection]>([])
    private let nextID = Atomic<Int>(1)

    init(url: PostgresURL, primaryOnly: Bool, logger: Logger) {
        self.url = url
        self.primaryOnly = primaryOnly
        self.logger = logger
    }

    /// Runs `body` on a connection, blocking this (thread-pool) thread.
    func with<T>(_ body: (PGConnection) throws -> T) throws -> T {
        let connection = try take()
        let conn = PGConnection(connection: connection, logger: logger)
        do {
            let r = try body(conn)
            give(connection)
            return r
        } catch let e as StorageFailure {
            // The connection (or the node) failed: do not reuse it.
            _ = try? connection.close().wait()
            throw e
        } catch {
            if connection.isClosed { _ = try? connection.close().wait() } else { give(connection) }
            throw error
        }
    }

    private func take() throws -> PostgresConnection {
        while let c = idle.withLock({ $0.popLast() }) {
            if !c.isClosed { return c }
        }
        return try connect()
    }

    private func give(_ c: PostgresConnection) {
        guard !c.isClosed else { return }
        idle.withLock { $0.append(c) }
    }

    func closeAll() {
        let all = idle.withLock { conns -> [PostgresConnection] in defer { conns.removeAll() }; return conns }
        for c in all { _ = try? c.close().wait() }
    }

    deinit { closeAll() }

    /// Connects to the first node that answers (and, for writes, is the primary).
    private func connect() throws -> PostgresConnection {
        var reasons: [String] = []
        for host in url.hosts {
            var config = PostgresConnection.Configuration(host: host.name, port: host.port, username: url.user, password: url.password,
                                                          database: url.database, tls: .disable)
            config.options.connectTimeout = .seconds(3)
            let id = nextID.wrappingAdd(1, ordering: .relaxed).oldValue
            do {
                let c = try PostgresConnection.connect(on: MultiThreadedEventLoopGroup.singleton.next(), configuration: config,
                                                       id: id, logger: logger).wait()
                if primaryOnly {
                    let standby: Bool
                    do {
                        let rows = try c.query(PostgresQuery(unsafeSQL: "SELECT pg_is_in_recovery()"), logger: logger).wait()
                        standby = try rows.rows.first.map { try $0.decode(Bool.self) } ?? true
                    } catch {
                        _ = try? c.close().wait()
                        throw error
                    }
                    if standby {
                        reasons.append("\(host.name):\(host.port) is a standby")
                        _ = try? c.close().wait()
                        continue
                    }
                }
                return c
            } catch {
                reasons.append("\(host.name):\(host.port): \(PGPool.short(error))")
            }
        }
        throw StorageFailure(kind: .io, message: "no PostgreSQL \(primaryOnly ? "primary" : "node") reachable at \(url) (\(reasons.joined(separator: "; ")))")
    }

    static func short(_ error: any Error) -> String {
        if let e = error as? PSQLError {
            if let m = e.serverInfo?[.message] { return m }
            if let u = e.underlying { return String(describing: u) }
            return "\(e.code)"
        }
        return String(describing: error)
    }
}
