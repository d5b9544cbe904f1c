/// A backend's connections: reads on a consistent snapshot, and write transactions. The registry's
/// store (``RelationalStore``) does all its I/O through one of these, so SQLite and PostgreSQL differ
/// only in how connections are made, how the log's writers are serialised and how durability is kept.
public protocol SQLEngine: Sendable {
    var dialect: SQLDialect { get }
    /// Runs `body` on one connection that sees one consistent state of the database, off the caller's thread.
    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
    /// Runs `body` in one transaction, committed when it returns and rolled back when it throws. The
    /// commit is durable (and, on PostgreSQL with a synchronous standby, replicated) when this returns.
    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
    /// Runs `body` on the writing connection outside any transaction: each statement commits (durably)
    /// on its own. For a write that is one statement, a transaction would only add two round trips.
    func writeEachStatement<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T
    /// Called first in every write transaction of the log: takes the lock that orders writers across
    /// processes (PostgreSQL: `SELECT … FOR UPDATE` on the log's head row; SQLite: the write lock the
    /// transaction already holds) so the journal's size read next is the size to extend. Returns what
    /// the head row says once the lock is held — its size, read after any wait — and the journal's entry
    /// `tail` as the statement saw it (nil when its snapshot, taken before a wait, lacks it); nil on a
    /// backend without a head row. One round trip for the lock and the catch-up's usual question, "did
    /// anyone write since?" (``LogAppender/catchUp(_:head:)``).
    @discardableResult
    func lockLog(_ conn: any SQLConnection, tail: Int) throws -> (size: Int, bytes: [UInt8]?)?
    /// Whether checkpoints are signed only after the entries' transaction committed (PostgreSQL: once
    /// the synchronous standby confirmed them, so a failover cannot un-publish a signed tree), in a
    /// second transaction; otherwise the checkpoint is written in the entries' own transaction.
    var signsAfterCommit: Bool { get }
    /// Whether the log's write transactions hold plain inserts and send them a table at a time
    /// (``DeferredWrites``): worth it where every statement is a network round trip (PostgreSQL), not
    /// where a statement is a function call (SQLite).
    var defersWrites: Bool { get }
    /// Whether other processes may append to the same log (the in-memory tree must then catch up
    /// with what they committed before extending it, and reads refresh the published checkpoint).
    var isShared: Bool { get }
    /// Whether reads go to other servers than writes (PostgreSQL streaming replicas, `--read-db`): they
    /// may lag behind what this process wrote, so the log's read API serves what the replicas hold.
    var readsFromReplicas: Bool { get }
    /// On a connection of ``read(_:)``: seconds since the server last replayed a transaction, when it is
    /// a streaming replica (0 on a primary); nil when the backend has no replicas.
    func replayDelay(_ conn: any SQLConnection) throws -> Double?
    /// Closes the connections.
    func close() async
}
