/// A C2SP tlog-checkpoint: the origin line, the tree size in decimal, the root hash in base64, and
/// optional extension lines, each ending in a newline. This text is the body of a signed note.
///
/// For example:
/// ```
/// assay.example/log
/// 796
/// q7CqRYJ1lCQWTdqnmuGYFNjK5x64Nb4qzmfI8UMoJ/w=
/// ```
public struct Checkpoint: Sendable, Hashable {
    public var origin: String
    public var size: Int
    public var root: TreeHash
    public var extensions: [String]

    public init(origin: String, size: Int, root: TreeHash, extensions: [String] = []) {
        self.origin = origin; self.size = size; self.root = root; self.extensions = extensions
    }

    /// The note text: every line newline-terminated.
    public var body: String {
        ([origin, String(size), root.base64] + extensions).map { $0 + "\n" }.joined()
    }

    /// Parses a checkpoint body (the text of a signed note).
    /// - Throws: ``LogFormatError`` naming the line that is wrong.
    public init(body: String) throws(LogFormatError) {
        guard body.hasSuffix("\n") else { throw LogFormatError("checkpoint: the text must end with a newline") }
        let lines = body.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3 else { throw LogFormatError("checkpoint: needs an origin, a size and a root hash line") }
        guard !lines[0].isEmpty else { throw LogFormatError("checkpoint line 1: the origin is empty") }
        guard let size = Int(lines[1]), size >= 0, String(size) == lines[1] else {
            throw LogFormatError("checkpoint line 2: \"\(lines[1])\" is not a tree size in decimal without leading zeros")
        }
        guard let root = TreeHash(base64: lines[2]) else { throw LogFormatError("checkpoint line 3: not a base64 SHA-256 hash") }
        for (i, e) in lines.dropFirst(3).enumerated() where e.isEmpty {
            throw LogFormatError("checkpoint line \(i + 4): extension lines must not be empty")
        }
        origin = lines[0]
        self.size = size
        self.root = root
        extensions = Array(lines.dropFirst(3))
    }
}

/// Text in a log format (checkpoint, note, key, proof bundle, tile path) that is not well-formed.
public struct LogFormatError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
