/// One first-level administrative area (a DRC province), with its boundary and its cells.
public struct Province: Sendable {
    /// ISO 3166-2 code, like `CD-NK`.
    public let code: String
    public let name: String
    public let polygons: [Polygon]
    public let cells: CellSet
    let box: BoundingBox?

    public init(code: String, name: String, polygons: [Polygon]) {
        self.code = code
        self.name = name
        self.polygons = polygons
        self.cells = Rasterizer.cells(of: polygons)
        var s = 90.0, w = 180.0, n = -90.0, e = -180.0
        for p in polygons { for ring in p.rings { for pt in ring {
            s = min(s, pt.lat); n = max(n, pt.lat); w = min(w, pt.lon); e = max(e, pt.lon)
        } } }
        box = s <= n ? BoundingBox(south: s, west: w, north: n, east: e) : nil
    }

    public func contains(latitude: Double, longitude: Double) -> Bool {
        guard let b = box, latitude >= b.south, latitude <= b.north, longitude >= b.west, longitude <= b.east else { return false }
        return polygons.contains { $0.contains(latitude: latitude, longitude: longitude) }
    }
}

/// The provinces of a country and what follows from them: point → province, cell → province,
/// province → cells, and the whole country's cells. Built once from the boundary file the project ships.
public struct Geography: Sendable {
    /// ISO 3166-1 alpha-2 code of the country these provinces divide.
    public let country: String
    public let provinces: [Province]
    public let countryCells: CellSet
    private let byCode: [String: Int]

    public init(country: String, provinces: [Province]) {
        self.country = country
        self.provinces = provinces.sorted { $0.code < $1.code }
        var index: [String: Int] = [:]
        for (i, p) in self.provinces.enumerated() { index[p.code] = i }
        byCode = index
        countryCells = CellSet(ranges: self.provinces.flatMap(\.cells.ranges))
    }

    /// A geography with no provinces (tests of rules that need none).
    public static let none = Geography(country: "CD", provinces: [])

    public func province(code: String) -> Province? { byCode[code].map { provinces[$0] } }

    /// The province whose boundary contains the point, if any.
    public func province(latitude: Double, longitude: Double) -> Province? {
        provinces.first { $0.contains(latitude: latitude, longitude: longitude) }
    }

    /// The province a cell belongs to (its centre is inside the province's boundary).
    public func province(ofCell cell: UInt32) -> Province? {
        provinces.first { $0.cells.contains(cell) }
    }

    /// The distinct provinces a set of cells touches, by code.
    public func provinces(of cells: CellSet) -> [String] {
        provinces.filter { $0.cells.intersects(cells) }.map(\.code)
    }
}
