/// A polygon in degrees: the first ring is the outer boundary, the others are holes. Points are
/// `(longitude, latitude)`, as GeoJSON orders them. Rings need not be closed.
public struct Polygon: Sendable, Equatable {
    public var rings: [[(lon: Double, lat: Double)]]

    public init(rings: [[(lon: Double, lat: Double)]]) { self.rings = rings }

    public static func == (a: Polygon, b: Polygon) -> Bool {
        a.rings.count == b.rings.count && zip(a.rings, b.rings).allSatisfy { ra, rb in
            ra.count == rb.count && zip(ra, rb).allSatisfy { $0.lon == $1.lon && $0.lat == $1.lat }
        }
    }

    /// Even–odd point-in-polygon (holes excluded).
    public func contains(latitude: Double, longitude: Double) -> Bool {
        var inside = false
        for ring in rings where ring.count >= 3 {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[i], b = ring[j]
                if (a.lat > latitude) != (b.lat > latitude),
                   longitude < (b.lon - a.lon) * (latitude - a.lat) / (b.lat - a.lat) + a.lon {
                    inside.toggle()
                }
                j = i
            }
        }
        return inside
    }
}

/// Turns polygons into grid cells: a cell belongs when its centre is inside (even–odd rule, so holes
/// are left out; a multipolygon is the union of its parts).
///
/// A scanline fill at each row's centre latitude: every edge adds its crossing to the rows it spans,
/// then each row's crossings pair up into column runs. Work is proportional to edges × rows spanned
/// plus the runs produced, never to the area.
public enum Rasterizer {
    /// The cells whose centres lie inside any of `polygons`.
    public static func cells(of polygons: [Polygon]) -> CellSet {
        var all: [ClosedRange<UInt32>] = []
        for polygon in polygons { all.append(contentsOf: runs(of: polygon)) }
        return CellSet(ranges: all)
    }

    static func runs(of polygon: Polygon) -> [ClosedRange<UInt32>] {
        let k = Double(CellGrid.cellsPerDegree)
        var crossings: [Int: [Double]] = [:]
        for ring in polygon.rings where ring.count >= 3 {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[j], b = ring[i]
                j = i
                if a.lat == b.lat { continue }
                let (lo, hi) = a.lat < b.lat ? (a, b) : (b, a)
                // Rows whose centre latitude y satisfies lo.lat <= y < hi.lat.
                let firstRow = max(0, Int(((lo.lat + 90) * k - 0.5).rounded(.up)))
                let lastRow = min(CellGrid.rows - 1, Int(((hi.lat + 90) * k - 0.5).rounded(.up)) - 1)
                if firstRow > lastRow { continue }
                for row in firstRow...lastRow {
                    let y = CellGrid.rowCentreLatitude(row)
                    let x = lo.lon + (y - lo.lat) * (hi.lon - lo.lon) / (hi.lat - lo.lat)
                    crossings[row, default: []].append(x)
                }
            }
        }
        var out: [ClosedRange<UInt32>] = []
        for (row, xs) in crossings {
            let sorted = xs.sorted()
            var i = 0
            while i + 1 < sorted.count {
                // Columns whose centre x satisfies sorted[i] <= x < sorted[i+1].
                let c0 = max(0, Int(((sorted[i] + 180) * k - 0.5).rounded(.up)))
                let c1 = min(CellGrid.columns - 1, Int(((sorted[i + 1] + 180) * k - 0.5).rounded(.up)) - 1)
                if c0 <= c1 { out.append(CellGrid.id(row: row, column: c0)...CellGrid.id(row: row, column: c1)) }
                i += 2
            }
        }
        return out
    }
}
