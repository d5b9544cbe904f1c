import Foundation

/// What kind of place a site is along the supply chain.
public enum SiteKind: String, Sendable, CaseIterable {
    case industrialMine = "industrial-mine"
    case artisanalSite = "artisanal-site"
    case processingPlant = "processing-plant"
    case smelter = "smelter-refinery"
    case tradingPost = "trading-post"
    case borderCrossing = "border-crossing"
    case port
}

/// A mine, artisanal site, plant, smelter, trading post, border crossing or port: a point, the
/// minerals found or handled there, and capacity per mineral where known. Its province and cell
/// follow from the point (``Geography``, ``CellGrid``).
public struct Site: Sendable, Hashable {
    public var id: String
    public var name: String
    public var kind: SiteKind
    /// Degrees, kept as decimals so the journal never holds a float.
    public var latitude: Decimal
    public var longitude: Decimal
    public var minerals: MineralSet
    /// Tonnes a year, per mineral.
    public var capacities: [Mineral: Decimal]
    public var operatorParty: String?
    /// An outside key, like the IPIS `pcode`.
    public var externalID: String?
    public var provenance: Provenance

    public init(id: String, name: String, kind: SiteKind, latitude: Decimal, longitude: Decimal, minerals: MineralSet,
                capacities: [Mineral: Decimal] = [:], operatorParty: String? = nil, externalID: String? = nil,
                provenance: Provenance = Provenance()) {
        self.id = id; self.name = name; self.kind = kind; self.latitude = latitude; self.longitude = longitude
        self.minerals = minerals; self.capacities = capacities; self.operatorParty = operatorParty
        self.externalID = externalID; self.provenance = provenance
    }

    public var latitudeDegrees: Double { NSDecimalNumber(decimal: latitude).doubleValue }
    public var longitudeDegrees: Double { NSDecimalNumber(decimal: longitude).doubleValue }

    /// The grid cell the site stands in.
    public var cell: UInt32 {
        get throws(DomainError) { try CellGrid.cell(latitude: latitudeDegrees, longitude: longitudeDegrees) }
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        name = try o.string("name", maxLength: 300)
        kind = try o.enumValue("kind", SiteKind.self)
        latitude = try o.decimal("latitude")
        longitude = try o.decimal("longitude")
        minerals = try MineralSet(from: o, "minerals", required: false)
        var caps: [Mineral: Decimal] = [:]
        if let c = try o.optionalObject("capacities") {
            for key in c.members.keys.sorted() {
                guard let m = Mineral.named(key) else {
                    throw DomainError(.invalidField, field: c.path(key), "unknown mineral \"\(key)\"")
                }
                let t = try c.decimal(key)
                guard t >= 0 else { throw DomainError(.invalidField, field: c.path(key), "capacity must not be negative") }
                guard minerals.contains(m) else {
                    throw DomainError(.invalidField, field: c.path(key), "\(m.rawValue) has a capacity but is not among the site's minerals")
                }
                caps[m] = t
            }
        }
        capacities = caps
        operatorParty = try o.optionalID("operator")
        externalID = try o.optionalString("externalId", maxLength: 100)
        provenance = try Provenance(from: o)
        _ = try CellGrid.cell(latitude: latitudeDegrees, longitude: longitudeDegrees, field: o.path)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = [
            "id": .string(id), "name": .string(name), "kind": .string(kind.rawValue),
            "latitude": .string(DecimalText.canonical(latitude)), "longitude": .string(DecimalText.canonical(longitude)),
            "minerals": minerals.json,
        ]
        if !capacities.isEmpty {
            m["capacities"] = .object(Dictionary(uniqueKeysWithValues: capacities.map { ($0.key.rawValue, .string(DecimalText.canonical($0.value))) }))
        }
        if let operatorParty { m["operator"] = .string(operatorParty) }
        if let externalID { m["externalId"] = .string(externalID) }
        provenance.write(into: &m)
        return m
    }
}
