import Foundation

/// New values for a registered site's name, location or minerals (what a later IPIS visit says);
/// absent fields keep their value. The journal keeps every version.
///
/// For example: `{"type":"update-site","site":"ipis-codmine00309","name":"D3 Bibatama","minerals":["Coltan","Cassitérite"]}`
public struct SiteUpdate: Sendable, Hashable {
    public var site: String
    public var name: String?
    public var latitude: Decimal?
    public var longitude: Decimal?
    public var minerals: MineralSet?
    public var source: String?

    public init(site: String, name: String? = nil, latitude: Decimal? = nil, longitude: Decimal? = nil, minerals: MineralSet? = nil, source: String? = nil) {
        self.site = site; self.name = name; self.latitude = latitude; self.longitude = longitude; self.minerals = minerals; self.source = source
    }

    public init(json o: JSONObject) throws(DomainError) {
        site = try o.id("site")
        name = try o.optionalString("name", maxLength: 300)
        latitude = try o.optionalDecimal("latitude")
        longitude = try o.optionalDecimal("longitude")
        if (latitude == nil) != (longitude == nil) {
            throw DomainError(.missingField, field: o.path(latitude == nil ? "latitude" : "longitude"), "give latitude and longitude together")
        }
        if let la = latitude, let lo = longitude {
            _ = try CellGrid.cell(latitude: NSDecimalNumber(decimal: la).doubleValue, longitude: NSDecimalNumber(decimal: lo).doubleValue, field: o.path)
        }
        minerals = o.members["minerals"] == nil ? nil : try MineralSet(from: o, "minerals", required: false)
        source = try o.optionalString("source", maxLength: 500)
        if name == nil, latitude == nil, minerals == nil { throw DomainError(.missingField, field: o.path("name"), "give at least one of name, latitude and longitude, minerals") }
    }

    public var key: String { "update:\(site)" }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["site": .string(site)]
        if let name { m["name"] = .string(name) }
        if let latitude { m["latitude"] = .string(DecimalText.canonical(latitude)) }
        if let longitude { m["longitude"] = .string(DecimalText.canonical(longitude)) }
        if let minerals { m["minerals"] = minerals.json }
        if let source { m["source"] = .string(source) }
        return m
    }

    /// The site with these values applied.
    public func applied(to s: Site) -> Site {
        var out = s
        if let name { out.name = name }
        if let latitude, let longitude { out.latitude = latitude; out.longitude = longitude }
        if let minerals {
            out.minerals = minerals
            out.capacities = out.capacities.filter { minerals.contains($0.key) }
        }
        return out
    }
}
