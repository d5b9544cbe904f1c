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
        var out: [Mineral: [SupplyPoint]] = [:]
        func blank(_ m: Mineral) -> [SupplyPoint] {
            (0..<months).map { SupplyPoint(month: bounds[$0], mineral: m, totalTonnes: 0, heldTonnes: 0, haltedTonnes: 0, heldSites: []) }
        }
        for s in sites where !s.capacities.isEmpty {
            let held = map.entries(covering: s.cell).filter { $0.kind == .nonState }.map(\.period)
            let halts = haltedSpans(statuses[s.id] ?? [])
            for k in 0..<months {
                let month = Period(unchecked: bounds[k], bounds[k + 1])
                let isHeld = held.contains { $0.intersection(month) != nil }
                let isHalted = halts.contains { $0.intersection(month) != nil }
                for (m, t) in s.capacities {
                    if out[m] == nil { out[m] = blank(m) }
                    out[m]![k].totalTonnes += t
                    if isHeld { out[m]![k].heldTonnes += t; out[m]![k].heldSites.append(s.id) }
                    if isHalted { out[m]![k].haltedTonnes += t }
                }
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
