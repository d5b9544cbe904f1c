import AssayDomain

/// The part of the country a map shows, in degrees: the whole country, one province (`?province=CD-NK`)
/// or a box (`?bbox=west,south,east,north`). The map is always drawn in the country's projection; a
/// frame only chooses its `viewBox`, so what is held, granted or mined lands at the same place at
/// every zoom, and the pan-and-zoom script moves the same box.
struct MapFrame: Sendable, Equatable {
    var west: Double, south: Double, east: Double, north: Double
    /// The province's ISO 3166-2 code when the frame is a province.
    var province: String?

    /// The frame a request asks for, or nil for the whole country. Errors name the parameter.
    static func requested(province: String?, bbox: String?, geography: Geography) throws(Problem) -> MapFrame? {
        if province != nil, bbox != nil { throw Problem.invalid("bbox", "give province or bbox, not both") }
        if let code = province {
            guard let p = geography.provinces.first(where: { $0.code == code }) else {
                throw Problem.invalid("province", "no province \(code); expected one of \(geography.provinces.map(\.code).sorted().joined(separator: ", "))")
            }
            guard var f = MapFrame(polygons: p.polygons) else { throw Problem.invalid("province", "province \(code) has no boundary") }
            f.province = p.code
            return f
        }
        guard let bbox else { return nil }
        let parts = bbox.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 4, let w = parts[0], let s = parts[1], let e = parts[2], let n = parts[3], [w, s, e, n].allSatisfy(\.isFinite) else {
            throw Problem.invalid("bbox", "expected four numbers: west,south,east,north in degrees (like 28.5,-2.5,29.6,-1.2)")
        }
        guard (-180...180).contains(w), (-180...180).contains(e), (-90...90).contains(s), (-90...90).contains(n) else {
            throw Problem.invalid("bbox", "longitudes are -180 to 180 and latitudes -90 to 90")
        }
        guard w < e, s < n else { throw Problem.invalid("bbox", "west must be less than east and south less than north") }
        guard e - w >= 0.01, n - s >= 0.01 else { throw Problem.invalid("bbox", "the box must be at least 0.01° wide and high") }
        return MapFrame(west: w, south: s, east: e, north: n)
    }

    init(west: Double, south: Double, east: Double, north: Double, province: String? = nil) {
        self.west = west; self.south = south; self.east = east; self.north = north; self.province = province
    }

    /// The box around every point of `polygons`.
    init?(polygons: [Polygon]) {
        var s = 90.0, w = 180.0, n = -90.0, e = -180.0
        for poly in polygons { for ring in poly.rings { for pt in ring {
            s = min(s, pt.lat); n = max(n, pt.lat); w = min(w, pt.lon); e = max(e, pt.lon)
        } } }
        guard s < n, w < e else { return nil }
        self.init(west: w, south: s, east: e, north: n)
    }

    /// The box around some points (a site, a title's cells, a grant), widened to at least `minimum`
    /// degrees each way so one point still shows its surroundings.
    init(around boxes: [BoundingBox], minimum: Double) {
        var s = 90.0, w = 180.0, n = -90.0, e = -180.0
        for b in boxes { s = min(s, b.south); n = max(n, b.north); w = min(w, b.west); e = max(e, b.east) }
        if s > n { (s, n, w, e) = (0, 0, 0, 0) }
        let cx = (w + e) / 2, cy = (s + n) / 2
        let half = max(minimum / 2, (e - w) / 2 * 1.3, (n - s) / 2 * 1.3)
        self.init(west: cx - half, south: cy - half, east: cx + half, north: cy + half)
    }

    /// `west,south,east,north` as `?bbox=` takes it.
    var bboxText: String {
        [west, south, east, north].map { String(format: "%.4f", $0) }.joined(separator: ",")
    }

    func intersects(_ b: BoundingBox) -> Bool { b.west <= east && b.east >= west && b.south <= north && b.north >= south }
    func contains(latitude: Double, longitude: Double) -> Bool { (south...north).contains(latitude) && (west...east).contains(longitude) }
}
