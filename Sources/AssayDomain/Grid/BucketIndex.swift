/// A multi-level grid index over cell sets, for finding collision candidates without scanning.
///
/// Level `L` cuts the globe into square buckets of `4 · 4^L` cells a side (4 cells ≈ 2′, up to 4,096
/// cells ≈ 34°). A set is indexed at the finest level where its bounding box spans at most 16 buckets,
/// so a 3 × 3-cell title gets one to four small buckets and a whole country one or two large ones. A
/// query probes every level with the buckets its own cells touch, as ranges of bucket keys (one per
/// bucket row), so two sets that share a cell always share a probed key. Keys are
/// `level << 40 | bucketRow × bucketColumns + bucketColumn`.
public enum BucketIndex {
    public static let levels = 6
    static let maxBuckets = 16

    public static func side(_ level: Int) -> Int { 4 << (2 * level) }
    static func columns(_ level: Int) -> Int { (CellGrid.columns + side(level) - 1) / side(level) }
    static func key(_ level: Int, _ row: Int, _ col: Int) -> Int64 { Int64(level) << 40 | Int64(row * columns(level) + col) }

    /// For each bucket row a set touches at `level`, the first and last bucket column.
    static func spans(_ cells: CellSet, level: Int) -> [Int: (Int, Int)] {
        let s = side(level)
        var out: [Int: (Int, Int)] = [:]
        for r in cells.ranges {
            var cell = r.lowerBound
            while true {
                let (row, col) = CellGrid.rowColumn(cell)
                let rowEnd = min(r.upperBound, CellGrid.id(row: row, column: CellGrid.columns - 1))
                let endCol = CellGrid.rowColumn(rowEnd).column
                let br = row / s, b0 = col / s, b1 = endCol / s
                if let (lo, hi) = out[br] { out[br] = (min(lo, b0), max(hi, b1)) } else { out[br] = (b0, b1) }
                if rowEnd >= r.upperBound { break }
                cell = rowEnd + 1
            }
        }
        return out
    }

    /// The keys a set is stored under (at most 16, except at the coarsest level).
    public static func keys(for cells: CellSet) -> [Int64] {
        guard !cells.isEmpty else { return [] }
        for level in 0..<levels {
            let sp = spans(cells, level: level)
            let count = sp.values.reduce(0) { $0 + $1.1 - $1.0 + 1 }
            if count <= maxBuckets || level == levels - 1 {
                return sp.flatMap { row, span in (span.0...span.1).map { key(level, row, $0) } }.sorted()
            }
        }
        return []
    }

    /// The key ranges a query must probe: every level, one range per bucket row its cells touch.
    public static func probes(for cells: CellSet) -> [ClosedRange<Int64>] {
        var out: [ClosedRange<Int64>] = []
        for level in 0..<levels {
            for (row, span) in spans(cells, level: level) { out.append(key(level, row, span.0)...key(level, row, span.1)) }
        }
        return out.sorted { $0.lowerBound < $1.lowerBound }
    }
}
