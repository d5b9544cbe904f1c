/// A right an agreement gives.
public enum Right: String, Sendable, CaseIterable {
    case explore, extract, export, offtake, refine
    case firstOffer = "first-offer"
}

/// How exclusive a grant is.
public enum Exclusivity: String, Sendable, CaseIterable {
    /// No one else may hold these rights here.
    case exclusive
    /// A right of first offer: the beneficiary is offered the rights before anyone else.
    case firstOffer = "first-offer"
    case nonExclusive = "non-exclusive"
}

/// Rights over minerals in an area for a period, given to a beneficiary under an agreement.
public struct Grant: Sendable, Hashable {
    public var id: String
    public var agreement: String
    public var beneficiary: String
    public var rights: [Right]
    public var exclusivity: Exclusivity
    public var minerals: MineralSet
    public var area: Area
    public var period: Period
    /// When set, the grant was recorded despite collisions, for this stated reason.
    public var contested: String?
    public var provenance: Provenance

    public init(id: String, agreement: String, beneficiary: String, rights: [Right], exclusivity: Exclusivity,
                minerals: MineralSet, area: Area, period: Period, contested: String? = nil,
                provenance: Provenance = Provenance()) {
        self.id = id; self.agreement = agreement; self.beneficiary = beneficiary; self.rights = rights
        self.exclusivity = exclusivity; self.minerals = minerals; self.area = area; self.period = period
        self.contested = contested; self.provenance = provenance
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        agreement = try o.id("agreement")
        beneficiary = try o.id("beneficiary")
        var rs: [Right] = []
        for (v, p) in try o.array("rights", maxCount: 10) {
            guard case .string(let s) = v, let r = Right(rawValue: s) else {
                throw DomainError(.invalidField, field: p, "not a right; use one of: \(Right.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            if !rs.contains(r) { rs.append(r) }
        }
        if rs.isEmpty { throw DomainError(.missingField, field: o.path("rights"), "name at least one right") }
        rights = Right.allCases.filter(rs.contains)
        exclusivity = try o.enumValue("exclusivity", Exclusivity.self)
        if exclusivity == .firstOffer, !rights.contains(.firstOffer) { rights.append(.firstOffer) }
        minerals = try MineralSet(from: o, "minerals")
        area = try Area(json: o.object("area"))
        period = try Period(from: o.optionalDay("from"), until: o.optionalDay("until"), field: o.path)
        contested = try o.optionalString("contested", maxLength: 2000)
        provenance = try Provenance(from: o)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = [
            "id": .string(id), "agreement": .string(agreement), "beneficiary": .string(beneficiary),
            "rights": .array(rights.map { .string($0.rawValue) }), "exclusivity": .string(exclusivity.rawValue),
            "minerals": minerals.json, "area": area.json,
        ]
        if let f = period.from { m["from"] = .string(f.iso) }
        if let u = period.until { m["until"] = .string(u.iso) }
        if let contested { m["contested"] = .string(contested) }
        provenance.write(into: &m)
        return m
    }
}
