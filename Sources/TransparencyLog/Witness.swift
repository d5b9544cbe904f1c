/// A witness's rule (C2SP tlog-witness): cosign a log's new checkpoint only if it is signed by the log,
/// and is consistent with (grows from) the last checkpoint the witness cosigned for that log.
public struct Witness: Sendable {
    public let signer: CosignatureSigner

    public init(signer: CosignatureSigner) { self.signer = signer }

    /// What happened to an `add-checkpoint` request.
    public enum Refusal: Error, Sendable, Equatable, CustomStringConvertible {
        /// The note is not signed by the log's key, or does not parse.
        case badSignature(String)
        /// The request's `old` size is not the size the witness last saw: it answers with its size (HTTP 409).
        case conflict(known: Int)
        /// The consistency proof does not hold, or the tree shrank (HTTP 422).
        case inconsistent(String)

        public var description: String {
            switch self {
            case .badSignature(let m): "not signed by the log: \(m)"
            case .conflict(let n): "the witness's latest size for this log is \(n)"
            case .inconsistent(let m): "inconsistent: \(m)"
            }
        }
    }

    /// Checks `note` against the last cosigned checkpoint `previous` (nil for a log seen for the first
    /// time) and cosigns it.
    /// - Returns: the new checkpoint to remember and the cosignature line to return.
    public func addCheckpoint(previous: Checkpoint?, oldSize: Int, proof: [TreeHash], note: SignedNote, logKey: any NoteVerifier,
                              timestamp: UInt64) throws -> (Checkpoint, NoteSignature) {
        do { _ = try note.verify(with: [logKey]) } catch { throw Refusal.badSignature(error.description) }
        let cp: Checkpoint
        do { cp = try Checkpoint(body: note.text) } catch { throw Refusal.badSignature(error.description) }
        guard cp.origin == logKey.name else { throw Refusal.badSignature("origin \(cp.origin) is not \(logKey.name)") }
        let known = previous?.size ?? 0
        guard oldSize == known else { throw Refusal.conflict(known: known) }
        guard cp.size >= known else { throw Refusal.inconsistent("size \(cp.size) is smaller than \(known)") }
        let oldRoot = previous?.root ?? MerkleHasher.empty
        guard MerkleVerifier.verifyConsistency(size1: known, size2: cp.size, root1: oldRoot, root2: cp.root, proof: proof) else {
            throw Refusal.inconsistent("the consistency proof from \(known) to \(cp.size) does not verify")
        }
        return (cp, try signer.cosign(body: note.text, timestamp: timestamp))
    }

    /// The body of an `add-checkpoint` request: `old <size>`, the consistency proof, a blank line, the note.
    public static func request(oldSize: Int, proof: [TreeHash], note: SignedNote) -> String {
        "old \(oldSize)\n" + proof.map { $0.base64 + "\n" }.joined() + "\n" + note.serialized
    }

    public static func parseRequest(_ text: String) throws(LogFormatError) -> (oldSize: Int, proof: [TreeHash], note: SignedNote) {
        guard let sep = text.range(of: "\n\n") else { throw LogFormatError("add-checkpoint: no blank line before the checkpoint") }
        let lines = text[..<sep.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let first = lines.first, first.hasPrefix("old "), let old = Int(first.dropFirst(4)), old >= 0 else {
            throw LogFormatError("add-checkpoint line 1: expected \"old <size>\"")
        }
        let proof = try ProofHashes.parse(lines: Array(lines.dropFirst()), what: "add-checkpoint proof")
        let note = try SignedNote(String(text[sep.upperBound...]))
        guard !("\n" + note.text).contains("\n\n") else {
            throw LogFormatError("add-checkpoint: an empty line among the proof hashes (one blank line separates them from the checkpoint)")
        }
        return (old, proof, note)
    }
}
