/// A C2SP tlog-proof: an offline proof that an entry is in the log. Assay puts the entry's own bytes in
/// the `extra` line, so the bundle is all a verifier needs besides the log's verifier key.
///
/// ```
/// c2sp.org/tlog-proof@v1
/// extra <base64 entry>
/// index 41
/// <base64 hash>          (the inclusion proof, leaf's sibling first)
///
/// <the signed checkpoint, verbatim, with any cosignatures>
/// ```
///
/// Parsing is strict: every proof line is one base64 SHA-256 hash, and an empty line among the hashes is
/// an error (see ``ProofHashes``).
public struct ProofBundle: Sendable, Hashable {
    public static let header = "c2sp.org/tlog-proof@v1"

    public var extra: [UInt8]?
    public var index: Int
    public var proof: [TreeHash]
    public var checkpoint: SignedNote

    public init(extra: [UInt8]?, index: Int, proof: [TreeHash], checkpoint: SignedNote) {
        self.extra = extra; self.index = index; self.proof = proof; self.checkpoint = checkpoint
    }

    public var text: String {
        var s = Self.header + "\n"
        if let extra { s += "extra \(Base64.encode(extra))\n" }
        s += "index \(index)\n"
        for h in proof { s += h.base64 + "\n" }
        return s + "\n" + checkpoint.serialized
    }

    public init(text: String) throws(LogFormatError) {
        guard let sep = text.range(of: "\n\n") else { throw LogFormatError("proof: no blank line before the checkpoint") }
        var lines = text[..<sep.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.first == Self.header else { throw LogFormatError("proof line 1: expected \(Self.header)") }
        lines.removeFirst()
        if let first = lines.first, first.hasPrefix("extra ") {
            guard let e = Base64.decode(String(first.dropFirst(6))) else { throw LogFormatError("proof: the extra line is not base64") }
            extra = e
            lines.removeFirst()
        } else {
            extra = nil
        }
        guard let idx = lines.first, idx.hasPrefix("index "), let i = Int(idx.dropFirst(6)), i >= 0, String(i) == String(idx.dropFirst(6)) else {
            throw LogFormatError("proof: expected \"index <N>\"")
        }
        index = i
        lines.removeFirst()
        proof = try ProofHashes.parse(lines: lines)
        checkpoint = try SignedNote(String(text[sep.upperBound...]))
        // The first blank line ends the hashes. A checkpoint has no empty line, so one in the note's text
        // was an empty line among (or after) the proof hashes: refused, not read as a shorter proof.
        guard !("\n" + checkpoint.text).contains("\n\n") else {
            throw LogFormatError("proof: an empty line among the proof hashes (one blank line, and only one, separates the hashes from the checkpoint)")
        }
    }

    /// Checks the bundle with the log's verifier key (and any witness keys): the checkpoint's signature,
    /// then the entry's inclusion in the checkpointed tree.
    /// - Returns: the checkpoint and the names whose signatures verified.
    public func verify(logKey: any NoteVerifier, witnesses: [any NoteVerifier] = []) throws -> (Checkpoint, [String]) {
        let names = try checkpoint.verify(with: [logKey] + witnesses)
        guard names.contains(logKey.name) else { throw NoteVerificationError("the checkpoint is not signed by the log's key \(logKey.name)") }
        let cp = try Checkpoint(body: checkpoint.text)
        guard cp.origin == logKey.name else {
            throw NoteVerificationError("the checkpoint's origin \(cp.origin) is not the log's name \(logKey.name)")
        }
        guard let extra else { throw NoteVerificationError("the bundle does not carry the entry (extra line)") }
        guard MerkleVerifier.verifyInclusion(leaf: MerkleHasher.leaf(extra), index: index, size: cp.size, proof: proof, root: cp.root) else {
            throw NoteVerificationError("the inclusion proof of entry \(index) does not lead to the checkpoint's root")
        }
        return (cp, names)
    }
}
