@testable import AssayDomain

/// A registry in memory for validator tests: applies validated commands the way the store does.
struct InMemoryLookup: RegistryLookup {
    var kinds: [String: EntityKind] = [:]
    var agreements: [String: Agreement] = [:]
    var superseded: [String: String] = [:]
    var concessions: [String: Concession] = [:]
    var obligations: [String: Obligation] = [:]
    var owns: [Ownership] = []
    var claims: [Claim] = []
    var keys: [String: OperatorKey] = [:]
    var signers: [String: [String]] = [:]

    func kind(of id: String) throws -> EntityKind? { kinds[id] }
    func agreement(_ id: String) throws -> Agreement? { agreements[id] }
    func supersededBy(_ id: String) throws -> String? { superseded[id] }
    func agreementSigners(_ agreement: String) throws -> [String] { signers[agreement] ?? [] }
    func operatorKey(_ id: String) throws -> OperatorKey? { keys[id] }
    func concession(_ id: String) throws -> Concession? { concessions[id] }
    func obligation(_ id: String) throws -> Obligation? { obligations[id] }
    func ownerships(of party: String) throws -> [Ownership] { owns.filter { $0.subject == party } }
    func activeClaims(near cells: CellSet, minerals: MineralSet) throws -> [Claim] {
        claims.filter { c in
            if let a = c.agreement, let agreement = agreements[a] { return agreement.status.grantsAreGiven && superseded[a] == nil }
            if let t = concessions[c.id] { return t.status.holdsGround }
            return true
        }
    }

    mutating func apply(_ v: ValidatedCommand) {
        switch v.command {
        case .registerParty(let p): kinds[p.id] = .party
        case .recordOwnership(let o): kinds[o.id] = .ownership; owns.append(o)
        case .registerSite(let s): kinds[s.id] = .site
        case .registerConcession(let c): kinds[c.id] = .concession; concessions[c.id] = c
        case .changeConcessionStatus(let ch): concessions[ch.subject]?.status = ch.status
        case .registerAgreement(let a):
            kinds[a.id] = .agreement; agreements[a.id] = a
            if let old = a.supersedes, !a.requiresSignatures { superseded[old] = a.id }
        case .changeAgreementStatus(let ch): agreements[ch.subject]?.status = ch.status
        case .recordGrant(let g): kinds[g.id] = .grant
        case .recordObligation(let o): kinds[o.id] = .obligation; obligations[o.id] = o
        case .recordDelivery(let d): kinds[d.id] = .delivery
        case .registerKey(let k): keys[k.id] = k
        case .signAgreement(let sig):
            signers[sig.agreement, default: []].append(sig.party)
            if v.completesSignatures {
                agreements[sig.agreement]?.status = .signed
                agreements[sig.agreement]?.signed = sig.time.day
                if let old = agreements[sig.agreement]?.supersedes { superseded[old] = sig.agreement }
            }
        case .registerReserve, .offerAsset, .resolveOffer, .linkAgreements, .recordEvent, .recordClaim, .recordNationalOutput:
            break  // reserves are tested against the store (ReserveStoreTests), their windows' arithmetic here (ReserveWindowTests)
        case .revokeKey, .setCustodyPolicy, .custodyEvent, .recordPrice, .recordPayment,
             .recordControl, .recordSiteVisit, .recordConflictEvent, .recordSiteStatus, .updateSite, .rotateLogKey:
            break  // custody and risk are tested against the SQLite store (AssayStoreTests)
        }
        if let c = v.claim { claims.append(c) }
    }

    /// Validates and applies commands given as JSON text, one a line.
    mutating func run(_ validator: CommandValidator, _ lines: [String]) throws {
        for line in lines { apply(try validator.validate(try Command(jsonText: line), against: self)) }
    }
}
