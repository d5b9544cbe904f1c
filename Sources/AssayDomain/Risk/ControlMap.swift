/// One control assessment as the map holds it: who, where (cells), when, how sure, from which source,
/// and when the registry learnt it (the entry that recorded it).
public struct ControlEntry: Sendable, Hashable {
    public var id: String
    public var controller: String
    public var kind: ControllerKind
    public var period: Period
    public var confidence: Confidence
    public var sources: [String]
    public var citation: String?
    public var recordedSequence: Int64
    public var recordedDay: Day
    public var cells: CellSet

    public init(id: String, controller: String, kind: ControllerKind, period: Period, confidence: Confidence, sources: [String],
                citation: String?, recordedSequence: Int64, recordedDay: Day, cells: CellSet) {
        self.id = id; self.controller = controller; self.kind = kind; self.period = period; self.confidence = confidence
        self.sources = sources; self.citation = citation; self.recordedSequence = recordedSequence; self.recordedDay = recordedDay; self.cells = cells
    }

    public var sourceText: String { sources.first ?? citation ?? "" }
}

/// Who held which ground when: the current (unsuperseded) control assessments indexed by grid tile
/// (one row × 32 columns, about 1 km × 30 km), so "who held this cell on this day" looks only at the
/// few runs of cells that cross its tile.
///
/// Written here rather than with a spatial library: the areas are already cell-range sets, and a
/// dictionary of row blocks over them is all a point lookup needs.
public struct ControlMap: Sendable {
    public let entries: [ControlEntry]
    /// Tile (row, column / 32) → (first cell, last cell, entry index), for every run of every entry.
    private let blocks: [Int: [(lo: UInt32, hi: UInt32, entry: Int32)]]

    static let tileColumns = 32
    static func block(_ cell: UInt32) -> Int { Int(cell) / tileColumns }

    public init(_ entries: [ControlEntry]) {
        self.entries = entries
        var b: [Int: [(lo: UInt32, hi: UInt32, entry: Int32)]] = [:]
        for (i, e) in entries.enumerated() {
            for r in e.cells.ranges {
                // Ranges never span rows for rasterised areas; split any that do, row by row.
                var lo = r.lowerBound
                while lo <= r.upperBound {
                    let rowEnd = UInt32((Int(lo) / CellGrid.columns + 1) * CellGrid.columns - 1)
                    let hi = min(rowEnd, r.upperBound)
                    // Tiles never straddle rows (43,200 columns is a multiple of 32).
                    for tile in ControlMap.block(lo)...ControlMap.block(hi) { b[tile, default: []].append((lo, hi, Int32(i))) }
                    if hi == UInt32.max { break }
                    lo = hi + 1
                }
            }
        }
        blocks = b
    }

    public static let empty = ControlMap([])

    /// Every assessment that covers `cell` on `day`, most confident first.
    public func holders(cell: UInt32, on day: Day) -> [ControlEntry] {
        guard let list = blocks[ControlMap.block(cell)] else { return [] }
        var out: [ControlEntry] = []
        for x in list where x.lo <= cell && cell <= x.hi {
            let e = entries[Int(x.entry)]
            if e.period.contains(day) { out.append(e) }
        }
        if out.count > 1 { out.sort { $0.confidence != $1.confidence ? $0.confidence > $1.confidence : $0.id < $1.id } }
        return out
    }

    /// The most confident non-state assessment covering `cell` on `day`, if any (no allocation when none).
    public func nonStateHolder(cell: UInt32, on day: Day) -> ControlEntry? {
        guard let list = blocks[ControlMap.block(cell)] else { return nil }
        var best: ControlEntry?
        for x in list where x.lo <= cell && cell <= x.hi {
            let e = entries[Int(x.entry)]
            guard e.kind == .nonState, e.period.contains(day) else { continue }
            if best == nil || e.confidence > best!.confidence { best = e }
        }
        return best
    }

    /// Every assessment that ever covers `cell` (for per-site timelines).
    public func entries(covering cell: UInt32) -> [ControlEntry] {
        guard let list = blocks[ControlMap.block(cell)] else { return [] }
        var seen = Set<Int32>()
        return list.filter { $0.lo <= cell && cell <= $0.hi && seen.insert($0.entry).inserted }.map { entries[Int($0.entry)] }
    }
}
