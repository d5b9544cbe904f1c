import AssayStore
import Crypto
import Foundation
import Logging
import PostgresNIO
import Synchronization
import TransparencyLog

/// Something the PostgreSQL log could not do, with what to do about it.
public struct PostgresLogError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A transparency log in PostgreSQL, in the C2SP tlog-tiles layout (hash tiles, entry bundles, signed
/// checkpoints), that several servers can append to at once without forking it.
///
/// Each entry is stored once, in `log_entry`: entry bundles are read from there (``entryBundle(index:width:)``)
/// and leaf hashes from the level-0 hash tiles, so an append writes the entry's bytes, ~32 bytes of tile
/// per entry and one checkpoint — close to what a plain table of the entries costs.
///
/// Each batch locks the coordination row `log_head` (`SELECT … FOR UPDATE`), first loads any entries
/// other servers committed since this process last looked, then stores its entries at the next indexes,
/// its tiles and its signed checkpoint, and moves the head — all in one transaction. The checkpoint is
/// published (returned, served) only after COMMIT succeeds; `log_checkpoint` is keyed by size, so two
/// checkpoints of one size cannot both be stored.
///
/// For example:
/// ```swift
/// let log = try await PostgresLog(url: "postgres://postgres@127.0.0.1:5432/assay", signer: signer)
/// let index = try await log.append(entry)          // durable and covered by a signed checkpoint
/// let proof = try log.inclusionProof(index: index)
/// await log.close()
/// ```
public final class PostgresLog: Sendable {
    let core: PostgresLogCore
    let committer: GroupCommitter<[[UInt8]], (first: Int, note: SignedNote?)>
    let runner: Task<Void, Never>

    /// Connects to `url` (`postgres://USER[:PASSWORD]@HOST:PORT/DATABASE`, no TLS: loopback or a
    /// private network), applies the schema migrations and loads the log's leaf hashes.
    public init(url: String, signer: Ed25519NoteSigner, maxConnections: Int = 4) async throws {
        let client = PostgresClient(configuration: try PostgresLog.configuration(url: url, maxConnections: maxConnections),
                                    backgroundLogger: Logger(label: "assay.postgres"))
        let runner = Task { await client.run() }
        let core = PostgresLogCore(client: client, writer: LogWriter(signer: signer, writesBundles: false))
        do {
            try await PostgresSchema.migrate(client, logger: core.logger)
            try await core.claimOrigin()
            _ = try await core.write([])
        } catch {
            runner.cancel()
            throw PostgresLog.explain(error, doing: "opening the log at \(url)")
        }
        self.core = core
        self.runner = runner
        committer = GroupCommitter(maxBatch: 65_536) { batch in
            do {
                let (first, note) = try await core.write(batch.flatMap { $0 })
                var next = first
                return batch.map { request in
                    defer { next += request.count }
                    return .success((next, note))
                }
            } catch {
                return batch.map { _ in .failure(error) }
            }
        }
    }

    /// Closes the connections. The log cannot be used afterwards.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    /// Appends one entry and returns its index once it is durable and covered by a signed checkpoint.
    /// Concurrent callers are grouped into one transaction and one checkpoint.
    public func append(_ entry: [UInt8]) async throws -> Int {
        try await committer.submit([entry]).first
    }

    /// Appends many entries in one transaction with one durable commit and one checkpoint, and returns
    /// that checkpoint (the entries are at consecutive indexes ending at its size).
    public func appendBulk(_ entries: [[UInt8]]) async throws -> SignedNote {
        guard !entries.isEmpty else { throw PostgresLogError("appendBulk needs at least one entry") }
        guard let note = try await committer.submit(entries, weight: entries.count).note else {
            throw PostgresLogError("no checkpoint after an append (a bug)")
        }
        return note
    }

    /// The entry bundle at `index` (C2SP tlog-tiles: each entry with a two-byte length), `width`
    /// entries wide (default 256, a full bundle), built from the stored entries. Only what the latest
    /// checkpoint this process has seen covers is served.
    public func entryBundle(index: Int, width: Int = Tile.width) async throws -> [UInt8] {
        guard index >= 0, (1...Tile.width).contains(width) else { throw PostgresLogError("bundle \(index) of width \(width): the index must be ≥ 0 and the width 1…\(Tile.width)") }
        let published = core.state.withLock { $0.publishedSize }
        guard index * Tile.width + width <= published else {
            throw PostgresLogError("bundle \(index) of width \(width) is beyond the latest checkpoint (\(published) entries); call refresh()")
        }
        do { return try await core.entryBundle(index: index, width: width) } catch { throw PostgresLog.explain(error, doing: "reading bundle \(index)") }
    }

    /// Loads what other servers have committed since this process last looked, and publishes the
    /// newest committed checkpoint.
    public func refresh() async throws {
        _ = try await committer.submit([], weight: 0)
    }

    /// The latest checkpoint this process has seen committed (its own, or loaded at open or ``refresh()``).
    public func latestCheckpoint() -> SignedNote? { core.state.withLock { $0.published } }

    /// The inclusion proof of `index` in the tree of `size` (default: the latest checkpoint's size).
    public func inclusionProof(index: Int, size: Int? = nil) throws -> [TreeHash] {
        try core.state.withLock { state in
            let n = size ?? state.publishedSize
            guard n <= state.publishedSize else { throw ProofError("size \(n) is beyond the latest checkpoint (\(state.publishedSize)); call refresh()") }
            return try MerkleTree.inclusionProof(index: index, size: n, reader: state.hashes)
        }
    }

    /// The consistency proof between two sizes up to the latest checkpoint's.
    public func consistencyProof(from m: Int, to n: Int) throws -> [TreeHash] {
        try core.state.withLock { state in
            guard n <= state.publishedSize else { throw ProofError("size \(n) is beyond the latest checkpoint (\(state.publishedSize)); call refresh()") }
            return try MerkleTree.consistencyProof(from: m, to: n, reader: state.hashes)
        }
    }

    /// Checks the whole log as stored: recomputes every leaf hash from the entries, checks every hash
    /// tile (so the leaf hashes other servers load from them), that every stored checkpoint is signed by
    /// `verifier` and its root is the tree's root at its size (so all are consistent with the newest),
    /// and that the head row agrees. Returns the number of entries.
    public func verify(with verifier: any NoteVerifier) async throws -> Int {
        do {
            return try await core.verify(with: verifier)
        } catch {
            throw PostgresLog.explain(error, doing: "verifying the log")
        }
    }

    /// PostgresNIO hides server messages from `description`; this keeps them, so the message says what failed.
    static func explain(_ error: any Error, doing what: String) -> any Error {
        if error is PostgresLogError || error is ProofError { return error }
        if let t = error as? PostgresTransactionError {
            if let e = t.closureError { return explain(e, doing: what) }
            if let e = t.commitError { return PostgresLogError("\(what): COMMIT refused, nothing was published: \(String(reflecting: e))") }
            if let e = t.beginError { return PostgresLogError("\(what): BEGIN failed (is the server up?): \(String(reflecting: e))") }
        }
        return PostgresLogError("\(what): \(String(reflecting: error))")
    }

    static func configuration(url: String, maxConnections: Int) throws -> PostgresClient.Configuration {
        guard let c = URLComponents(string: url), c.scheme == "postgres" || c.scheme == "postgresql",
              let host = c.host, !host.isEmpty, let user = c.user, !user.isEmpty else {
            throw PostgresLogError("'\(url)' is not a PostgreSQL URL; give postgres://USER@HOST:PORT/DATABASE (scripts/pg start prints one)")
        }
        let database = c.path.hasPrefix("/") ? String(c.path.dropFirst()) : c.path
        var config = PostgresClient.Configuration(host: host, port: c.port ?? 5432, username: user, password: c.password,
                                                  database: database.isEmpty ? nil : database, tls: .disable)
        config.options.maximumConnections = max(1, maxConnections)
        return config
    }
}

/// The in-memory tree and the newest checkpoint seen committed.
struct PostgresLogState: Sendable {
    var hashes = MemoryHashStore()
    var published: SignedNote?
    var publishedSize = 0
}

/// The write path and reads; writes are serialised within the process by the group committer and
/// across processes by the row lock on `log_head`.
final class PostgresLogCore: Sendable {
    let client: PostgresClient
    let writer: LogWriter
    let state = Mutex(PostgresLogState())
    let logger = Logger(label: "assay.postgres")
    /// Rows per INSERT statement (arrays bound as parameters, so no limit on parameter count).
    static let chunk = 16_384

    init(client: PostgresClient, writer: LogWriter) {
        self.client = client
        self.writer = writer
    }

    /// Records the signer's name as the log's origin on first open; refuses another key's log.
    func claimOrigin() async throws {
        try await client.withTransaction(logger: logger) { conn in
            try await conn.query("INSERT INTO log_meta (key, value) VALUES ('origin', \(writer.origin)) ON CONFLICT (key) DO NOTHING", logger: logger)
            let rows = try await conn.query("SELECT value FROM log_meta WHERE key = 'origin'", logger: logger)
            for try await origin in rows.decode(String.self) where origin != writer.origin {
                throw PostgresLogError("this database holds the log '\(origin)', not '\(writer.origin)'; open it with that log's key")
            }
        }
    }

    /// Loads the leaf hashes committed beyond the in-memory tree up to `size` from the level-0 hash
    /// tiles (the widest stored at each index: full, or partial at a checkpointed size) and checks they
    /// hash to `root`.
    func catchUp(_ conn: PostgresConnection, to size: Int, root: TreeHash) async throws {
        let have = state.withLock { $0.hashes.size }
        guard size >= have else {
            throw PostgresLogError("the database's log has \(size) entries but this process holds \(have); was the database restored from an older backup? Restart the server")
        }
        if size > have {
            var leaves: [TreeHash] = []
            leaves.reserveCapacity(size - have)
            let rows = try await conn.query("""
                SELECT DISTINCT ON (idx) idx, width, data FROM log_tile
                WHERE level = 0 AND idx >= \(have / Tile.width) AND idx <= \((size - 1) / Tile.width) ORDER BY idx, width DESC
                """, logger: logger)
            for try await (idx, width, data) in rows.decode((Int, Int, ByteBuffer).self) {
                let start = idx * Tile.width
                guard start == (have + leaves.count) / Tile.width * Tile.width, data.readableBytes == width * 32,
                      start + width >= min(size, start + Tile.width) else {
                    throw PostgresLogError("hash tile 0/\(idx) is missing, short or malformed; run verify")
                }
                let bytes = Array(data.readableBytesView)
                for i in (have + leaves.count - start)..<(min(size, start + width) - start) {
                    leaves.append(TreeHash(bytes: bytes[(i * 32)..<(i * 32 + 32)])!)
                }
            }
            guard leaves.count == size - have else { throw PostgresLogError("the hash tiles hold \(have + leaves.count) leaves, log_head says \(size); run verify") }
            try state.withLock { s in
                for h in leaves { s.hashes.append(h) }
                guard try MerkleTree.rootHash(size: size, reader: s.hashes) == root else {
                    s.hashes.truncate(to: have)
                    throw PostgresLogError("the hash tiles up to \(size) do not hash to the root in log_head; run verify")
                }
            }
        }
    }

    /// The entry bundle at `index` (C2SP tlog-tiles), `width` entries wide (default: as many as the
    /// latest checkpoint covers there, at most 256), built from the stored entries.
    func entryBundle(index: Int, width: Int) async throws -> [UInt8] {
        try await client.withConnection { conn in
            let start = index * Tile.width
            var entries: [[UInt8]] = []
            let rows = try await conn.query("SELECT idx, data FROM log_entry WHERE idx >= \(start) AND idx < \(start + width) ORDER BY idx", logger: logger)
            for try await (idx, data) in rows.decode((Int, ByteBuffer).self) {
                guard idx == start + entries.count else { break }
                entries.append(Array(data.readableBytesView))
            }
            guard entries.count == width else { throw PostgresLogError("log_entry holds \(entries.count) of the \(width) entries of bundle \(index); run verify") }
            return try Tile.bundle(entries)
        }
    }

    /// Appends `entries` (none: only catch up and publish the newest committed checkpoint). Returns the
    /// first new index and the checkpoint, published only once COMMIT has succeeded.
    func write(_ entries: [[UInt8]]) async throws -> (Int, SignedNote?) {
        if entries.isEmpty { return try await sync() }
        // What the in-memory tree may be put back to if the transaction fails: entries others committed
        // (loaded under the lock) stay; this batch's go.
        let committed = Mutex(state.withLock { $0.hashes.size })
        do {
            let (first, note, size) = try await client.withTransaction(logger: logger) { conn -> (Int, SignedNote, Int) in
                let head = try await conn.query("SELECT size, root FROM log_head WHERE id = 1 FOR UPDATE", logger: logger)
                var found: (Int, ByteBuffer)?
                for try await row in head.decode((Int, ByteBuffer).self) { found = row }
                guard let (size, rootBytes) = found, let root = TreeHash(bytes: rootBytes.readableBytesView) else {
                    throw PostgresLogError("log_head has no row 1; the schema is damaged (restore the database or recreate it)")
                }
                try await catchUp(conn, to: size, root: root)
                committed.withLock { $0 = size }
                let update = try state.withLock { s in try writer.prepare(entries, hashes: &s.hashes) }
                let storage = RecordingStorage()
                let note = try writer.commit(update, storage: storage)

                // Each statement's parameters are encoded on another core while the one before it runs
                // (PostgreSQL and this process took turns: a third of both cores sat idle).
                @Sendable func statement(_ start: Int) -> PostgresQuery {
                    let end = min(entries.count, start + PostgresLogCore.chunk)
                    let idx = Array((size + start)..<(size + end))
                    let data = entries[start..<end].map { ByteBuffer(bytes: $0) }
                    return "INSERT INTO log_entry (idx, data) SELECT * FROM unnest(\(idx)::int8[], \(data)::bytea[])"
                }
                var start = 0
                var next: Task<PostgresQuery, Never>? = Task { statement(0) }
                while let ready = next {
                    let query = await ready.value
                    start += PostgresLogCore.chunk
                    let from = start
                    next = from < entries.count ? Task { statement(from) } : nil
                    try await conn.query(query, logger: logger)
                }
                var t = 0
                while t < storage.tiles.count {
                    let part = storage.tiles[t..<min(storage.tiles.count, t + PostgresLogCore.chunk)]
                    try await conn.query("""
                        INSERT INTO log_tile (level, idx, width, data)
                        SELECT * FROM unnest(\(part.map { $0.tile.level ?? -1 })::int4[], \(part.map { $0.tile.index })::int8[],
                                             \(part.map { $0.tile.width })::int4[], \(part.map { ByteBuffer(bytes: $0.data) })::bytea[])
                        ON CONFLICT (level, idx, width) DO UPDATE SET data = EXCLUDED.data
                        """, logger: logger)
                    t += PostgresLogCore.chunk
                }
                if !storage.drops.isEmpty {
                    try await conn.query("""
                        DELETE FROM log_tile t USING unnest(\(storage.drops.map { $0.level })::int4[], \(storage.drops.map { $0.index })::int8[]) AS d(level, idx)
                        WHERE t.level = d.level AND t.idx = d.idx AND t.width < \(Tile.width)
                        """, logger: logger)
                }
                let newRoot = ByteBuffer(bytes: update.checkpoint.root.bytes)
                // A plain INSERT: a checkpoint of this size already stored is an error, never replaced.
                try await conn.query("INSERT INTO log_checkpoint (size, root, note) VALUES (\(update.checkpoint.size), \(newRoot), \(note.serialized))",
                                     logger: logger)
                try await conn.query("UPDATE log_head SET size = \(update.checkpoint.size), root = \(newRoot) WHERE id = 1", logger: logger)
                return (size, note, update.checkpoint.size)
            }
            state.withLock { if size > $0.publishedSize { $0.published = note; $0.publishedSize = size } }
            return (first, note)
        } catch {
            let keep = committed.withLock { $0 }
            state.withLock { $0.hashes.truncate(to: keep) }
            throw PostgresLog.explain(error, doing: "appending \(entries.count) entries")
        }
    }

    /// Catches up with the committed log without taking the lock, and publishes its newest checkpoint.
    func sync() async throws -> (Int, SignedNote?) {
        try await client.withConnection { conn in
            let head = try await conn.query("SELECT size, root FROM log_head WHERE id = 1", logger: logger)
            var found: (Int, ByteBuffer)?
            for try await row in head.decode((Int, ByteBuffer).self) { found = row }
            guard let (size, rootBytes) = found, let root = TreeHash(bytes: rootBytes.readableBytesView) else {
                throw PostgresLogError("log_head has no row 1; the schema is damaged (restore the database or recreate it)")
            }
            try await catchUp(conn, to: size, root: root)
            guard size > 0 else { return (0, nil) }
            let rows = try await conn.query("SELECT note FROM log_checkpoint WHERE size = \(size)", logger: logger)
            var text: String?
            for try await t in rows.decode(String.self) { text = t }
            guard let text else { throw PostgresLogError("log_head is at \(size) but no checkpoint of that size is stored; run verify") }
            let note = try SignedNote(text)
            state.withLock { if size > $0.publishedSize { $0.published = note; $0.publishedSize = size } }
            return (size, note)
        }
    }

    func verify(with verifier: any NoteVerifier) async throws -> Int {
        try await client.withTransaction(logger: logger) { conn in
            try await conn.query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", logger: logger)
            var fresh = MemoryHashStore()
            let rows = try await conn.query("SELECT idx, data FROM log_entry ORDER BY idx", logger: logger)
            for try await (idx, data) in rows.decode((Int, ByteBuffer).self) {
                guard idx == fresh.size else { throw PostgresLogError("log_entry \(fresh.size) is missing") }
                fresh.append(MerkleHasher.leaf(Array(data.readableBytesView)))
            }
            let size = fresh.size
            // Hash tiles: the widest at each place must be the tree's hashes there.
            let tiles = try await conn.query("SELECT DISTINCT ON (level, idx) level, idx, width, data FROM log_tile WHERE level >= 0 ORDER BY level, idx, width DESC",
                                             logger: logger)
            var tileCount = 0
            for try await (level, idx, width, data) in tiles.decode((Int, Int, Int, ByteBuffer).self) {
                let tile = Tile(level: level, index: idx, width: width)
                guard (idx * Tile.width + width) << (Tile.height * level) <= size, try tile.hashes(reader: fresh) == Array(data.readableBytesView) else {
                    throw PostgresLogError("hash tile \(tile.path) does not hold the tree's hashes")
                }
                tileCount += 1
            }
            if size > 0 && tileCount == 0 { throw PostgresLogError("no hash tiles stored for \(size) entries") }
            // Every checkpoint: signed, and its root is the tree's at its size (so consistent with the newest).
            var newest = 0
            let checkpoints = try await conn.query("SELECT size, note FROM log_checkpoint ORDER BY size", logger: logger)
            for try await (cpSize, text) in checkpoints.decode((Int, String).self) {
                let note = try SignedNote(text)
                _ = try note.verify(with: [verifier])
                let cp = try Checkpoint(body: note.text)
                guard cp.size == cpSize, cpSize <= size, try MerkleTree.rootHash(size: cpSize, reader: fresh) == cp.root else {
                    throw PostgresLogError("checkpoint \(cpSize) does not match the entries (a fork or damaged rows)")
                }
                newest = cpSize
            }
            guard newest == size else { throw PostgresLogError("the newest checkpoint covers \(newest) entries, log_entry holds \(size)") }
            let head = try await conn.query("SELECT size, root FROM log_head WHERE id = 1", logger: logger)
            for try await (headSize, root) in head.decode((Int, ByteBuffer).self) {
                guard headSize == size, TreeHash(bytes: root.readableBytesView) == (try MerkleTree.rootHash(size: size, reader: fresh)) else {
                    throw PostgresLogError("log_head (\(headSize)) disagrees with the entries (\(size))")
                }
            }
            return size
        }
    }
}

/// Collects what ``LogWriter/commit(_:storage:signers:)`` writes, to send it to PostgreSQL afterwards
/// in a few multi-row statements of the same transaction.
final class RecordingStorage: TileStorage {
    var tiles: [(tile: Tile, data: [UInt8])] = []
    var drops: [(level: Int, index: Int)] = []

    func writeTile(_ tile: Tile, data: [UInt8]) throws { tiles.append((tile, data)) }
    func writeBundle(_ tile: Tile, data: [UInt8]) throws { tiles.append((tile, data)) }
    func dropPartials(level: Int?, index: Int) throws { drops.append((level ?? -1, index)) }
    func writeCheckpoint(size: Int, note: SignedNote) throws {}
}
