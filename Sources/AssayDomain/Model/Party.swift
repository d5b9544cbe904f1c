/// Who a party is.
public enum PartyKind: String, Sendable, CaseIterable {
    case state, company, agency, person, organisation
    case stateOwnedEnterprise = "state-owned-enterprise"
    case armedGroup = "armed-group"
    /// A committee or mechanism made of other parties (a joint steering committee, a joint security mechanism).
    case jointBody = "joint-body"
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
    /// Other spellings of the name that sources use (search finds the party by any of them).
    public var aliases: [String]
    /// A joint body's members.
    public var members: [String]
    public var provenance: Provenance

    public init(id: String, name: String, kind: PartyKind, country: String?, aliases: [String] = [], members: [String] = [],
                provenance: Provenance = Provenance()) {
        self.id = id; self.name = name; self.kind = kind; self.country = country; self.aliases = aliases; self.members = members
        self.provenance = provenance
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
        aliases = try o.strings("aliases", maxCount: 20)
        for (i, a) in aliases.enumerated() where a.count > 300 || a.contains("\n") {
            throw DomainError(.invalidField, field: "\(o.path("aliases"))[\(i)]", "an alias is one line of at most 300 characters")
        }
        members = try o.strings("members", maxCount: 50)
        for (i, m) in members.enumerated() { try Identifier.validate(m, field: "\(o.path("members"))[\(i)]") }
        if kind == .jointBody, members.count < 2 {
            throw DomainError(.missingField, field: o.path("members"), "a joint body is made of at least two parties")
        }
        if kind != .jointBody, !members.isEmpty {
            throw DomainError(.invalidField, field: o.path("members"), "only a joint body has members")
        }
        provenance = try Provenance(from: o)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["id": .string(id), "name": .string(name), "kind": .string(kind.rawValue)]
        if let country { m["country"] = .string(country) }
        if !aliases.isEmpty { m["aliases"] = .array(aliases.map { .string($0) }) }
        if !members.isEmpty { m["members"] = .array(members.map { .string($0) }) }
        provenance.write(into: &m)
        return m
    }
}
