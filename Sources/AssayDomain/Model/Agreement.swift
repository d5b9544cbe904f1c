/// What an agreement trades.
public enum AgreementKind: String, Sendable, CaseIterable {
    case mineralsForSecurity = "minerals-for-security"
    case offtake
    case jointVenture = "joint-venture"
    case mineralsForInfrastructure = "minerals-for-infrastructure"
    case memorandum
    case strategicPartnership = "strategic-partnership"
    case securityMemorandum = "security-memorandum"
    case peaceAgreement = "peace-agreement"
}

/// The lifecycle of an agreement as a state machine.
///
/// `proposed → negotiating | signed | terminated`; `negotiating → signed | terminated`;
/// `signed → in-force | suspended | disputed | terminated`; `in-force → suspended | disputed | terminated`;
/// `suspended → in-force | terminated`; `disputed → in-force | terminated`. `terminated` is final.
public enum AgreementStatus: String, Sendable, CaseIterable {
    case proposed, negotiating, signed
    case inForce = "in-force"
    case suspended, disputed, terminated

    public var allowedNext: [AgreementStatus] {
        switch self {
        case .proposed: [.negotiating, .signed, .terminated]
        case .negotiating: [.signed, .terminated]
        case .signed: [.inForce, .suspended, .disputed, .terminated]
        case .inForce: [.suspended, .disputed, .terminated]
        case .suspended: [.inForce, .terminated]
        case .disputed: [.inForce, .terminated]
        case .terminated: []
        }
    }

    /// Whether the agreement's grants are rights already given (and so block colliding grants).
    public var grantsAreGiven: Bool { self == .signed || self == .inForce || self == .suspended || self == .disputed }
}

/// A party's role in an agreement.
public enum AgreementRole: String, Sendable, CaseIterable {
    case grantor, grantee, partner, guarantor, witness, mediator
    case securityProvider = "security-provider"
}

/// A document of an agreement, known by its SHA-256; confidential ones show only their hash publicly.
public struct AgreementDocument: Sendable, Hashable {
    public var sha256: String
    public var url: String?
    public var title: String?
    public var confidential: Bool

    public init(sha256: String, url: String? = nil, title: String? = nil, confidential: Bool = false) {
        self.sha256 = sha256; self.url = url; self.title = title; self.confidential = confidential
    }

    init(json o: JSONObject) throws(DomainError) {
        sha256 = try o.string("sha256", maxLength: 64)
        try SHA256Hex.validate(sha256, field: o.path("sha256"))
        url = try o.optionalString("url", maxLength: 2000)
        title = try o.optionalString("title", maxLength: 300)
        confidential = try o.optionalBool("confidential") ?? false
        try o.rejectUnknown()
    }

    var json: JSONValue {
        var m: [String: JSONValue] = ["sha256": .string(sha256)]
        if let url { m["url"] = .string(url) }
        if let title { m["title"] = .string(title) }
        if confidential { m["confidential"] = .bool(true) }
        return .object(m)
    }
}

/// An agreement between parties: its kind, status, signing date, the version it amends, documents.
/// Grants and obligations are recorded against it by their own commands.
public struct Agreement: Sendable, Hashable {
    public struct Member: Sendable, Hashable {
        public var party: String
        public var role: AgreementRole
        public init(party: String, role: AgreementRole) { self.party = party; self.role = role }
    }

    public var id: String
    public var title: String
    public var kind: AgreementKind
    public var parties: [Member]
    public var status: AgreementStatus
    public var signed: Day?
    /// The earlier version this one amends and supersedes.
    public var supersedes: String?
    public var summary: String?
    public var documents: [AgreementDocument]
    /// When set, the agreement counts (`signed`) only once every party's signature of its terms is in
    /// the log (`sign-agreement`); no one can mark it signed by a status change.
    public var requiresSignatures: Bool
    public var provenance: Provenance

    public init(id: String, title: String, kind: AgreementKind, parties: [Member], status: AgreementStatus, signed: Day?,
                supersedes: String? = nil, summary: String? = nil, documents: [AgreementDocument] = [],
                requiresSignatures: Bool = false, provenance: Provenance = Provenance()) {
        self.id = id; self.title = title; self.kind = kind; self.parties = parties; self.status = status
        self.signed = signed; self.supersedes = supersedes; self.summary = summary; self.documents = documents
        self.requiresSignatures = requiresSignatures; self.provenance = provenance
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        title = try o.string("title", maxLength: 500)
        kind = try o.enumValue("kind", AgreementKind.self)
        var members: [Member] = []
        for (v, p) in try o.array("parties", maxCount: 50) {
            let m = try JSONObject(v, path: p)
            let member = Member(party: try m.id("party"), role: try m.enumValue("role", AgreementRole.self))
            try m.rejectUnknown()
            if members.contains(where: { $0.party == member.party }) {
                throw DomainError(.invalidField, field: m.path("party"), "\(member.party) is listed twice")
            }
            members.append(member)
        }
        if members.count < 2 { throw DomainError(.invalidField, field: o.path("parties"), "an agreement needs at least two parties") }
        parties = members
        status = try o.enumValue("status", AgreementStatus.self)
        signed = try o.optionalDay("signed")
        if signed == nil, status == .signed || status == .inForce {
            throw DomainError(.missingField, field: o.path("signed"), "a \(status.rawValue) agreement needs its signing date")
        }
        supersedes = try o.optionalID("supersedes")
        if supersedes == id { throw DomainError(.invalidField, field: o.path("supersedes"), "an agreement cannot amend itself") }
        summary = try o.optionalString("summary", maxLength: 4000)
        var docs: [AgreementDocument] = []
        for (v, p) in try o.array("documents", maxCount: 100) { docs.append(try AgreementDocument(json: JSONObject(v, path: p))) }
        documents = docs
        requiresSignatures = try o.optionalBool("requiresSignatures") ?? false
        provenance = try Provenance(from: o)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = [
            "id": .string(id), "title": .string(title), "kind": .string(kind.rawValue), "status": .string(status.rawValue),
            "parties": .array(parties.map { .object(["party": .string($0.party), "role": .string($0.role.rawValue)]) }),
        ]
        if let signed { m["signed"] = .string(signed.iso) }
        if let supersedes { m["supersedes"] = .string(supersedes) }
        if let summary { m["summary"] = .string(summary) }
        if !documents.isEmpty { m["documents"] = .array(documents.map(\.json)) }
        if requiresSignatures { m["requiresSignatures"] = .bool(true) }
        provenance.write(into: &m)
        return m
    }
}
