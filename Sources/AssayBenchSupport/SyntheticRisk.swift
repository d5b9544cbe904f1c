import AssayDomain

/// Synthetic control assessments and lots over eastern DRC, the workload both `assay bench risk` and the
/// ordo-one risk benchmarks screen: discs of 3–15 km, each held for some months of ten years from 2016,
/// and lots with an origin and two route points on random days.
public enum SyntheticRisk {
    public static let start = Day(year: 2016, month: 1, day: 1)!

    /// A random point of eastern DRC (latitude 5° S to 1.5° N, longitude 26.5° to 30° E).
    public static func point(using rng: inout some RandomNumberGenerator) -> (latitude: Double, longitude: Double) {
        (Double.random(in: -5.0...1.5, using: &rng), Double.random(in: 26.5...30.0, using: &rng))
    }

    /// Assessment number `i` (every fifth by state forces, the rest by one of 40 armed groups).
    public static func assessment(_ i: Int, using rng: inout some RandomNumberGenerator) -> ControlEntry {
        let (lat, lon) = point(using: &rng)
        let from = start + Int.random(in: 0..<3400, using: &rng)
        return ControlEntry(id: "a\(i)", controller: "g\(i % 40)", kind: i % 5 == 0 ? .state : .nonState,
                            period: (try? Period(from: from, until: from + Int.random(in: 30...700, using: &rng))) ?? .always,
                            confidence: .high, sources: [], citation: "bench", recordedSequence: Int64(i), recordedDay: start,
                            cells: Area.circleCells(latitude: lat, longitude: lon, radiusKm: Double.random(in: 3...15, using: &rng)))
    }

    /// A random cell of the region and a day within ten years.
    public static func stop(_ site: String, using rng: inout some RandomNumberGenerator) -> (site: String, cell: UInt32, day: Day) {
        let (lat, lon) = point(using: &rng)
        return (site, (try? CellGrid.cell(latitude: lat, longitude: lon)) ?? 0, start + Int.random(in: 0..<3650, using: &rng))
    }

    /// `count` lots, each with an origin and two route points.
    public static func lots(_ count: Int, using rng: inout some RandomNumberGenerator) -> [ScreenLot] {
        (0..<count).map { i in
            ScreenLot(lot: "L\(i)", origins: [stop("s\(i)", using: &rng)], route: [stop("s\(i + 1)", using: &rng), stop("s\(i + 2)", using: &rng)])
        }
    }
}
