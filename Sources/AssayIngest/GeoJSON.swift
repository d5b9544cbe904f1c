import AssayDomain

/// A GeoJSON feature as Assay reads it: its properties and its polygons (Polygon or MultiPolygon
/// geometry; other geometries are refused with the feature's position).
public struct GeoFeature: Sendable {
    public var properties: [String: JSONValue]
    public var polygons: [Polygon]
    /// A Point geometry, `(longitude, latitude)`, when the feature is a point.
    public var point: (lon: Double, lat: Double)?
}

/// Reads GeoJSON (RFC 7946) FeatureCollections with the project's strict JSON parser.
public enum GeoJSON {
    /// The features of a FeatureCollection (or a single Feature).
    /// - Throws: ``DomainError`` naming the feature and member that is wrong.
    public static func features(_ bytes: [UInt8]) throws -> [GeoFeature] {
        let root: JSONValue
        do { root = try JSONParser.parse(bytes) } catch { throw DomainError(.invalidField, field: "", error.description) }
        let o = try JSONObject(root, path: "")
        let type = try o.string("type")
        if type == "Feature" { return [try feature(root, path: "")] }
        guard type == "FeatureCollection" else {
            throw DomainError(.invalidField, field: "type", "expected FeatureCollection or Feature, found \(type)")
        }
        return try o.array("features", maxCount: 1_000_000).map { try feature($0.value, path: $0.path) }
    }

    static func feature(_ v: JSONValue, path: String) throws -> GeoFeature {
        let o = try JSONObject(v, path: path)
        var props: [String: JSONValue] = [:]
        if case .object(let p)? = o.optionalValue("properties") { props = p }
        let g = try o.object("geometry")
        let type = try g.string("type")
        let coords = try g.value("coordinates")
        switch type {
        case "Polygon":
            return GeoFeature(properties: props, polygons: [try polygon(coords, path: g.path("coordinates"))], point: nil)
        case "MultiPolygon":
            guard case .array(let parts) = coords else {
                throw DomainError(.invalidField, field: g.path("coordinates"), "expected an array of polygons")
            }
            let polys = try parts.enumerated().map { try polygon($0.element, path: "\(g.path("coordinates"))[\($0.offset)]") }
            return GeoFeature(properties: props, polygons: polys, point: nil)
        case "Point":
            let p = try position(coords, path: g.path("coordinates"))
            return GeoFeature(properties: props, polygons: [], point: p)
        default:
            throw DomainError(.invalidField, field: g.path("type"), "\(type) is not supported; use Polygon, MultiPolygon or Point")
        }
    }

    static func polygon(_ v: JSONValue, path: String) throws -> Polygon {
        guard case .array(let rings) = v, !rings.isEmpty else {
            throw DomainError(.invalidField, field: path, "expected an array of linear rings")
        }
        var out: [[(lon: Double, lat: Double)]] = []
        for (i, ring) in rings.enumerated() {
            guard case .array(let pts) = ring, pts.count >= 4 else {
                throw DomainError(.invalidField, field: "\(path)[\(i)]", "a linear ring needs at least 4 positions")
            }
            out.append(try pts.enumerated().map { try position($0.element, path: "\(path)[\(i)][\($0.offset)]") })
        }
        return Polygon(rings: out)
    }

    static func position(_ v: JSONValue, path: String) throws -> (lon: Double, lat: Double) {
        func number(_ x: JSONValue) -> Double? {
            switch x {
            case .int(let i): Double(i)
            case .decimal(let t): Double(t)
            default: nil
            }
        }
        guard case .array(let xs) = v, xs.count >= 2, let lon = number(xs[0]), let lat = number(xs[1]),
              (-180...180).contains(lon), (-90...90).contains(lat) else {
            throw DomainError(.invalidField, field: path, "expected a position [longitude, latitude] in degrees")
        }
        return (lon, lat)
    }
}
