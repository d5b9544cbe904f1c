import AssayDomain
import Foundation
import TransparencyLog

extension RelationalStore {
    /// Brings the in-memory verifiable index up to the served checkpoint, reading the journal outside the
    /// lock. Returns its size.
    @discardableResult
    public func catchUpIndex() async throws -> Int64 {
        let target = Int64(servedSize)
        while true {
            let have = verifiableIndex.withLock { $0.size }
            guard have < target else { return have }
            let chunk = try await entries((have + 1)...min(target, have + 5000))
            let keys = chunk.map { VerifiableIndex.keys(ofEntry: $0.bytes) }
            verifiableIndex.withLock { index in
                // Another request may have added some of these meanwhile: add only what follows.
                for (e, k) in zip(chunk, keys) where e.sequence == index.size + 1 { index.add(keys: k) }
            }
        }
    }

    /// The signed index root at the index's current size: stored the first time it is asked for, so that
    /// `assay verify` can rebuild the index and compare.
    func indexNote(size: Int64, root: TreeHash) async throws -> SignedNote {
        let stored = try await engine.read { db in try db.value(String.self, "SELECT note FROM index_checkpoint WHERE size = ?", [size]) }
        if let stored, let note = try? SignedNote(stored) {
            guard note.text == VerifiableIndex.noteText(origin: origin, size: size, root: root) else {
                throw StoreCorruption(table: "index_checkpoint", key: String(size), reason: "another index root is stored at this size")
            }
            return note
        }
        guard let signer = keys.signer(keys.schedule.current) else { throw ProofError("this server does not hold the log's signing key") }
        let note = try signer.signNote(VerifiableIndex.noteText(origin: origin, size: size, root: root))
        do {
            try await engine.write { db in
                // Appended to the index log only above every root already logged (a lagging server's root is kept,
                // and checked by `verify`, but not logged): the index log's sizes only grow.
                let top = try db.row("SELECT COALESCE(MAX(size), 0) AS size, COALESCE(MAX(pos), -1) AS pos FROM index_checkpoint WHERE pos IS NOT NULL")
                let (topSize, topPos): (Int64, Int64) = (try top?["size"] ?? 0, try top?["pos"] ?? -1)
                let pos: Int64? = size > topSize ? topPos + 1 : nil
                try db.execute("INSERT INTO index_checkpoint(size, root, note, pos) VALUES (?, ?, ?, ?) ON CONFLICT (size) DO NOTHING",
                               [size, root.base64, note.serialized, pos])
            }
        } catch {
            // Another server logged a root at the same moment (the position is taken): keep what is stored.
            let stored = try await engine.read { db in try db.value(String.self, "SELECT note FROM index_checkpoint WHERE size = ?", [size]) }
            guard let stored, let kept = try? SignedNote(stored), kept.text == note.text else { throw error }
            return kept
        }
        return note
    }

    /// The index log: the signed index notes logged, in order (each leaf is a note's text).
    func indexLogLeaves() async throws -> [(size: Int64, text: String)] {
        try await engine.read { db in
            try db.rows("SELECT size, note FROM index_checkpoint WHERE pos IS NOT NULL ORDER BY pos").map { r in
                (try r["size"], try SignedNote(try r["note"] as String).text)
            }
        }
    }

    /// The index log's signed checkpoint (origin `<log origin>/index-log`): the output log of index roots, which
    /// only grows, so that a registry cannot show two clients two index roots at one size unseen.
    public func indexLogCheckpoint() async throws -> (note: SignedNote, leaves: [(size: Int64, text: String)], hashes: MemoryHashStore) {
        let leaves = try await indexLogLeaves()
        var hashes = MemoryHashStore()
        for l in leaves { hashes.append(MerkleHasher.leaf(Array(l.text.utf8))) }
        guard let signer = keys.signer(keys.schedule.current) else { throw ProofError("this server does not hold the log's signing key") }
        let cp = Checkpoint(origin: origin + "/index-log", size: leaves.count, root: try MerkleTree.rootHash(size: leaves.count, reader: hashes))
        return (try signer.signNote(cp.body), leaves, hashes)
    }

    /// A consistency proof between two sizes of the index log.
    public func indexLogConsistency(from m: Int, to n: Int) async throws -> [TreeHash] {
        let (_, leaves, hashes) = try await indexLogCheckpoint()
        guard m >= 0, m <= n, n <= leaves.count else { throw ProofError("sizes \(m) and \(n) are not within the index log (\(leaves.count))") }
        return try MerkleTree.consistencyProof(from: m, to: n, reader: hashes)
    }

    /// A verifiable lookup of `kind:id` (kind one of ``VerifiableIndex/kinds``) at the served checkpoint.
    public func lookup(kind: String, id: String) async throws -> LookupProof {
        let key = kind + ":" + id
        // One size for everything: the index's, which is a checkpoint size.
        let (size, root, entry, proof): (Int64, TreeHash, VerifiableIndex.Entry?, PrefixProof)
        while true {
            let covered = try await catchUpIndex()
            let taken = verifiableIndex.withLock { index -> (Int64, TreeHash, VerifiableIndex.Entry?, PrefixProof)? in
                guard index.size == covered else { return nil }
                let root = index.root()
                let (e, p) = index.lookup(key)
                return (index.size, root, e, p)
            }
            if let taken { (size, root, entry, proof) = taken; break }
        }
        guard let checkpoint = try await self.checkpoint(size: size) else { throw ProofError("no signed checkpoint at size \(size)") }
        let note = try await indexNote(size: size, root: root)
        var indexes: [Int64] = []
        var latest: (Int64, [UInt8], [TreeHash])?
        if let entry {
            try await indexEntryKeys()
            indexes = try await engine.read { db in
                try db.values(Int64.self, "SELECT seq FROM entry_key WHERE key = ? AND seq <= ? ORDER BY seq", [key, size]).map { $0 - 1 }
            }
            guard VerifiableIndex.Entry(indexes: indexes) == entry else {
                throw StoreCorruption(table: "entry_key", key: key, reason: "the key index and the verifiable index disagree")
            }
            guard let bytes = try await entries((entry.last + 1)...(entry.last + 1)).first?.bytes else { throw ProofError("no entry \(entry.last + 1)") }
            let (inclusion, _) = try inclusionProof(index: Int(entry.last), size: Int(size))
            latest = (entry.last, bytes, inclusion)
        }
        var logged: (SignedNote, Int, [TreeHash])?
        let (logNote, leaves, hashes) = try await indexLogCheckpoint()
        if let pos = leaves.firstIndex(where: { $0.size == size }) {
            logged = (logNote, pos, try MerkleTree.inclusionProof(index: pos, size: leaves.count, reader: hashes))
        }
        return LookupProof(key: key, size: size, checkpoint: checkpoint, indexNote: note, indexes: indexes, proof: proof, latest: latest,
                           indexLog: logged)
    }
}
