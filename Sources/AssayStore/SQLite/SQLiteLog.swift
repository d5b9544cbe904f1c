import Foundation
import GRDB
import TransparencyLog

/// A transparency log on its own in an SQLite file, in the C2SP tlog-tiles layout: hash tiles, entry
/// bundles, signed checkpoints. Knows nothing of the registry; the benchmark measures it, and any
/// application can log opaque entries with it.
///
/// For example:
/// ```swift
/// let log = try SQLiteLog(path: "log.sqlite", signer: signer)
/// let index = try await log.append(entry)          // durable and covered by a signed checkpoint
/// let proof = try log.inclusionProof(index: index)
/// ```
public final class SQLiteLog: Sendable {
    let pool: DatabasePool
    let writer: LogWriter
    let log: LogBox
    let committer: GroupCommitter<[UInt8], Int>

    public init(path: String, signer: Ed25519NoteSigner) throws {
        pool = try DatabasePool(path: path)
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        try SQLiteSchema.migrator.migrate(pool)
        writer = LogWriter(signer: signer, writesBundles: true)
        var state = LogState()
        try pool.read { db in
            for h in try SQLTileStorage.leafHashes(GRDBConnection(db: db)) { state.hashes.append(h) }
            if let row = try Row.fetchOne(db, sql: "SELECT size, note FROM log_checkpoint ORDER BY size DESC LIMIT 1") {
                state.published = try SignedNote(row["note"] as String)
                state.publishedSize = row["size"]
            }
        }
        let box = LogBox(state)
        log = box
        let pool = self.pool, writer = self.writer
        committer = GroupCommitter(maxBatch: 65_536) { batch in
            do {
                let first = try SQLiteLog.write(batch, pool: pool, writer: writer, log: box)
                return batch.indices.map { .success(first + $0) }
            } catch {
                return batch.map { _ in .failure(error) }
            }
        }
    }

    /// Appends one entry and returns its index once it is durable and covered by a signed checkpoint.
    /// Concurrent callers are grouped into one transaction and one checkpoint.
    public func append(_ entry: [UInt8]) async throws -> Int {
        try await committer.submit(entry)
    }

    /// Appends many entries in one transaction with one durable commit and one checkpoint.
    public func appendBulk(_ entries: [[UInt8]]) throws -> SignedNote {
        _ = try SQLiteLog.write(entries, pool: pool, writer: writer, log: log)
        guard let note = log.withLock({ $0.published }) else { throw ProofError("no checkpoint after an append") }
        return note
    }

    /// Writes entries, tiles, bundles and a checkpoint in one transaction; returns the first new index.
    /// The checkpoint is published only once the transaction has committed; if it does not (a refused
    /// COMMIT — disk full, I/O error — or any error), the in-memory tree is put back as it was and the
    /// checkpoint signed inside the transaction is dropped, never published.
    static func write(_ entries: [[UInt8]], pool: DatabasePool, writer: LogWriter, log: LogBox) throws -> Int {
        let sizeBefore = log.withLock { $0.hashes.size }
        do {
            let (oldSize, note, size) = try pool.write { db -> (Int, SignedNote, Int) in
                let storage = SQLTileStorage(db: GRDBConnection(db: db))
                let update = try log.withLock { state in
                    try writer.prepare(entries, hashes: &state.hashes, earlierEntries: { start in
                        let tile = try Row.fetchOne(db, sql: "SELECT data FROM log_tile WHERE level = -1 AND idx = ? ORDER BY width DESC LIMIT 1",
                                                    arguments: [start / Tile.width])
                        return try tile.map { try Tile.entries(ofBundle: [UInt8]($0[0] as Data)) } ?? []
                    })
                }
                let note = try writer.commit(update, storage: storage)
                return (update.oldSize, note, update.checkpoint.size)
            }
            log.withLock { if size > $0.publishedSize { $0.published = note; $0.publishedSize = size } }
            return oldSize
        } catch {
            log.withLock { $0.hashes.truncate(to: sizeBefore) }
            throw StorageFailure(error) ?? error
        }
    }

    public func latestCheckpoint() -> SignedNote? { log.withLock { $0.published } }

    public func inclusionProof(index: Int, size: Int? = nil) throws -> [TreeHash] {
        try log.withLock { try MerkleTree.inclusionProof(index: index, size: size ?? $0.publishedSize, reader: $0.hashes) }
    }

    public func consistencyProof(from m: Int, to n: Int) throws -> [TreeHash] {
        try log.withLock { try MerkleTree.consistencyProof(from: m, to: n, reader: $0.hashes) }
    }

    /// Recomputes every leaf hash from the entry bundles, checks the level-0 tiles hold them and that
    /// they hash to the latest checkpoint's root, signed by `verifier`. Returns the number of entries.
    public func verify(with verifier: any NoteVerifier) throws -> Int {
        try pool.read { db in
            var fresh = MemoryHashStore()
            var next = 0
            let bundles = try Row.fetchCursor(db, sql: "SELECT idx, width, data FROM log_tile WHERE level = -1 ORDER BY idx, width DESC")
            var lastIndex = -1
            while let row = try bundles.next() {
                let idx: Int = row[0]
                if idx == lastIndex { continue }
                guard idx == lastIndex + 1 else { throw VerificationFailure(message: "entry bundle \(lastIndex + 1) is missing") }
                for e in try Tile.entries(ofBundle: [UInt8](row[2] as Data)) { fresh.append(MerkleHasher.leaf(e)); next += 1 }
                lastIndex = idx
            }
            let stored = try SQLTileStorage.leafHashes(GRDBConnection(db: db))
            guard stored.count == fresh.size else { throw VerificationFailure(message: "tiles hold \(stored.count) hashes, bundles \(fresh.size) entries") }
            for i in 0..<stored.count where stored[i] != (try fresh.hash(level: 0, index: i)) {
                throw VerificationFailure(message: "entry \(i): its hash differs from the level-0 tile")
            }
            guard let text = try String.fetchOne(db, sql: "SELECT note FROM log_checkpoint ORDER BY size DESC LIMIT 1") else { return 0 }
            let note = try SignedNote(text)
            _ = try note.verify(with: [verifier])
            let cp = try Checkpoint(body: note.text)
            guard cp.size == fresh.size, try MerkleTree.rootHash(size: cp.size, reader: fresh) == cp.root else {
                throw VerificationFailure(message: "the entries do not hash to the checkpoint's root")
            }
            return fresh.size
        }
    }
}
