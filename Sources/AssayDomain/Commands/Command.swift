/// A change to the registry. Every change is a command: validated, encoded canonically, appended to
/// the journal and applied to the projections in one transaction.
///
/// JSON (one object; `type` says which command, the other members are the command's fields):
/// ```json
/// {"type":"register-party","id":"cmoc","name":"CMOC Group","kind":"company","country":"CN"}
/// ```
public enum Command: Sendable, Hashable {
    case registerParty(Party)
    case recordOwnership(Ownership)
    case registerSite(Site)
    case registerConcession(Concession)
    case changeConcessionStatus(StatusChange<ConcessionStatus>)
    case registerAgreement(Agreement)
    case changeAgreementStatus(StatusChange<AgreementStatus>)
    case recordGrant(Grant)
    case recordObligation(Obligation)
    case recordDelivery(Delivery)
    case registerKey(OperatorKey)
    case revokeKey(KeyRevocation)
    case setCustodyPolicy(CustodyPolicy)
    case custodyEvent(SignedCustodyEvent)
    case recordPrice(PriceQuote)
    case recordPayment(Payment)
    case recordControl(ControlAssessment)
    case recordSiteVisit(SiteVisit)
    case recordConflictEvent(ConflictEvent)
    case recordSiteStatus(SiteStatus)
    case updateSite(SiteUpdate)
    case rotateLogKey(LogKeyRotation)
    case signAgreement(AgreementSignature)
    case registerReserve(Reserve)
    case offerAsset(AssetOffer)
    case resolveOffer(OfferResolution)
    case linkAgreements(AgreementLink)
    case recordEvent(NegotiationEvent)
    case recordClaim(SourceClaim)
    case recordNationalOutput(NationalOutput)

    /// The command types, as written in `type`.
    public enum Kind: String, Sendable, CaseIterable {
        case registerParty = "register-party"
        case recordOwnership = "record-ownership"
        case registerSite = "register-site"
        case registerConcession = "register-concession"
        case changeConcessionStatus = "change-concession-status"
        case registerAgreement = "register-agreement"
        case changeAgreementStatus = "change-agreement-status"
        case recordGrant = "record-grant"
        case recordObligation = "record-obligation"
        case recordDelivery = "record-delivery"
        case registerKey = "register-key"
        case revokeKey = "revoke-key"
        case setCustodyPolicy = "set-custody-policy"
        case custodyEvent = "custody-event"
        case recordPrice = "record-price"
        case recordPayment = "record-payment"
        case recordControl = "record-control"
        case recordSiteVisit = "record-site-visit"
        case recordConflictEvent = "record-conflict-event"
        case recordSiteStatus = "record-site-status"
        case updateSite = "update-site"
        case rotateLogKey = "rotate-log-key"
        case signAgreement = "sign-agreement"
        case registerReserve = "register-reserve"
        case offerAsset = "offer-asset"
        case resolveOffer = "resolve-offer"
        case linkAgreements = "link-agreements"
        case recordEvent = "record-event"
        case recordClaim = "record-claim"
        case recordNationalOutput = "record-national-output"
    }

    public var kind: Kind {
        switch self {
        case .registerParty: .registerParty
        case .recordOwnership: .recordOwnership
        case .registerSite: .registerSite
        case .registerConcession: .registerConcession
        case .changeConcessionStatus: .changeConcessionStatus
        case .registerAgreement: .registerAgreement
        case .changeAgreementStatus: .changeAgreementStatus
        case .recordGrant: .recordGrant
        case .recordObligation: .recordObligation
        case .recordDelivery: .recordDelivery
        case .registerKey: .registerKey
        case .revokeKey: .revokeKey
        case .setCustodyPolicy: .setCustodyPolicy
        case .custodyEvent: .custodyEvent
        case .recordPrice: .recordPrice
        case .recordPayment: .recordPayment
        case .recordControl: .recordControl
        case .recordSiteVisit: .recordSiteVisit
        case .recordConflictEvent: .recordConflictEvent
        case .recordSiteStatus: .recordSiteStatus
        case .updateSite: .updateSite
        case .rotateLogKey: .rotateLogKey
        case .signAgreement: .signAgreement
        case .registerReserve: .registerReserve
        case .offerAsset: .offerAsset
        case .resolveOffer: .resolveOffer
        case .linkAgreements: .linkAgreements
        case .recordEvent: .recordEvent
        case .recordClaim: .recordClaim
        case .recordNationalOutput: .recordNationalOutput
        }
    }

    /// The id of the entity the command creates or changes.
    public var subjectID: String {
        switch self {
        case .registerParty(let x): x.id
        case .recordOwnership(let x): x.id
        case .registerSite(let x): x.id
        case .registerConcession(let x): x.id
        case .changeConcessionStatus(let x): x.subject
        case .registerAgreement(let x): x.id
        case .changeAgreementStatus(let x): x.subject
        case .recordGrant(let x): x.id
        case .recordObligation(let x): x.id
        case .recordDelivery(let x): x.id
        case .registerKey(let x): x.id
        case .revokeKey(let x): x.key
        case .setCustodyPolicy: "custody-policy"
        case .custodyEvent(let x): x.event.id
        case .recordPrice(let x): x.key
        case .recordPayment(let x): x.id
        case .recordControl(let x): x.id
        case .recordSiteVisit(let x): x.id
        case .recordConflictEvent(let x): "acled:" + x.id
        case .recordSiteStatus(let x): x.key
        case .updateSite(let x): x.key
        case .rotateLogKey: "log-key"
        case .signAgreement(let x): x.agreement
        case .registerReserve(let x): x.id
        case .offerAsset(let x): x.id
        case .resolveOffer(let x): x.offer
        case .linkAgreements(let x): x.agreement
        case .recordEvent(let x): x.id
        case .recordClaim(let x): x.id
        case .recordNationalOutput(let x): x.key
        }
    }

    /// Reads a command from JSON, checking every field; the error names the field path.
    public init(json value: JSONValue) throws(DomainError) {
        let o = try JSONObject(value, path: "")
        let kind = try o.enumValue("type", Kind.self)
        switch kind {
        case .registerParty: self = .registerParty(try Party(json: o))
        case .recordOwnership: self = .recordOwnership(try Ownership(json: o))
        case .registerSite: self = .registerSite(try Site(json: o))
        case .registerConcession: self = .registerConcession(try Concession(json: o))
        case .changeConcessionStatus: self = .changeConcessionStatus(try StatusChange(json: o, subjectKey: "concession"))
        case .registerAgreement: self = .registerAgreement(try Agreement(json: o))
        case .changeAgreementStatus: self = .changeAgreementStatus(try StatusChange(json: o, subjectKey: "agreement"))
        case .recordGrant: self = .recordGrant(try Grant(json: o))
        case .recordObligation: self = .recordObligation(try Obligation(json: o))
        case .recordDelivery: self = .recordDelivery(try Delivery(json: o))
        case .registerKey: self = .registerKey(try OperatorKey(json: o))
        case .revokeKey: self = .revokeKey(try KeyRevocation(json: o))
        case .setCustodyPolicy: self = .setCustodyPolicy(try CustodyPolicy(json: o))
        case .custodyEvent: self = .custodyEvent(try SignedCustodyEvent(json: o))
        case .recordPrice: self = .recordPrice(try PriceQuote(json: o))
        case .recordPayment: self = .recordPayment(try Payment(json: o))
        case .recordControl: self = .recordControl(try ControlAssessment(json: o))
        case .recordSiteVisit: self = .recordSiteVisit(try SiteVisit(json: o))
        case .recordConflictEvent: self = .recordConflictEvent(try ConflictEvent(json: o))
        case .recordSiteStatus: self = .recordSiteStatus(try SiteStatus(json: o))
        case .updateSite: self = .updateSite(try SiteUpdate(json: o))
        case .rotateLogKey: self = .rotateLogKey(try LogKeyRotation(json: o))
        case .signAgreement: self = .signAgreement(try AgreementSignature(json: o))
        case .registerReserve: self = .registerReserve(try Reserve(json: o))
        case .offerAsset: self = .offerAsset(try AssetOffer(json: o))
        case .resolveOffer: self = .resolveOffer(try OfferResolution(json: o))
        case .linkAgreements: self = .linkAgreements(try AgreementLink(json: o))
        case .recordEvent: self = .recordEvent(try NegotiationEvent(json: o))
        case .recordClaim: self = .recordClaim(try SourceClaim(json: o))
        case .recordNationalOutput: self = .recordNationalOutput(try NationalOutput(json: o))
        }
        try o.rejectUnknown()
    }

    /// Parses and reads a command from JSON text.
    public init(jsonText: String) throws(DomainError) {
        let value: JSONValue
        do { value = try JSONParser.parse(jsonText) } catch {
            throw DomainError(.invalidField, field: "", error.description)
        }
        try self.init(json: value)
    }

    /// Reads one line of a bulk file: a command, or a bare signed event (`{"event":…,"signature":…}`,
    /// as `assay sign` and the API take it), which is read as a `custody-event`.
    public init(bulkLine text: String) throws(DomainError) {
        let value: JSONValue
        do { value = try JSONParser.parse(text) } catch {
            throw DomainError(.invalidField, field: "", error.description)
        }
        if case .object(var m) = value, m["type"] == nil, m["event"] != nil, m["signature"] != nil {
            m["type"] = .string(Kind.custodyEvent.rawValue)
            try self.init(json: .object(m))
        } else {
            try self.init(json: value)
        }
    }

    /// The canonical JSON of the command (the `command` member of a journal entry).
    public var json: JSONValue {
        var m: [String: JSONValue]
        switch self {
        case .registerParty(let x): m = x.json
        case .recordOwnership(let x): m = x.json
        case .registerSite(let x): m = x.json
        case .registerConcession(let x): m = x.json
        case .changeConcessionStatus(let x): m = x.json(subjectKey: "concession")
        case .registerAgreement(let x): m = x.json
        case .changeAgreementStatus(let x): m = x.json(subjectKey: "agreement")
        case .recordGrant(let x): m = x.json
        case .recordObligation(let x): m = x.json
        case .recordDelivery(let x): m = x.json
        case .registerKey(let x): m = x.json
        case .revokeKey(let x): m = x.json
        case .setCustodyPolicy(let x): m = x.json
        case .custodyEvent(let x): m = x.json
        case .recordPrice(let x): m = x.json
        case .recordPayment(let x): m = x.json
        case .recordControl(let x): m = x.json
        case .recordSiteVisit(let x): m = x.json
        case .recordConflictEvent(let x): m = x.json
        case .recordSiteStatus(let x): m = x.json
        case .updateSite(let x): m = x.json
        case .rotateLogKey(let x): m = x.json
        case .signAgreement(let x): m = x.json
        case .registerReserve(let x): m = x.json
        case .offerAsset(let x): m = x.json
        case .resolveOffer(let x): m = x.json
        case .linkAgreements(let x): m = x.json
        case .recordEvent(let x): m = x.json
        case .recordClaim(let x): m = x.json
        case .recordNationalOutput(let x): m = x.json
        }
        m["type"] = .string(kind.rawValue)
        return .object(m)
    }
}
