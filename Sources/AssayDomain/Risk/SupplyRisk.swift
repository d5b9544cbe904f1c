import Foundation

/// One month of one mineral's supply at risk: capacity in total, on ground held by a non-state armed
/// group at any time that month, and halted at any time that month (tonnes a year).
public struct SupplyPoint: Sendable, Hashable {
    public var month: Day
    public var mineral: Mineral
    public var totalTonnes: Double
    public var heldTonnes: Double
    public var haltedTonnes: Double
    /// Sites on held ground that month.
    public var heldSites: [String]

    public var heldShare: Double { totalTonnes > 0 ? heldTonnes / totalTonnes : 0 }

    public var json: JSONValue {
        .object(["month": .string(month.monthKey), "mineral": .string(mineral.rawValue),
                 "totalTonnes": .string(String(format: "%.0f", totalTonnes)), "heldTonnes": .string(String(format: "%.0f", heldTonnes)),
                 "haltedTonnes": .string(String(format: "%.0f", haltedTonnes)), "heldShare": .string(String(format: "%.4f", heldShare)),
                 "heldSites": .array(heldSites.map { .string($0) })])
    }
}

/// A site as supply-at-risk needs it.
public struct SupplySite: Sendable {
    public var id: String
    public var cell: UInt32
    public var capacities: [Mineral: Double]
    public init(id: String, cell: UInt32, capacities: [Mineral: Double]) { self.id = id; self.cell = cell; self.capacities = capacities }
}

/// Supply at risk by month (pure). A site counts as held in a month when any non-state control
/// assessment covering its cell overlaps the month; as halted when any halted span does.
public enum SupplyRisk {
    public static func monthly(sites: [SupplySite], statuses: [String: [SiteStatus]], map: ControlMap, from: Day, months: Int) -> [Mineral: [SupplyPoint]] {
        let first = from.firstOfMonth
        var bounds: [Day] = [first]
        for _ in 0..<months { bounds.append(bounds.last!.firstOfNextMonth) }
        /// The months (indices) a period overlaps, by binary search on the month bounds.
        func monthRange(_ p: Period) -> ClosedRange<Int>? {
            let lo = p.from.map { f in (bounds.lastIndex { $0 <= f } ?? 0) } ?? 0
            let hi = p.until.map { u in (bounds.firstIndex { $0 >= u } ?? months) - 1 } ?? (months - 1)
            let a = max(0, lo), b = min(months - 1, hi)
            guard a <= b, p.from.map({ $0 < bounds[months] }) ?? true, p.until.map({ $0 > bounds[0] }) ?? true else { return nil }
            return a...b
        }
        var total: [Mineral: [Double]] = [:], held: [Mineral: [Double]] = [:], halted: [Mineral: [Double]] = [:]
        var heldSites: [Mineral: [[String]]] = [:]
        var heldMonths = [Bool](repeating: false, count: months), haltedMonths = [Bool](repeating: false, count: months)
        for s in sites where !s.capacities.isEmpty {
            for k in 0..<months { heldMonths[k] = false; haltedMonths[k] = false }
            for e in map.entries(covering: s.cell) where e.kind == .nonState {
                if let r = monthRange(e.period) { for k in r { heldMonths[k] = true } }
            }
            if let st = statuses[s.id] {
                for p in haltedSpans(st) { if let r = monthRange(p) { for k in r { haltedMonths[k] = true } } }
            }
            for (m, t) in s.capacities {
                if total[m] == nil {
                    total[m] = [Double](repeating: 0, count: months); held[m] = total[m]; halted[m] = total[m]
                    heldSites[m] = [[String]](repeating: [], count: months)
                }
                for k in 0..<months {
                    total[m]![k] += t
                    if heldMonths[k] { held[m]![k] += t; heldSites[m]![k].append(s.id) }
                    if haltedMonths[k] { halted[m]![k] += t }
                }
            }
        }
        var out: [Mineral: [SupplyPoint]] = [:]
        for (m, tot) in total {
            out[m] = (0..<months).map { k in
                SupplyPoint(month: bounds[k], mineral: m, totalTonnes: tot[k], heldTonnes: held[m]![k], haltedTonnes: halted[m]![k], heldSites: heldSites[m]![k])
            }
        }
        return out
    }

    /// Spans a site was halted: from each `halted` to the next `operating` (open when none).
    public static func haltedSpans(_ statuses: [SiteStatus]) -> [Period] {
        var out: [Period] = []
        var start: Day?
        for s in statuses.sorted(by: { $0.date < $1.date }) {
            switch s.status {
            case .halted: if start == nil { start = s.date }
            case .operating:
                if let b = start, s.date > b { out.append(Period(unchecked: b, s.date)) }
                start = nil
            }
        }
        if let b = start { out.append(Period(unchecked: b, nil)) }
        return out
    }

    /// The share of an area's cells held by non-state armed groups on `day` (union of the assessments).
    public static func heldShare(of cells: CellSet, on day: Day, map: ControlMap) -> (heldCells: Int, share: Double) {
        guard !cells.isEmpty else { return (0, 0) }
        var held = CellSet.empty
        for e in map.entries where e.kind == .nonState && e.period.contains(day) {
            let x = e.cells.intersection(cells)
            if !x.isEmpty { held = held.union(x) }
        }
        return (held.count, Double(held.count) / Double(cells.count))
    }
}
