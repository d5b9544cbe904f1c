import Crypto

/// A SHA-256 hash in a Merkle tree, kept inline (no heap allocation), so proofs over millions of
/// entries cost what the hashing costs.
public struct TreeHash: Hashable, Sendable, CustomStringConvertible {
    /// The 32 bytes, in order, as a homogeneous tuple (whose layout Swift guarantees to be contiguous).
    var raw: (UInt64, UInt64, UInt64, UInt64)

    public static func == (a: TreeHash, b: TreeHash) -> Bool {
        a.raw.0 == b.raw.0 && a.raw.1 == b.raw.1 && a.raw.2 == b.raw.2 && a.raw.3 == b.raw.3
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(raw.0); hasher.combine(raw.1); hasher.combine(raw.2); hasher.combine(raw.3)
    }

    init(raw: (UInt64, UInt64, UInt64, UInt64)) { self.raw = raw }

    /// Exactly 32 bytes; `nil` otherwise.
    public init?<C: Collection>(bytes: C) where C.Element == UInt8 {
        guard bytes.count == 32 else { return nil }
        var r: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &r) { dst in
            // One copy from contiguous storage (the common case); byte by byte otherwise.
            let copied: Void? = bytes.withContiguousStorageIfAvailable { dst.copyMemory(from: UnsafeRawBufferPointer($0)) }
            if copied == nil { for (i, b) in bytes.enumerated() { dst[i] = b } }
        }
        raw = r
    }

    /// A SHA-256 digest as a tree hash (no copy through an array).
    public init(digest: SHA256.Digest) {
        var r: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        withUnsafeMutableBytes(of: &r) { dst in digest.withUnsafeBytes { dst.copyMemory(from: $0) } }
        raw = r
    }

    /// Calls `body` with the 32 bytes.
    public func withBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try withUnsafeBytes(of: raw, body)
    }

    public var bytes: [UInt8] { withBytes { Array($0) } }

    /// Lower-case hex, through a lookup table (String(format:) costs ~25 µs a digest, see STYLE.md).
    public var hex: String { Hex.encode(bytes) }

    public init?(hex: String) {
        guard let b = Hex.decode(hex) else { return nil }
        self.init(bytes: b)
    }

    public var base64: String { Base64.encode(bytes) }

    public init?(base64: String) {
        guard let b = Base64.decode(base64) else { return nil }
        self.init(bytes: b)
    }

    public var description: String { hex }
}

/// Hex encoding with a lookup table.
public enum Hex {
    private static let digits: [UInt8] = Array("0123456789abcdef".utf8)

    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// Decodes hex (either case); `nil` for odd length or a non-hex character.
    public static func decode(_ s: String) -> [UInt8]? {
        let u = Array(s.utf8)
        guard u.count % 2 == 0 else { return nil }
        func v(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: nil
            }
        }
        var out = [UInt8]()
        out.reserveCapacity(u.count / 2)
        var i = 0
        while i < u.count {
            guard let hi = v(u[i]), let lo = v(u[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}

/// Standard base64 (RFC 4648 §4) with padding, strict on decode (no white space, canonical padding).
public enum Base64 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [Int16] = {
        var t = [Int16](repeating: -1, count: 256)
        for (i, c) in alphabet.enumerated() { t[Int(c)] = Int16(i) }
        return t
    }()

    public static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        let b = Array(bytes)
        var out = [UInt8]()
        out.reserveCapacity((b.count + 2) / 3 * 4)
        var i = 0
        while i + 2 < b.count {
            let n = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            i += 3
        }
        if b.count - i == 1 {
            let n = UInt32(b[i]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if b.count - i == 2 {
            let n = UInt32(b[i]) << 16 | UInt32(b[i + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ s: String) -> [UInt8]? {
        let u = Array(s.utf8)
        guard u.count % 4 == 0 else { return nil }
        var out = [UInt8]()
        out.reserveCapacity(u.count / 4 * 3)
        var i = 0
        while i < u.count {
            let pad = (u[i + 3] == UInt8(ascii: "=") ? 1 : 0) + (u[i + 2] == UInt8(ascii: "=") ? 1 : 0)
            if pad > 0, i + 4 != u.count { return nil }
            if u[i + 2] == UInt8(ascii: "="), u[i + 3] != UInt8(ascii: "=") { return nil }
            var n: UInt32 = 0
            for k in 0..<(4 - pad) {
                let v = reverse[Int(u[i + k])]
                if v < 0 { return nil }
                n |= UInt32(v) << UInt32(18 - 6 * k)
            }
            out.append(UInt8(n >> 16 & 255))
            if pad < 2 { out.append(UInt8(n >> 8 & 255)) }
            if pad < 1 { out.append(UInt8(n & 255)) }
            // Canonical: the unused low bits must be zero.
            if pad == 1, n & 0xFF != 0 { return nil }
            if pad == 2, n & 0xFFFF != 0 { return nil }
            i += 4
        }
        return out
    }
}
