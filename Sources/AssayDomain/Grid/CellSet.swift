/// A set of grid cells (``CellGrid``), kept as sorted, disjoint, non-adjacent id ranges.
///
/// Rasterised areas are mostly row runs, so a concession of thousands of cells is a few dozen ranges
/// and a whole province a few thousand; intersection is a linear merge of ranges. Overlap of two areas
/// is exact set intersection, with no geometry library.
///
/// For example:
/// ```swift
/// let a = CellSet(ids: [10, 11, 12, 40])          // ranges 10…12, 40…40
/// let b = CellSet(ranges: [11...50])
/// a.intersection(b).count                         // 3
/// ```
public struct CellSet: Sendable, Hashable {
    /// Sorted, disjoint and non-adjacent.
    public private(set) var ranges: [ClosedRange<UInt32>]

    public static let empty = CellSet(normalized: [])

    init(normalized: [ClosedRange<UInt32>]) { ranges = normalized }

    /// Builds a set from any ranges (they may overlap or come in any order).
    public init(ranges input: [ClosedRange<UInt32>]) {
        let sorted = input.sorted { $0.lowerBound < $1.lowerBound }
        var out: [ClosedRange<UInt32>] = []
        out.reserveCapacity(sorted.count)
        for r in sorted {
            if let last = out.last, r.lowerBound <= last.upperBound &+ 1, last.upperBound != .max {
                if r.upperBound > last.upperBound { out[out.count - 1] = last.lowerBound...r.upperBound }
            } else {
                out.append(r)
            }
        }
        ranges = out
    }

    /// Builds a set from cell ids (any order, duplicates allowed).
    public init<S: Sequence>(ids: S) where S.Element == UInt32 {
        self.init(ranges: ids.map { $0...$0 })
    }

    /// The number of cells.
    public var count: Int { ranges.reduce(0) { $0 + Int($1.upperBound - $1.lowerBound) + 1 } }
    public var isEmpty: Bool { ranges.isEmpty }

    public func contains(_ cell: UInt32) -> Bool {
        var lo = 0, hi = ranges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let r = ranges[mid]
            if cell < r.lowerBound { hi = mid - 1 } else if cell > r.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    /// The cells in both sets.
    public func intersection(_ other: CellSet) -> CellSet {
        var out: [ClosedRange<UInt32>] = []
        var i = 0, j = 0
        let a = ranges, b = other.ranges
        while i < a.count, j < b.count {
            let lo = max(a[i].lowerBound, b[j].lowerBound)
            let hi = min(a[i].upperBound, b[j].upperBound)
            if lo <= hi { out.append(lo...hi) }
            if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
        }
        return CellSet(normalized: out)
    }

    /// Whether the sets share a cell (stops at the first shared cell).
    public func intersects(_ other: CellSet) -> Bool {
        var i = 0, j = 0
        let a = ranges, b = other.ranges
        while i < a.count, j < b.count {
            if max(a[i].lowerBound, b[j].lowerBound) <= min(a[i].upperBound, b[j].upperBound) { return true }
            if a[i].upperBound < b[j].upperBound { i += 1 } else { j += 1 }
        }
        return false
    }

    /// The cells in either set.
    public func union(_ other: CellSet) -> CellSet { CellSet(ranges: ranges + other.ranges) }

    /// Every cell id, in order. Mind the size of large areas.
    public var ids: [UInt32] { ranges.flatMap { Array($0) } }

    /// The area in hectares.
    public var hectares: Double {
        var total = 0.0
        for r in ranges {
            var cell = r.lowerBound
            while cell <= r.upperBound {
                let row = CellGrid.rowColumn(cell).row
                let rowEnd = min(r.upperBound, CellGrid.id(row: row, column: CellGrid.columns - 1))
                total += Double(rowEnd - cell + 1) * CellGrid.hectares(row: row)
                cell = rowEnd + 1
            }
        }
        return total
    }

    /// The smallest box holding every cell, by cell edges; `nil` when empty.
    public var boundingBox: BoundingBox? {
        guard let first = ranges.first, let last = ranges.last else { return nil }
        let minRow = CellGrid.rowColumn(first.lowerBound).row
        let maxRow = CellGrid.rowColumn(last.upperBound).row
        var minCol = Int.max, maxCol = Int.min
        for r in ranges {
            let (r0, c0) = CellGrid.rowColumn(r.lowerBound)
            let (r1, c1) = CellGrid.rowColumn(r.upperBound)
            if r0 != r1 { minCol = 0; maxCol = CellGrid.columns - 1; break }
            minCol = min(minCol, c0)
            maxCol = max(maxCol, c1)
        }
        let k = Double(CellGrid.cellsPerDegree)
        return BoundingBox(south: -90 + Double(minRow) / k, west: -180 + Double(minCol) / k,
                           north: -90 + Double(maxRow + 1) / k, east: -180 + Double(maxCol + 1) / k)
    }

    /// Canonical JSON: `[[first, last], …]`.
    public var json: JSONValue {
        .array(ranges.map { .array([.int(Int64($0.lowerBound)), .int(Int64($0.upperBound))]) })
    }

    /// Reads `[[first, last], …]` (a bare id stands for a one-cell range), checking every id.
    public init(json value: JSONValue, field: String) throws(DomainError) {
        guard case .array(let items) = value else {
            throw DomainError(.invalidField, field: field, "expected an array of [first, last] cell id ranges, found \(value.typeName)")
        }
        if items.count > 1_000_000 { throw DomainError(.invalidField, field: field, "has more than 1,000,000 ranges") }
        var out: [ClosedRange<UInt32>] = []
        out.reserveCapacity(items.count)
        for (i, item) in items.enumerated() {
            let p = "\(field)[\(i)]"
            func cellID(_ v: JSONValue, _ p: String) throws(DomainError) -> UInt32 {
                guard case .int(let x) = v, x >= 0, x < Int64(CellGrid.cellCount) else {
                    throw DomainError(.invalidField, field: p, "expected a cell id from 0 to \(CellGrid.cellCount - 1)")
                }
                return UInt32(x)
            }
            switch item {
            case .int: let c = try cellID(item, p); out.append(c...c)
            case .array(let pair) where pair.count == 2:
                let lo = try cellID(pair[0], p + "[0]"), hi = try cellID(pair[1], p + "[1]")
                guard lo <= hi else { throw DomainError(.invalidField, field: p, "range must be [first, last] with first ≤ last") }
                out.append(lo...hi)
            default: throw DomainError(.invalidField, field: p, "expected a cell id or a [first, last] pair")
            }
        }
        self.init(ranges: out)
    }
}

extension CellSet {
    /// Compact binary form: each range as two little-endian `UInt32`s.
    public var blob: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(ranges.count * 8)
        for r in ranges {
            for v in [r.lowerBound, r.upperBound] {
                out.append(UInt8(v & 0xFF)); out.append(UInt8(v >> 8 & 0xFF)); out.append(UInt8(v >> 16 & 0xFF)); out.append(UInt8(v >> 24))
            }
        }
        return out
    }

    /// Reads ``blob``; `nil` when the bytes are not a valid normalised range list.
    public init?<C: Collection>(blob bytes: C) where C.Element == UInt8 {
        guard bytes.count % 8 == 0 else { return nil }
        var out: [ClosedRange<UInt32>] = []
        out.reserveCapacity(bytes.count / 8)
        var it = bytes.makeIterator()
        func next() -> UInt32 {
            var v: UInt32 = 0
            for shift in stride(from: 0, to: 32, by: 8) { v |= UInt32(it.next() ?? 0) << UInt32(shift) }
            return v
        }
        for _ in 0..<(bytes.count / 8) {
            let lo = next(), hi = next()
            guard lo <= hi, hi < CellGrid.cellCount, out.last.map({ $0.upperBound &+ 1 < lo }) ?? true else { return nil }
            out.append(lo...hi)
        }
        self.init(normalized: out)
    }
}
