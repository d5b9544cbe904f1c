/// How one agreement depends on another.
public enum AgreementRelation: String, Sendable, CaseIterable {
    /// It takes effect, or is performed, only if the other is (a minerals deal conditional on a peace deal).
    case conditionalOn = "conditional-on"
    /// Signed together as one bargain (the US–DRC partnership beside the Washington Accords).
    case pairedWith = "paired-with"
    /// It carries out the other (an accord implementing a peace agreement).
    case implements

    /// The relation read from the other side.
    public var inverseName: String {
        switch self {
        case .conditionalOn: "condition of"
        case .pairedWith: "paired-with"
        case .implements: "implemented by"
        }
    }
}

/// A link between two agreements (`link-agreements`), so that a minerals agreement's page and balance
/// show the obligations of the agreements it depends on — including obligations of states that are not
/// parties to it (Rwanda's troop withdrawal under the peace agreement).
public struct AgreementLink: Sendable, Hashable {
    public var agreement: String
    public var linked: String
    public var relation: AgreementRelation
    public var note: String?
    public var provenance: Provenance

    public init(agreement: String, linked: String, relation: AgreementRelation, note: String? = nil, provenance: Provenance = Provenance()) {
        self.agreement = agreement; self.linked = linked; self.relation = relation; self.note = note; self.provenance = provenance
    }

    public init(json o: JSONObject) throws(DomainError) {
        agreement = try o.id("agreement")
        linked = try o.id("linked")
        if linked == agreement { throw DomainError(.invalidField, field: o.path("linked"), "an agreement cannot be linked to itself") }
        relation = try o.enumValue("relation", AgreementRelation.self)
        note = try o.optionalString("note", maxLength: 2000)
        provenance = try Provenance(from: o)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["agreement": .string(agreement), "linked": .string(linked), "relation": .string(relation.rawValue)]
        if let note { m["note"] = .string(note) }
        provenance.write(into: &m)
        return m
    }
}
