import AssayDomain
import Foundation
import TransparencyLog

/// What the log's read API serves when reads go to streaming replicas: the latest checkpoint a replica
/// held when last asked, so a client never gets a checkpoint whose tiles and entries it cannot fetch yet.
public struct ServedLog: Sendable {
    /// The latest signed checkpoint on the replica (nil while it holds none).
    public var checkpoint: SignedNote?
    /// Its size.
    public var size: Int
    /// How far the replica's replay is behind, in seconds (time since the last transaction it replayed;
    /// nil when read from a primary). It grows while nothing is written, so read it with the entry lag.
    public var replayDelay: Double?
}

extension RelationalStore {
    /// Takes in what other servers on the same database committed and signed: reads the latest stored
    /// checkpoint (from the replicas when reads go there), hashes the entries it covers that this
    /// process has not seen, checks that their root is the checkpoint's and publishes it. A server that
    /// only reads would otherwise serve the checkpoint it last wrote. Does nothing for a log only this
    /// process writes (SQLite). `assay serve` calls it every ``followInterval``.
    /// - Returns: the size now served by the log's read API.
    @discardableResult
    public func follow() async throws -> Int {
        guard engine.isShared else { return servedSize }
        let (have, replica) = (log.withLock { $0.hashes.size }, engine.readsFromReplicas)
        let engine = self.engine
        let read = try await engine.read { db -> (note: String, at: TreeHash?, leaves: [TreeHash], delay: Double?)? in
            guard let row = try db.row("SELECT size, note FROM log_checkpoint ORDER BY size DESC LIMIT 1") else { return nil }
            let size: Int = try row[0]
            var leaves: [TreeHash] = []
            var at: TreeHash?
            if size > have {
                // The entry at the tree's end, to check the new ones extend this tree (see below).
                if have > 0, let bytes = try db.value([UInt8].self, "SELECT bytes FROM journal WHERE seq = ?", [have]) {
                    at = MerkleHasher.leaf(bytes)
                }
                leaves.reserveCapacity(size - have)
                for r in try db.rows("SELECT seq, bytes FROM journal WHERE seq > ? AND seq <= ? ORDER BY seq", [have, size]) {
                    guard try r[0] as Int == have + leaves.count + 1 else {
                        throw StoreCorruption(table: "journal", key: String(have + leaves.count + 1), reason: "entry missing under the checkpoint at size \(size)")
                    }
                    leaves.append(MerkleHasher.leaf(try r[1] as [UInt8]))
                }
                guard leaves.count == size - have else {
                    throw StoreCorruption(table: "journal", key: String(have + leaves.count + 1), reason: "entry missing under the checkpoint at size \(size)")
                }
            }
            return (try row[1], at, leaves, replica ? try engine.replayDelay(db) : nil)
        }
        guard let read else { return servedSize }
        let note = try SignedNote(read.note)
        let checkpoint = try Checkpoint(body: note.text)
        let inStep = log.withLock { state -> Bool in
            let now = state.hashes.size
            if now == have {
                // The tree ends with an entry a failover dropped (a primary shows commits before its
                // standby confirms them): the new entries do not extend it.
                if have > 0, !read.leaves.isEmpty, read.at != (try? state.hashes.hash(level: 0, index: have - 1)) { return false }
                for h in read.leaves { state.hashes.append(h) }
            } else if now > have, now < have + read.leaves.count {
                // A batch of this process moved the tree meanwhile: its catch-up, under the log's lock,
                // took in the same committed entries; add only those it has not.
                for h in read.leaves[(now - have)...] { state.hashes.append(h) }
            }
            // The batch's own uncommitted entries, if any, are all beyond the checkpoint (it holds the
            // log's lock, so nothing after them was committed).
            guard state.hashes.size >= checkpoint.size else { return true }
            guard (try? MerkleTree.rootHash(size: checkpoint.size, reader: state.hashes)) == checkpoint.root else { return false }
            if checkpoint.size > state.publishedSize { state.published = note; state.publishedSize = checkpoint.size }
            return true
        }
        if !inStep {
            // Bring the tree back in step with the journal under the log's lock (the writer's own
            // catch-up, which finds where they part), then check again.
            try await appender.resync()
            try log.withLock { state in
                guard state.hashes.size >= checkpoint.size else { return }
                guard try MerkleTree.rootHash(size: checkpoint.size, reader: state.hashes) == checkpoint.root else {
                    throw StoreCorruption(table: "log_checkpoint", key: String(checkpoint.size),
                                          reason: "the stored checkpoint's root is not the root of the journal's entries")
                }
                if checkpoint.size > state.publishedSize { state.published = note; state.publishedSize = checkpoint.size }
            }
        }
        if replica {
            served.withLock { $0 = ServedLog(checkpoint: note, size: checkpoint.size, replayDelay: read.delay) }
        }
        return servedSize
    }

    /// How often `assay serve` calls ``follow()`` on a shared (PostgreSQL) log.
    public static let followInterval: Duration = .milliseconds(250)

    /// The checkpoint the log's read API serves: the latest published one, or with read replicas the
    /// latest the replicas held when last asked (never newer than what they hold).
    public func servedCheckpoint() -> SignedNote? {
        if engine.readsFromReplicas { return served.withLock { $0?.checkpoint } }
        return latestCheckpoint()
    }

    /// The size of ``servedCheckpoint()`` (0 when there is none).
    public var servedSize: Int {
        if engine.readsFromReplicas { return served.withLock { $0?.size ?? 0 } }
        return log.withLock { $0.publishedSize }
    }

    /// The replicas' state as last seen by ``follow()`` (nil unless reads go to replicas).
    public var replicaState: ServedLog? {
        engine.readsFromReplicas ? served.withLock { $0 } : nil
    }

    /// Whether other processes may append to this log (PostgreSQL), so a server must ``follow()`` it.
    public var isShared: Bool { engine.isShared }

    /// The size of the latest checkpoint this process has published (its own, or taken in by ``follow()``).
    public var publishedSize: Int { log.withLock { $0.publishedSize } }
}
