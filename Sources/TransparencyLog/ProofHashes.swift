import Foundation

/// Proof hashes written as text (a comma-separated argument, or one hash a line), read strictly: every
/// element must be exactly one SHA-256 hash, 32 bytes once decoded. An empty element (a lone comma, two
/// commas in a row, a comma at the start or the end, an empty line) is refused, never skipped, so text
/// cannot pass for a proof with a step silently dropped.
///
/// ```swift
/// try ProofHashes.parse(list: "")                  // [] — the empty proof
/// try ProofHashes.parse(list: "\(a.hex),\(b.hex)")  // [a, b]
/// try ProofHashes.parse(list: ",")                 // throws: element 1 is empty
/// ```
public enum ProofHashes {
    /// How each hash is written.
    public enum Encoding: Sendable {
        /// Hexadecimal, either case: 64 characters.
        case hex
        /// Standard base64 with padding (RFC 4648 §4): 44 characters.
        case base64
    }

    /// Parses hashes separated by `separator`. The empty text is the empty proof; otherwise the text has
    /// one element more than it has separators, and each, with surrounding spaces ignored, must be a hash.
    /// - Parameter what: how messages name the list (a command-line option, say).
    /// - Throws: ``LogFormatError`` naming the first element (counted from 1) that is empty or not a hash.
    public static func parse(list text: String, separator: Character = ",", encoding: Encoding = .hex,
                             what: String = "proof") throws(LogFormatError) -> [TreeHash] {
        if text.isEmpty { return [] }
        let elements = text.split(separator: separator, omittingEmptySubsequences: false)
            .map { $0.trimmingCharacters(in: .whitespaces) }
        return try parse(elements: elements, encoding: encoding, what: what, unit: "element")
    }

    /// Parses proof lines, one hash a line, as tlog-proof bundles and add-checkpoint requests carry
    /// them: no white space is allowed, and an empty line is an error.
    /// - Throws: ``LogFormatError`` naming the first line (counted from 1) that is empty or not a hash.
    public static func parse(lines: [String], encoding: Encoding = .base64, what: String = "proof") throws(LogFormatError) -> [TreeHash] {
        try parse(elements: lines, encoding: encoding, what: what, unit: "hash line")
    }

    static func parse(elements: [String], encoding: Encoding, what: String, unit: String) throws(LogFormatError) -> [TreeHash] {
        var hashes: [TreeHash] = []
        hashes.reserveCapacity(elements.count)
        for (i, e) in elements.enumerated() {
            guard !e.isEmpty else {
                throw LogFormatError("\(what) \(unit) \(i + 1) of \(elements.count): empty; every \(unit) must be one SHA-256 hash")
            }
            let hash: TreeHash? = switch encoding {
            case .hex: TreeHash(hex: e)
            case .base64: TreeHash(base64: e)
            }
            guard let hash else {
                let form = encoding == .hex ? "in hex (64 characters)" : "in base64 (44 characters)"
                throw LogFormatError("\(what) \(unit) \(i + 1) of \(elements.count): \"\(e.prefix(80))\" is not a SHA-256 hash (32 bytes) \(form)")
            }
            hashes.append(hash)
        }
        return hashes
    }
}
