import Foundation
import GRDB
import Logging
import Synchronization

/// Moves the write-ahead log into the database file from its own connection, every half second,
/// instead of letting SQLite do it inside whichever commit crosses 1,000 pages: that commit would
/// otherwise stall every caller waiting on the single writer (seen as a 330 ms p99 in
/// `assay bench custody`). PASSIVE checkpoints never wait for readers or writers; durability is
/// unchanged (each commit is synced to the WAL, `synchronous = FULL`).
///
/// A failed checkpoint (a full disk, an I/O error) loses nothing — the WAL still holds every committed
/// page — but the WAL then keeps growing: each failure is logged (once a minute at most while they
/// repeat) and counted in ``failures`` (exported as `assay_wal_checkpoint_failures_total`).
final class WALCheckpointer: Sendable {
    private let task: Task<Void, Never>
    /// Its own connection (read by ``RelationalStore/durabilitySettings()``).
    let queue: DatabaseQueue
    /// Shared with the checkpointing task (a `Mutex` cannot be copied into it; this box can).
    private final class Counts: Sendable {
        let state = Mutex<(failures: Int, lastLogged: ContinuousClock.Instant?)>((0, nil))
    }
    private let counts = Counts()

    /// Checkpoints that failed since the store opened.
    var failures: Int { counts.state.withLock { $0.failures } }

    init(path: String, logger: Logger = Logger(label: "assay.store")) throws {
        var config = Configuration()
        config.busyMode = .timeout(5)
        let queue = try DatabaseQueue(path: path, configuration: config)
        // A checkpoint copies committed pages into the database file: with FULL it syncs them first.
        try queue.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        self.queue = queue
        let counts = self.counts
        task = Task.detached(priority: .utility) {
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(500))
                if Task.isCancelled { break }
                do {
                    try await queue.writeWithoutTransaction { try $0.checkpoint(.passive) }
                } catch {
                    let now = ContinuousClock.now
                    let (n, log) = counts.state.withLock { c -> (Int, Bool) in
                        c.failures += 1
                        let log = c.lastLogged.map { now - $0 >= .seconds(60) } ?? true
                        if log { c.lastLogged = now }
                        return (c.failures, log)
                    }
                    if log {
                        logger.error("WAL checkpoint failed; the WAL keeps every committed page but grows until a checkpoint succeeds",
                                     metadata: ["error": "\(error)", "failures": "\(n)"])
                    }
                }
            }
        }
    }

    deinit { task.cancel() }
}
