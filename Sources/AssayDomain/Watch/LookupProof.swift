import TransparencyLog

/// A verifiable lookup by key: every journal entry about a lot, title, agreement, party or site at a signed
/// checkpoint, the latest of them with its bytes and inclusion proof, and the prefix-tree proof that the
/// signed index root holds exactly that for the key — so "the latest entry about X, and no later one exists
/// in the log at this checkpoint" is checked offline with the log's verifier key alone (``verify(with:)``).
///
/// JSON: `{"key","size","checkpoint","index":{"root","note"},"indexes":[…],"proof":{"siblings":[…],"other":…},
/// "latest":{"index","entry","inclusionProof":[…]}}` (hashes and bytes in base64; `latest` null when no entry
/// is about the key).
public struct LookupProof: Sendable {
    public var key: String
    public var size: Int64
    public var checkpoint: SignedNote
    public var indexNote: SignedNote
    public var indexes: [Int64]
    public var proof: PrefixProof
    public var latest: (index: Int64, entry: [UInt8], inclusion: [TreeHash])?
    /// Where the index note sits in the index log (the output log of index roots), with that log's signed
    /// checkpoint; nil when the root was not logged (a server lagging behind the newest logged root).
    public var indexLog: (checkpoint: SignedNote, position: Int, inclusion: [TreeHash])?

    public init(key: String, size: Int64, checkpoint: SignedNote, indexNote: SignedNote, indexes: [Int64], proof: PrefixProof,
                latest: (index: Int64, entry: [UInt8], inclusion: [TreeHash])?,
                indexLog: (checkpoint: SignedNote, position: Int, inclusion: [TreeHash])? = nil) {
        self.key = key; self.size = size; self.checkpoint = checkpoint; self.indexNote = indexNote; self.indexes = indexes
        self.proof = proof; self.latest = latest; self.indexLog = indexLog
    }

    public var json: JSONValue {
        var p: [String: JSONValue] = ["siblings": .array(proof.siblings.map { .string($0.base64) })]
        p["other"] = proof.other.map { .object(["key": .string($0.key.base64), "value": .string($0.value.base64)]) } ?? .null
        return .object([
            "key": .string(key), "size": .int(size), "checkpoint": .string(checkpoint.serialized),
            "index": .object(["note": .string(indexNote.serialized)]),
            "indexes": .array(indexes.map { .int($0) }), "proof": .object(p),
            "latest": latest.map { l in .object(["index": .int(l.index), "entry": .string(Base64.encode(l.entry)),
                                                 "inclusionProof": .array(l.inclusion.map { .string($0.base64) })]) } ?? .null,
            "indexLog": indexLog.map { l in .object(["checkpoint": .string(l.checkpoint.serialized), "position": .int(Int64(l.position)),
                                                     "inclusionProof": .array(l.inclusion.map { .string($0.base64) })]) } ?? .null,
        ])
    }

    public init(json: JSONValue) throws(LogFormatError) {
        func fail(_ m: String) -> LogFormatError { LogFormatError("lookup proof: \(m)") }
        guard case .object(let m) = json, case .string(let key)? = m["key"], case .int(let size)? = m["size"],
              case .string(let cp)? = m["checkpoint"], case .object(let index)? = m["index"], case .string(let note)? = index["note"],
              case .array(let idx)? = m["indexes"], case .object(let p)? = m["proof"], case .array(let sib)? = p["siblings"] else {
            throw fail("missing or mistyped members (key, size, checkpoint, index.note, indexes, proof.siblings)")
        }
        self.key = key
        self.size = size
        checkpoint = try SignedNote(cp)
        indexNote = try SignedNote(note)
        indexes = try idx.map { v throws(LogFormatError) in guard case .int(let i) = v else { throw fail("an index is not an integer") }; return i }
        let siblings = try sib.map { v throws(LogFormatError) in
            guard case .string(let s) = v, let h = TreeHash(base64: s) else { throw fail("a sibling is not a base64 hash") }
            return h
        }
        var other: (TreeHash, TreeHash)?
        if case .object(let o)? = p["other"] {
            guard case .string(let k)? = o["key"], case .string(let v)? = o["value"], let kh = TreeHash(base64: k), let vh = TreeHash(base64: v) else {
                throw fail("proof.other is not {key, value}")
            }
            other = (kh, vh)
        }
        proof = PrefixProof(siblings: siblings, other: other)
        if case .object(let l)? = m["latest"] {
            guard case .int(let i)? = l["index"], case .string(let e)? = l["entry"], let bytes = Base64.decode(e), case .array(let inc)? = l["inclusionProof"] else {
                throw fail("latest is not {index, entry, inclusionProof}")
            }
            let hashes = try inc.map { v throws(LogFormatError) in
                guard case .string(let s) = v, let h = TreeHash(base64: s) else { throw fail("an inclusion hash is not base64") }
                return h
            }
            latest = (i, bytes, hashes)
        } else {
            latest = nil
        }
        if case .object(let l)? = m["indexLog"] {
            guard case .string(let c)? = l["checkpoint"], case .int(let pos)? = l["position"], case .array(let inc)? = l["inclusionProof"] else {
                throw fail("indexLog is not {checkpoint, position, inclusionProof}")
            }
            let hashes = try inc.map { v throws(LogFormatError) in
                guard case .string(let s) = v, let h = TreeHash(base64: s) else { throw fail("an index-log hash is not base64") }
                return h
            }
            indexLog = (try SignedNote(c), Int(pos), hashes)
        } else {
            indexLog = nil
        }
    }

    /// What a verified lookup shows.
    public struct Verified: Sendable {
        public var key: String
        public var size: Int64
        public var indexes: [Int64]
        public var latest: [UInt8]?
    }

    /// Checks everything against the log's key: both notes signed by it and for the same size; the index
    /// root holds, for the key, exactly the entry numbers listed (or nothing, when none); the latest of them is
    /// in the log at the checkpoint and is about the key.
    public func verify(with verifier: Ed25519NoteVerifier) throws(LogFormatError) -> Verified {
        func fail(_ m: String) -> LogFormatError { LogFormatError("invalid: \(m)") }
        do {
            _ = try checkpoint.verify(with: [verifier])
            _ = try indexNote.verify(with: [verifier])
        } catch { throw fail(error.description) }
        let cp = try Checkpoint(body: checkpoint.text)
        guard Int64(cp.size) == size else { throw fail("the checkpoint is at size \(cp.size), the lookup says \(size)") }
        let lines = indexNote.text.split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3, lines[0] == "\(cp.origin)/index", Int64(lines[1]) == size, let root = TreeHash(base64: String(lines[2])) else {
            throw fail("the index note is not \(cp.origin)/index at size \(size)")
        }
        if let log = indexLog {
            // The index note is a leaf of the index log, whose checkpoint the log's key signed.
            do { _ = try log.checkpoint.verify(with: [verifier]) } catch { throw fail("index log: \(error.description)") }
            let lc = try Checkpoint(body: log.checkpoint.text)
            guard lc.origin == cp.origin + "/index-log",
                  MerkleVerifier.verifyInclusion(leaf: MerkleHasher.leaf(Array(indexNote.text.utf8)), index: log.position, size: lc.size,
                                                 proof: log.inclusion, root: lc.root) else {
                throw fail("the index note is not at position \(log.position) of the index log \(cp.origin)/index-log")
            }
        }
        guard indexes == indexes.sorted(), Set(indexes).count == indexes.count, indexes.allSatisfy({ $0 >= 0 && $0 < size }) else {
            throw fail("the entry numbers are not distinct log indexes below \(size), in order")
        }
        let value = VerifiableIndex.Entry(indexes: indexes)?.valueHash
        guard proof.verify(key: VerifiableIndex.keyHash(key), value: value, root: root) else {
            throw fail(value == nil ? "the index root does not show \(key) absent" : "the index root does not hold these \(indexes.count) entries for \(key)")
        }
        guard let last = indexes.last else {
            guard latest == nil else { throw fail("an entry is given for a key the index does not hold") }
            return Verified(key: key, size: size, indexes: [], latest: nil)
        }
        guard let latest, latest.index == last else { throw fail("the latest entry (log index \(last)) is not given") }
        guard MerkleVerifier.verifyInclusion(leaf: MerkleHasher.leaf(latest.entry), index: Int(last), size: cp.size, proof: latest.inclusion, root: cp.root) else {
            throw fail("the latest entry is not at log index \(last) of the checkpoint")
        }
        guard VerifiableIndex.keys(ofEntry: latest.entry).contains(key) else { throw fail("the latest entry is not about \(key)") }
        return Verified(key: key, size: size, indexes: indexes, latest: latest.entry)
    }
}
