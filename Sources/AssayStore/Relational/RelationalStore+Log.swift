import AssayDomain
import Foundation
import TransparencyLog

extension RelationalStore {
    /// The latest published checkpoint (covering every acknowledged entry).
    public func latestCheckpoint() -> SignedNote? {
        log.withLock { $0.published }
    }

    /// The inclusion proof of log index `index` in the tree of `size` (default: the published size).
    public func inclusionProof(index: Int, size: Int? = nil) throws -> (proof: [TreeHash], size: Int) {
        try log.withLock { state in
            let n = size ?? state.publishedSize
            guard n <= state.publishedSize else { throw ProofError("size \(n) is beyond the latest checkpoint (\(state.publishedSize))") }
            return (try MerkleTree.inclusionProof(index: index, size: n, reader: state.hashes), n)
        }
    }

    /// The log index of the entry whose leaf hash is `leaf`, among the published entries (first match).
    public func index(ofLeaf leaf: TreeHash) -> Int? {
        log.withLock { state in
            (0..<state.publishedSize).first { (try? state.hashes.hash(level: 0, index: $0)) == leaf }
        }
    }

    /// The consistency proof between two published sizes.
    public func consistencyProof(from m: Int, to n: Int) throws -> [TreeHash] {
        try log.withLock { state in
            guard n <= state.publishedSize else { throw ProofError("size \(n) is beyond the latest checkpoint (\(state.publishedSize))") }
            return try MerkleTree.consistencyProof(from: m, to: n, reader: state.hashes)
        }
    }

    /// The root hash at a published size.
    public func rootHash(size: Int) throws -> TreeHash {
        try log.withLock { state in
            guard size <= state.publishedSize else { throw ProofError("size \(size) is beyond the latest checkpoint (\(state.publishedSize))") }
            return try MerkleTree.rootHash(size: size, reader: state.hashes)
        }
    }

    /// An offline proof (C2SP tlog-proof) that journal entry `sequence` is in the log, with the entry's
    /// bytes as its `extra` data and the latest checkpoint with its cosignatures.
    public func proofBundle(sequence: Int64) async throws -> ProofBundle {
        guard let entry = try await entries(sequence...sequence).first else {
            throw ProofError("there is no journal entry \(sequence)")
        }
        let (note, size) = log.withLock { ($0.published, $0.publishedSize) }
        guard var note, Int(sequence) <= size else { throw ProofError("entry \(sequence) is not covered by a checkpoint yet") }
        let cosignatures = try await engine.read { db in
            try db.values(String.self, "SELECT line FROM log_cosignature WHERE size = ? ORDER BY name", [size])
        }
        for line in cosignatures {
            if let sig = try? SignedNote("x\n\n" + line).signatures.first { note.signatures.append(sig) }
        }
        let (proof, _) = try inclusionProof(index: Int(sequence) - 1, size: size)
        return ProofBundle(extra: entry.bytes, index: Int(sequence) - 1, proof: proof, checkpoint: note)
    }

    /// A COSE receipt (RFC 9942, `RFC9162_SHA256`) that journal entry `sequence` is in the log at `size`
    /// (default: the served checkpoint's), signed by the key that signs the log's checkpoints at that size.
    /// A SCITT verifier checks it with the entry's bytes (``entries(_:)``) and the log's public key.
    public func receipt(sequence: Int64, size: Int? = nil) throws -> [UInt8] {
        let n = size ?? servedSize
        guard sequence >= 1, sequence <= Int64(n) else {
            throw ProofError("entry \(sequence) is not covered by the checkpoint at size \(n)")
        }
        let (path, root) = try log.withLock { state in
            guard n <= state.publishedSize else { throw ProofError("size \(n) is beyond the latest checkpoint (\(state.publishedSize))") }
            return (try MerkleTree.inclusionProof(index: Int(sequence) - 1, size: n, reader: state.hashes),
                    try MerkleTree.rootHash(size: n, reader: state.hashes))
        }
        return try receipt(sequence: sequence, size: n, root: root, path: path)
    }

    /// A COSE receipt when the inclusion proof and root are already at hand (a write's answer has them): only
    /// the signature is made.
    public func receipt(sequence: Int64, size: Int, root: TreeHash, path: [TreeHash]) throws -> [UInt8] {
        // The newest key that signs at this size (during a rotation's transition, both do: the new one answers).
        guard let vkey = keys.schedule.signingKeys(size: size, time: clock()).last, let signer = keys.signer(vkey) else {
            throw ProofError("this server does not hold the log's signing key, so it cannot sign receipts")
        }
        return try COSEReceipt.issue(index: Int(sequence) - 1, size: size, path: path, root: root, signer: signer)
    }

    /// The signed checkpoint stored at exactly `size`, if one was published there.
    public func checkpoint(size: Int64) async throws -> SignedNote? {
        guard size >= 1, size <= Int64(servedSize) else { return nil }
        let note = try await engine.read { db in try db.value(String.self, "SELECT note FROM log_checkpoint WHERE size = ?", [size]) }
        return try note.map { try SignedNote($0) }
    }

    /// The newest checkpoints that witnesses cosigned (at most `limit`), newest first, each with its
    /// cosignatures appended to the log's signatures.
    public func cosignedCheckpoints(limit: Int = 50) async throws -> [SignedNote] {
        try await engine.read { db in
            let rows = try db.rows("""
                SELECT size, note FROM log_checkpoint c WHERE EXISTS (SELECT 1 FROM log_cosignature s WHERE s.size = c.size)
                ORDER BY size DESC LIMIT ?
                """, [limit])
            return try rows.map { row in
                var note = try SignedNote(try row["note"] as String)
                for line in try db.values(String.self, "SELECT line FROM log_cosignature WHERE size = ? ORDER BY name", [try row["size"] as Int64]) {
                    if let sig = try? SignedNote("x\n\n" + line).signatures.first { note.signatures.append(sig) }
                }
                return note
            }
        }
    }

    /// Stores a witness's cosignature line for a checkpoint size, after checking it verifies.
    public func addCosignature(size: Int, signature: NoteSignature, verifier: any NoteVerifier) async throws {
        let note = try await engine.read { db in
            try db.value(String.self, "SELECT note FROM log_checkpoint WHERE size = ?", [size])
        }
        guard let note else { throw ProofError("no checkpoint at size \(size)") }
        let parsed = try SignedNote(note)
        guard verifier.name == signature.name, verifier.keyID == signature.keyID,
              verifier.verify(text: Array(parsed.text.utf8), signature: signature.signature) else {
            throw NoteVerificationError("the cosignature by \(signature.name) does not verify for checkpoint \(size)")
        }
        try await engine.write { db in
            try db.execute("INSERT INTO log_cosignature(size, name, line) VALUES (?, ?, ?) ON CONFLICT (size, name) DO UPDATE SET line = excluded.line",
                           [size, signature.name, signature.line])
        }
    }

    /// A stored tile's bytes; entry bundles are built from the journal.
    /// Only tiles within the served checkpoint (``servedSize``) are given: with read replicas, what they hold.
    public func tileData(_ tile: Tile) async throws -> [UInt8]? {
        let size = servedSize
        guard Tile.width(level: tile.level, index: tile.index, treeSize: size).map({ $0 >= tile.width }) ?? false else { return nil }
        // Full tiles and entry bundles never change: keep the most recent ones in memory.
        if !tile.isPartial, let hit = tileCache.withLock({ $0[tile] }) { return hit }
        if tile.level == nil {
            let first = Int64(tile.index * Tile.width + 1)
            let es = try await entries(first...(first + Int64(tile.width) - 1))
            guard es.count == tile.width else { return nil }
            let bundle = try Tile.bundle(es.map(\.bytes))
            if !tile.isPartial {
                tileCache.withLock { cache in
                    if cache.count >= 4096 { cache.removeAll(keepingCapacity: true) }
                    cache[tile] = bundle
                }
            }
            return bundle
        }
        var data = try await engine.read { db in try SQLTileStorage.read(db, tile) }
        if data == nil {
            // A replica behind the one `follow()` asked: the hashes are also in memory (every one of them
            // is under the served checkpoint, whose root was checked).
            data = try? log.withLock { state in try tile.hashes(reader: state.hashes) }
        }
        if !tile.isPartial, let data {
            tileCache.withLock { cache in
                if cache.count >= 4096 { cache.removeAll(keepingCapacity: true) }
                cache[tile] = data
            }
        }
        return data
    }
}
