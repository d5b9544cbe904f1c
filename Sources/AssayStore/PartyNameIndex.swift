import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Every registered party's id and lower-cased name packed into one byte buffer, for search: a query is
/// one pass of `memchr` and `memcmp` over the buffer (a million parties in ~40 MB, searched in milliseconds), where a
/// `[Party]` of the same registry took about a gigabyte and `LIKE '%…%'` scanned the table on every query.
///
/// Each party is `id 0x00 lower-cased-name 0x00`; a needle never holds `0x00`, so a match never spans two
/// fields. Names as written are not kept: the caller reads the few it shows by id.
public struct PartyNameIndex: Sendable {
    private var keys: [UInt8] = []
    /// Where each party's bytes start (4 bytes a party: the buffer stays under 4 GiB, see ``add(id:name:)``).
    private var keyStarts: [UInt32] = []
    /// How often each byte occurs in `keys`: a search looks for the needle's rarest byte first.
    private var frequency = [Int](repeating: 0, count: 256)

    public init() {}

    /// How many parties the index holds.
    public var count: Int { keyStarts.count }

    /// Adds a party; parties are added in id order, and matches come back in that order. Returns false,
    /// adding nothing, once the buffer would pass 4 GiB (some 100 million parties).
    @discardableResult
    public mutating func add(id: String, name: String) -> Bool {
        let lowered = name.lowercased()
        guard keys.count + id.utf8.count + lowered.utf8.count + 2 <= Int(UInt32.max) else { return false }
        keyStarts.append(UInt32(keys.count))
        keys.append(contentsOf: id.utf8)
        keys.append(0)
        keys.append(contentsOf: lowered.utf8)
        keys.append(0)
        for b in id.utf8 { frequency[Int(b)] += 1 }
        for b in lowered.utf8 { frequency[Int(b)] += 1 }
        return true
    }

    /// The ids of the parties whose id or lower-cased name contains `needle` (already lower-cased), in id
    /// order, at most `limit`.
    public func matches(_ needle: [UInt8], limit: Int) -> [String] {
        guard !needle.isEmpty, !needle.contains(0), limit > 0, !keys.isEmpty else { return [] }
        var out: [String] = []
        // Scan for the needle's rarest byte ("party 12" in a registry of "Party N" names: a digit, not the
        // "p" every party has), then compare the whole needle around it.
        let anchor = needle.indices.min { frequency[Int(needle[$0])] < frequency[Int(needle[$1])] } ?? 0
        keys.withUnsafeBufferPointer { k in
            needle.withUnsafeBufferPointer { n in
                var from = 0
                while from < k.count, out.count < limit {
                    guard let offset = Self.find(n, in: k, from: from, anchor: anchor) else { break }
                    let record = record(containing: offset)
                    out.append(id(record, keys: k))
                    // The next search starts at the next party: one match a party.
                    from = record + 1 < keyStarts.count ? Int(keyStarts[record + 1]) : k.count
                }
            }
        }
        return out
    }

    /// The first offset at or after `from` where `needle` occurs: `memchr` for its byte at `anchor`, then
    /// `memcmp` of the whole needle around it (Glibc's `memmem` is a GNU extension Swift's Glibc module
    /// does not export).
    static func find(_ needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>, from: Int, anchor: Int = 0) -> Int? {
        guard let base = haystack.baseAddress, let n = needle.baseAddress, needle.count <= haystack.count,
              needle.indices.contains(anchor) else { return nil }
        let byte = Int32(n[anchor])
        let last = haystack.count - needle.count      // the last place the needle can start
        var i = from + anchor                         // where its anchor byte can be
        while i <= last + anchor {
            guard let p = memchr(base + i, byte, last + anchor - i + 1) else { return nil }
            let at = UnsafeRawPointer(p) - UnsafeRawPointer(base) - anchor
            if memcmp(base + at, n, needle.count) == 0 { return at }
            i = at + anchor + 1
        }
        return nil
    }

    /// The party whose bytes hold `offset` (the last start at or before it).
    private func record(containing offset: Int) -> Int {
        var lo = 0, hi = keyStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Int(keyStarts[mid]) <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    private func id(_ record: Int, keys k: UnsafeBufferPointer<UInt8>) -> String {
        let start = Int(keyStarts[record])
        var end = start
        while k[end] != 0 { end += 1 }
        return String(decoding: UnsafeBufferPointer(rebasing: k[start..<end]), as: UTF8.self)
    }
}
