extension CommandValidator {
    /// What ``validate(_:at:against:)`` would return for a command that was already validated when it
    /// was journaled, without checking it again: for rebuilding projections from a journal whose
    /// entries passed validation when they were written. `assay verify` keeps the full check (it replays
    /// with ``validate(_:at:against:)`` and compares every projection row), so an entry that would no
    /// longer validate is still caught there.
    ///
    /// Only what the projector writes is worked out: claims and their cells, whether a claim holds
    /// ground (which depends on its agreement as it stands), the collisions of a contested claim (an
    /// uncontested one had none, or it would have been refused), a control assessment's cells and
    /// controller kind, whether an agreement signature is the last one missing, and a custody event's whole effect (its flags depend on the lots as they stand,
    /// so custody events are validated in full).
    public func replay(_ command: Command, at now: Timestamp, against lookup: some RegistryLookup) throws -> ValidatedCommand {
        var v = ValidatedCommand(command: command, claim: nil, collisions: [])
        switch command {
        case .registerConcession(let c):
            let claim = Claim(concession: c)
            v.claim = claim
            v.claimActive = c.status.holdsGround
            if c.status.holdsGround, c.contested != nil {
                v.collisions = try findCollisions(claim, lookup: lookup, excludingAgreement: nil)
            }
        case .recordGrant(let g):
            guard let a = try lookup.agreement(g.agreement) else {
                throw DomainError(.unknownReference, field: "agreement", "no agreement \"\(g.agreement)\"")
            }
            let claim = Claim(grant: g, cells: try g.area.resolve(in: geography))
            v.claim = claim
            if g.contested != nil {
                v.collisions = try findCollisions(claim, lookup: lookup, excludingAgreement: a.supersedes)
            }
            v.claimActive = try a.status.grantsAreGiven && lookup.supersededBy(a.id) == nil
        case .custodyEvent(let signed):
            v.custody = try validateCustody(signed, at: now, lookup: lookup)
        case .recordControl(let c):
            v.controlCells = try c.area.resolve(in: geography)
            switch try lookup.partyKind(c.controller) {
            case .armedGroup?: v.controllerKind = .nonState
            case .state?, .agency?, .stateOwnedEnterprise?: v.controllerKind = .state
            default:
                throw DomainError(.invalidField, field: "controller", "\(c.controller) is not an armed group or a state force")
            }
        case .signAgreement(let sig):
            // Whether it was the last one missing (the signature itself is not checked again).
            if let a = try lookup.agreement(sig.agreement) {
                let signed = Set(try lookup.agreementSigners(a.id) + [sig.party])
                v.completesSignatures = a.status != .signed && a.parties.allSatisfy { signed.contains($0.party) }
            }
        default:
            break
        }
        return v
    }
}
