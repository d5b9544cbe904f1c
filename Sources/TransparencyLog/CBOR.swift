/// A CBOR data item (RFC 8949), the subset COSE signed statements and receipts need: integers, byte
/// and text strings, arrays, maps, tags, `false`, `true` and `null`. No floats, no indefinite lengths.
///
/// Written here because no CBOR package is available to the project (see the package list in the
/// README); the subset is small and every rule it follows is from RFC 8949 and tested against its
/// Appendix A examples and an independent decoder (Python's `cbor2`).
///
/// ``encoded`` is the deterministic encoding of RFC 8949 §4.2.1: the shortest head for every number and
/// length, definite lengths only, and map keys sorted by the bytes of their encodings. ``init(decoding:)``
/// is strict: it refuses what that encoding never produces (a longer head than needed, an indefinite
/// length, a float, a duplicate map key, unsorted keys are allowed only where `deterministic` is false),
/// trailing bytes, and nesting deeper than 16, so hostile input is answered with an error, not a crash.
public indirect enum CBOR: Sendable, Hashable {
    case unsigned(UInt64)
    /// The negative integer `-1 - n`.
    case negative(UInt64)
    case bytes([UInt8])
    case text(String)
    case array([CBOR])
    /// A map's pairs in the order given; ``encoded`` sorts them.
    case map([Pair])
    case tagged(UInt64, CBOR)
    case bool(Bool)
    case null

    /// One key and its value in a map.
    public struct Pair: Sendable, Hashable {
        public var key: CBOR
        public var value: CBOR
        public init(_ key: CBOR, _ value: CBOR) { self.key = key; self.value = value }
    }

    /// An integer, positive or negative.
    public static func int(_ v: Int64) -> CBOR { v >= 0 ? .unsigned(UInt64(v)) : .negative(UInt64(-1 - v)) }

    /// The value as a signed integer, when it is an integer that fits.
    public var int: Int64? {
        switch self {
        case .unsigned(let u): u <= UInt64(Int64.max) ? Int64(u) : nil
        case .negative(let n): n <= UInt64(Int64.max) ? -1 - Int64(n) : nil
        default: nil
        }
    }

    public var bytes: [UInt8]? { if case .bytes(let b) = self { b } else { nil } }
    public var text: String? { if case .text(let t) = self { t } else { nil } }
    public var array: [CBOR]? { if case .array(let a) = self { a } else { nil } }
    public var map: [Pair]? { if case .map(let m) = self { m } else { nil } }

    /// The value of `key` in a map.
    public subscript(key: CBOR) -> CBOR? { map?.first { $0.key == key }?.value }

    // MARK: - Encoding

    /// The deterministic encoding (RFC 8949 §4.2.1).
    public var encoded: [UInt8] {
        var out: [UInt8] = []
        encode(into: &out)
        return out
    }

    func encode(into out: inout [UInt8]) {
        switch self {
        case .unsigned(let u): Self.head(0, u, &out)
        case .negative(let n): Self.head(1, n, &out)
        case .bytes(let b): Self.head(2, UInt64(b.count), &out); out += b
        case .text(let t): let u = Array(t.utf8); Self.head(3, UInt64(u.count), &out); out += u
        case .array(let items):
            Self.head(4, UInt64(items.count), &out)
            for i in items { i.encode(into: &out) }
        case .map(let pairs):
            Self.head(5, UInt64(pairs.count), &out)
            let sorted = pairs.map { ($0.key.encoded, $0.value) }.sorted { $0.0.lexicographicallyPrecedes($1.0) }
            for (k, v) in sorted { out += k; v.encode(into: &out) }
        case .tagged(let tag, let item): Self.head(6, tag, &out); item.encode(into: &out)
        case .bool(let b): out.append(b ? 0xF5 : 0xF4)
        case .null: out.append(0xF6)
        }
    }

    /// The shortest head for major type `major` and argument `value`.
    static func head(_ major: UInt8, _ value: UInt64, _ out: inout [UInt8]) {
        let m = major << 5
        switch value {
        case 0..<24: out.append(m | UInt8(value))
        case 24...0xFF: out += [m | 24, UInt8(value)]
        case 0x100...0xFFFF: out += [m | 25, UInt8(value >> 8), UInt8(value & 0xFF)]
        case 0x1_0000...0xFFFF_FFFF: out.append(m | 26); for s in stride(from: 24, through: 0, by: -8) { out.append(UInt8((value >> UInt64(s)) & 0xFF)) }
        default: out.append(m | 27); for s in stride(from: 56, through: 0, by: -8) { out.append(UInt8((value >> UInt64(s)) & 0xFF)) }
        }
    }

    // MARK: - Decoding

    /// Decodes exactly one item filling `bytes`. With `deterministic`, map keys must also be in the
    /// deterministic order (what a protected header or a signed payload must be to be re-encoded alike).
    public init(decoding bytes: [UInt8], deterministic: Bool = false) throws(CBORError) {
        var reader = Reader(bytes: bytes, deterministic: deterministic)
        self = try reader.item(depth: 0)
        guard reader.at == bytes.count else { throw CBORError("\(bytes.count - reader.at) bytes after the item, at offset \(reader.at)") }
    }

    struct Reader {
        let bytes: [UInt8]
        let deterministic: Bool
        var at = 0

        mutating func byte() throws(CBORError) -> UInt8 {
            guard at < bytes.count else { throw CBORError("the input ends at offset \(at) in the middle of an item") }
            defer { at += 1 }
            return bytes[at]
        }

        mutating func take(_ n: UInt64) throws(CBORError) -> [UInt8] {
            guard n <= UInt64(bytes.count - at) else { throw CBORError("a length of \(n) at offset \(at) runs past the end of the input") }
            defer { at += Int(n) }
            return Array(bytes[at..<at + Int(n)])
        }

        /// The head's major type and argument, refusing indefinite lengths and non-shortest heads.
        mutating func head() throws(CBORError) -> (UInt8, UInt64, UInt8) {
            let start = at
            let b = try byte()
            let major = b >> 5, info = b & 0x1F
            let value: UInt64
            switch info {
            case 0..<24: value = UInt64(info)
            case 24...27:
                let n = 1 << Int(info - 24)
                var v: UInt64 = 0
                for _ in 0..<n { v = v << 8 | UInt64(try byte()) }
                let minimum: UInt64 = switch info { case 24: 24; case 25: 0x100; case 26: 0x1_0000; default: 0x1_0000_0000 }
                guard major == 7 || v >= minimum else { throw CBORError("the number at offset \(start) is not in its shortest form") }
                value = v
            case 31: throw CBORError("indefinite length at offset \(start): only definite lengths are accepted")
            default: throw CBORError("reserved additional information \(info) at offset \(start)")
            }
            return (major, value, info)
        }

        mutating func item(depth: Int) throws(CBORError) -> CBOR {
            guard depth <= 16 else { throw CBORError("nesting deeper than 16 at offset \(at)") }
            let start = at
            let (major, value, info) = try head()
            switch major {
            case 0: return .unsigned(value)
            case 1: return .negative(value)
            case 2: return .bytes(try take(value))
            case 3:
                guard let s = String(validating: try take(value), as: UTF8.self) else { throw CBORError("the text string at offset \(start) is not UTF-8") }
                return .text(s)
            case 4:
                guard value <= UInt64(bytes.count - at) else { throw CBORError("an array of \(value) items at offset \(start) is longer than the input") }
                var items: [CBOR] = []
                for _ in 0..<value { items.append(try item(depth: depth + 1)) }
                return .array(items)
            case 5:
                guard value <= UInt64(bytes.count - at) / 2 else { throw CBORError("a map of \(value) pairs at offset \(start) is longer than the input") }
                var pairs: [Pair] = []
                var lastKey: [UInt8]?
                var seen: Set<[UInt8]> = []
                for _ in 0..<value {
                    let keyStart = at
                    let key = try item(depth: depth + 1)
                    let keyBytes = Array(bytes[keyStart..<at])
                    guard seen.insert(keyBytes).inserted else { throw CBORError("a duplicate map key at offset \(keyStart)") }
                    if deterministic, let last = lastKey, !last.lexicographicallyPrecedes(keyBytes) {
                        throw CBORError("the map key at offset \(keyStart) is out of deterministic order")
                    }
                    lastKey = keyBytes
                    pairs.append(Pair(key, try item(depth: depth + 1)))
                }
                return .map(pairs)
            case 6: return .tagged(value, try item(depth: depth + 1))
            default:
                switch (info, value) {
                case (20, _): return .bool(false)
                case (21, _): return .bool(true)
                case (22, _): return .null
                default: throw CBORError("unsupported simple value or float (additional information \(info)) at offset \(start)")
                }
            }
        }
    }
}

/// Why bytes are not a CBOR item Assay accepts, with the offset where it went wrong.
public struct CBORError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { "CBOR: \(message)" }
}
