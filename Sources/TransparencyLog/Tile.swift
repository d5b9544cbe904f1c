/// A C2SP tlog-tiles tile: 256 hashes of one tree level (`8 × level`) or 256 entries (the data tiles),
/// full or, at a checkpointed size, partial (width `1…255`).
///
/// Paths: `tile/<L>/<N>[.p/<W>]` and `tile/entries/<N>[.p/<W>]`, where `N` is written in groups of three
/// digits, all but the last prefixed with `x` (`1234067` → `x001/x234/067`).
public struct Tile: Sendable, Hashable {
    public static let height = 8
    public static let width = 256

    /// The tile level, or `nil` for an entry bundle.
    public var level: Int?
    public var index: Int
    public var width: Int

    public init(level: Int?, index: Int, width: Int = Tile.width) {
        self.level = level; self.index = index; self.width = width
    }

    public var isPartial: Bool { width < Tile.width }

    public var path: String {
        var s = "tile/" + (level.map(String.init) ?? "entries") + "/" + Tile.encode(index)
        if isPartial { s += ".p/\(width)" }
        return s
    }

    static func encode(_ n: Int) -> String {
        var groups: [String] = []
        var v = n
        repeat {
            let g = String(v % 1000)
            groups.append(String(repeating: "0", count: 3 - g.count) + g)
            v /= 1000
        } while v > 0
        return groups.reversed().enumerated().map { i, g in i < groups.count - 1 ? "x" + g : g }.joined(separator: "/")
    }

    /// Parses a tile path (with or without the leading `tile/`).
    public init(path: String) throws(LogFormatError) {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "tile" { parts.removeFirst() }
        guard parts.count >= 2 else { throw LogFormatError("tile path: expected tile/<L>/<N>[.p/<W>]") }
        let levelPart = parts.removeFirst()
        if levelPart == "entries" { level = nil } else {
            guard let l = Int(levelPart), l >= 0, l < 64, String(l) == levelPart else { throw LogFormatError("tile path: bad level \"\(levelPart)\"") }
            level = l
        }
        var w = Tile.width
        if parts.count >= 2, parts[parts.count - 2].hasSuffix(".p") {
            guard let pw = Int(parts[parts.count - 1]), (1..<Tile.width).contains(pw), String(pw) == parts[parts.count - 1] else {
                throw LogFormatError("tile path: a partial width is 1 to 255")
            }
            w = pw
            parts.removeLast()
            parts[parts.count - 1].removeLast(2)
        }
        var n = 0
        for (i, g) in parts.enumerated() {
            let last = i == parts.count - 1
            let digits = last ? g : (g.hasPrefix("x") ? String(g.dropFirst()) : "")
            guard digits.count == 3, digits.allSatisfy(\.isASCII), let v = Int(digits), !(i == 0 && v == 0 && !last) else {
                throw LogFormatError("tile path: bad index element \"\(g)\"")
            }
            n = n * 1000 + v
        }
        index = n
        width = w
    }

    /// The tile's bytes: its hashes, concatenated, read from `reader` (level tiles only).
    public func hashes(reader: some HashReader) throws -> [UInt8] {
        guard let level else { throw LogFormatError("entry bundles are not hash tiles") }
        var out: [UInt8] = []
        out.reserveCapacity(width * 32)
        for i in 0..<width {
            let h = try reader.hash(level: level * Tile.height, index: index * Tile.width + i)
            h.withBytes { out.append(contentsOf: $0) }
        }
        return out
    }

    /// The width of tile `index` at `level` in a tree of `size`, or `nil` when the tile has no hash yet.
    public static func width(level: Int?, index: Int, treeSize size: Int) -> Int? {
        let count = size >> (Tile.height * (level ?? 0))
        let w = min(Tile.width, count - index * Tile.width)
        return w > 0 ? w : nil
    }

    /// An entry bundle: each entry as a big-endian 16-bit length and its bytes.
    public static func bundle(_ entries: [[UInt8]]) throws(LogFormatError) -> [UInt8] {
        var out: [UInt8] = []
        for e in entries {
            guard e.count <= 0xFFFF else { throw LogFormatError("an entry longer than 65,535 bytes cannot be bundled") }
            out.append(UInt8(e.count >> 8)); out.append(UInt8(e.count & 0xFF))
            out.append(contentsOf: e)
        }
        return out
    }

    /// Splits an entry bundle back into entries.
    public static func entries(ofBundle bytes: [UInt8]) throws(LogFormatError) -> [[UInt8]] {
        var out: [[UInt8]] = []
        var i = 0
        while i < bytes.count {
            guard i + 2 <= bytes.count else { throw LogFormatError("entry bundle: truncated length") }
            let n = Int(bytes[i]) << 8 | Int(bytes[i + 1])
            guard i + 2 + n <= bytes.count else { throw LogFormatError("entry bundle: truncated entry") }
            out.append(Array(bytes[(i + 2)..<(i + 2 + n)]))
            i += 2 + n
        }
        return out
    }
}
