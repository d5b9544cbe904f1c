import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every registered party's id and lower-cased name packed into one byte buffer, for search: a query is
/// one pass of `memchr` and `memcmp` over the buffer (a million parties in ~40 MB, searched in milliseconds), where a
/// `[Party]` of the same registry took about a gigabyte and `LIKE '%…%'` scanned the table on every query.
///
/// Each party is `id 0x00 lower-cased-name 0x00`; a needle never holds `0x00`, so a match never spans two
/// fields. Names as written are kept in a second buffer, decoded only for the matches returned.
public struct PartyNameIndex: Sendable {
    private var keys: [UInt8] = []
    private var keyStarts: [Int] = []
    private var names: [UInt8] = []
    private var nameStarts: [Int] = []

    public init() {}

    /// How many parties the index holds.
    public var count: Int { keyStarts.count }

    /// Adds a party; parties are added in id order, and matches come back in that order.
    public mutating func add(id: String, name: String) {
        keyStarts.append(keys.count)
        keys.append(contentsOf: id.utf8)
        keys.append(0)
        keys.append(contentsOf: name.lowercased().utf8)
        keys.append(0)
        nameStarts.append(names.count)
        names.append(contentsOf: name.utf8)
    }

    /// The parties whose id or lower-cased name contains `needle` (already lower-cased), in id order, at most `limit`.
    public func matches(_ needle: [UInt8], limit: Int) -> [(id: String, name: String)] {
        guard !needle.isEmpty, !needle.contains(0), limit > 0, !keys.isEmpty else { return [] }
        var out: [(id: String, name: String)] = []
        keys.withUnsafeBufferPointer { k in
            needle.withUnsafeBufferPointer { n in
                var from = 0
                while from < k.count, out.count < limit {
                    guard let offset = Self.find(n, in: k, from: from) else { break }
                    let record = record(containing: offset)
                    out.append(entry(record, keys: k))
                    // The next search starts at the next party: one match a party.
                    from = record + 1 < keyStarts.count ? keyStarts[record + 1] : k.count
                }
            }
        }
        return out
    }

    /// The first offset at or after `from` where `needle` occurs: `memchr` for its first byte, then `memcmp`
    /// (Glibc's `memmem` is a GNU extension Swift's Glibc module does not export).
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from: Int) -> Int? {
        guard let base = haystack.baseAddress, let n = needle.baseAddress, needle.count <= haystack.count else { return nil }
        let first = Int32(n[0])
        var i = from
        let last = haystack.count - needle.count
        while i <= last {
            guard let p = memchr(base + i, first, last - i + 1) else { return nil }
            let at = UnsafeRawPointer(p) - UnsafeRawPointer(base)
            if memcmp(base + at, n, needle.count) == 0 { return at }
            i = at + 1
        }
        return nil
    }

    /// The party whose bytes hold `offset` (the last start at or before it).
    private func record(containing offset: Int) -> Int {
        var lo = 0, hi = keyStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if keyStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    private func entry(_ record: Int, keys k: UnsafeBufferPointer<UInt8>) -> (id: String, name: String) {
        let start = keyStarts[record]
        var end = start
        while k[end] != 0 { end += 1 }
        let id = String(decoding: UnsafeBufferPointer(rebasing: k[start..<end]), as: UTF8.self)
        let nameEnd = record + 1 < nameStarts.count ? nameStarts[record + 1] : names.count
        let name = String(decoding: names[nameStarts[record]..<nameEnd], as: UTF8.self)
        return (id, name)
    }
}
