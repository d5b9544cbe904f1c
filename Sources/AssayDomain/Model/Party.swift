/// Who a party is.
public enum PartyKind: String, Sendable, CaseIterable {
    case state, company, agency, person, organisation
    case stateOwnedEnterprise = "state-owned-enterprise"
    case armedGroup = "armed-group"
}

/// A state, state-owned enterprise, company, armed group, agency, person or organisation.
///
/// For example: `{"type":"register-party","id":"cmoc","name":"CMOC Group","kind":"company","country":"CN"}`.
public struct Party: Sendable, Hashable {
    public var id: String
    public var name: String
    public var kind: PartyKind
    /// ISO 3166-1 alpha-2: a state's own code, a company's country of incorporation.
    public var country: String?
    public var provenance: Provenance

    public init(id: String, name: String, kind: PartyKind, country: String?, provenance: Provenance = Provenance()) {
        self.id = id; self.name = name; self.kind = kind; self.country = country; self.provenance = provenance
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        name = try o.string("name", maxLength: 300)
        kind = try o.enumValue("kind", PartyKind.self)
        country = try o.optionalString("country", maxLength: 2)
        if let c = country { try Country.validate(c, field: o.path("country")) }
        if kind == .state, country == nil {
            throw DomainError(.missingField, field: o.path("country"), "a state needs its ISO 3166-1 code")
        }
        provenance = try Provenance(from: o)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["id": .string(id), "name": .string(name), "kind": .string(kind.rawValue)]
        if let country { m["country"] = .string(country) }
        provenance.write(into: &m)
        return m
    }
}
