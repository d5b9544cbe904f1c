import Foundation

/// Checks a command against the registry as it stands: references resolve, ids are new, statuses move
/// only along their lifecycles, shares add up, and grants and titles do not collide with rights already
/// given (unless recorded as contested, with a reason).
///
/// Pure: everything it knows comes through ``RegistryLookup`` and ``Geography``.
///
/// For example:
/// ```swift
/// let validator = CommandValidator(geography: geography)
/// let ok = try validator.validate(command, against: lookup)   // throws DomainError naming the field
/// ```
public struct CommandValidator: Sendable {
    public let geography: Geography

    public init(geography: Geography) { self.geography = geography }

    /// - Parameter now: the entry's time (custody events must arrive within the late window of it);
    ///   replay passes each entry's recorded time.
    public func validate(_ command: Command, at now: Timestamp = Timestamp(milliseconds: 0), against lookup: some RegistryLookup) throws -> ValidatedCommand {
        var claim: Claim?
        var custody: CustodyEffect?
        var controlCells: CellSet?
        var controllerKind: ControllerKind?
        var collisions: [Collision] = []
        var active = false
        var completesSignatures = false
        switch command {
        case .registerParty(let p):
            try requireNew(p.id, lookup)
            for (i, m) in p.members.enumerated() { try require(m, .party, field: "members[\(i)]", lookup) }
        case .recordOwnership(let o):
            try requireNew(o.id, lookup)
            try require(o.subject, .party, field: "subject", lookup)
            try require(o.interestedParty, .party, field: "interestedParty", lookup)
            let overlapping = try lookup.ownerships(of: o.subject).filter { $0.period.intersection(o.period) != nil }
            let total = overlapping.reduce(o.share.minimum) { $0 + $1.share.minimum }
            if total > 100 {
                throw DomainError(.invalidField, field: "share",
                                  "owners of \(o.subject) would hold at least \(DecimalText.canonical(total))% over \(o.period.text) (over 100%); end an earlier relation first")
            }
        case .registerSite(let s):
            try requireNew(s.id, lookup)
            if let op = s.operatorParty { try require(op, .party, field: "operator", lookup) }
        case .registerConcession(let c):
            try requireNew(c.id, lookup)
            try require(c.holder, .party, field: "holder", lookup)
            if let site = c.site { try require(site, .site, field: "site", lookup) }
            if c.status != .applied, c.status != .granted {
                throw DomainError(.invalidField, field: "status", "a new title starts as applied or granted; record later changes with change-concession-status")
            }
            let new = Claim(concession: c)
            active = c.status.holdsGround
            if c.status.holdsGround {
                try refuseInsideWindows(new, at: now, lookup: lookup, what: "title \(c.id)")
                collisions = try findCollisions(new, lookup: lookup, excludingAgreement: nil)
                try refuseUnlessContested(collisions, contested: c.contested, what: "title \(c.id)")
            }
            claim = new
        case .changeConcessionStatus(let change):
            guard let c = try lookup.concession(change.subject) else {
                throw DomainError(.unknownReference, field: "concession", "no concession \"\(change.subject)\"")
            }
            try checkTransition(from: c.status, to: change.status, allowed: c.status.allowedNext, what: "title \(c.id)")
            if change.status.holdsGround, !c.status.holdsGround {
                let new = Claim(concession: c)
                try refuseInsideWindows(new, at: now, lookup: lookup, what: "title \(c.id)")
                collisions = try findCollisions(new, lookup: lookup, excludingAgreement: nil)
                try refuseUnlessContested(collisions, contested: c.contested, what: "title \(c.id)")
            }
        case .registerAgreement(let a):
            try requireNew(a.id, lookup)
            if a.requiresSignatures, a.status != .proposed && a.status != .negotiating || a.signed != nil {
                throw DomainError(.invalidField, field: a.signed != nil ? "signed" : "status",
                                  "an agreement that counts only when every party signs is registered as proposed or negotiating, without a signing date; it becomes signed when the last party's signature is recorded (sign-agreement)")
            }
            for (i, m) in a.parties.enumerated() { try require(m.party, .party, field: "parties[\(i)].party", lookup) }
            if let old = a.supersedes {
                guard let previous = try lookup.agreement(old) else {
                    throw DomainError(.unknownReference, field: "supersedes", "no agreement \"\(old)\"")
                }
                if let newer = try lookup.supersededBy(old) {
                    throw DomainError(.invalidField, field: "supersedes", "\(old) is already superseded by \(newer); amend \(newer) instead")
                }
                if previous.status == .terminated {
                    throw DomainError(.invalidField, field: "supersedes", "\(old) is terminated and cannot be amended")
                }
            }
        case .changeAgreementStatus(let change):
            guard let a = try lookup.agreement(change.subject) else {
                throw DomainError(.unknownReference, field: "agreement", "no agreement \"\(change.subject)\"")
            }
            try checkTransition(from: a.status, to: change.status, allowed: a.status.allowedNext, what: "agreement \(a.id)")
            if a.requiresSignatures, change.status == .signed {
                let missing = try missingSigners(a, lookup)
                throw DomainError(.invalidTransition, field: "status",
                                  "agreement \(a.id) becomes signed only when every party's signature is recorded (sign-agreement); missing: \(missing.joined(separator: ", "))")
            }
        case .recordGrant(let g):
            try requireNew(g.id, lookup)
            guard let a = try lookup.agreement(g.agreement) else {
                throw DomainError(.unknownReference, field: "agreement", "no agreement \"\(g.agreement)\"")
            }
            if a.status == .terminated { throw DomainError(.invalidField, field: "agreement", "\(a.id) is terminated") }
            try require(g.beneficiary, .party, field: "beneficiary", lookup)
            let cells = try g.area.resolve(in: geography)
            if cells.isEmpty { throw DomainError(.invalidField, field: "area", "covers no cell") }
            let new = Claim(grant: g, cells: cells)
            try refuseInsideWindows(new, at: now, lookup: lookup, what: "grant \(g.id)")
            collisions = try findCollisions(new, lookup: lookup, excludingAgreement: a.supersedes)
            try refuseUnlessContested(collisions, contested: g.contested, what: "grant \(g.id)")
            claim = new
            let superseded = try lookup.supersededBy(a.id)
            active = a.status.grantsAreGiven && superseded == nil
        case .recordObligation(let o):
            try requireNew(o.id, lookup)
            guard let a = try lookup.agreement(o.agreement) else {
                throw DomainError(.unknownReference, field: "agreement", "no agreement \"\(o.agreement)\"")
            }
            guard a.parties.contains(where: { $0.party == o.obligor }) else {
                throw DomainError(.invalidField, field: "obligor", "\(o.obligor) is not a party to \(a.id) (parties: \(a.parties.map(\.party).joined(separator: ", ")))")
            }
            try require(o.beneficiary, .party, field: "beneficiary", lookup)
        case .recordDelivery(let d):
            try requireNew(d.id, lookup)
            guard let o = try lookup.obligation(d.obligation) else {
                throw DomainError(.unknownReference, field: "obligation", "no obligation \"\(d.obligation)\"")
            }
            if let q = d.quantity {
                guard let promised = o.quantity else {
                    throw DomainError(.invalidField, field: "quantity", "obligation \(o.id) promises no quantity; record a value")
                }
                if promised.unit != q.unit {
                    throw DomainError(.invalidField, field: "quantity.unit", "obligation \(o.id) counts in \"\(promised.unit)\", not \"\(q.unit)\"")
                }
            }
            if let v = d.value {
                guard let promised = o.value else {
                    throw DomainError(.invalidField, field: "value", "obligation \(o.id) promises no value; record a quantity")
                }
                if promised.currency != v.currency {
                    throw DomainError(.invalidField, field: "value.currency", "obligation \(o.id) is in \(promised.currency), not \(v.currency)")
                }
            }
        case .registerKey(let k):
            if try lookup.operatorKey(k.id) != nil { throw DomainError(.duplicateID, field: "id", "key \"\(k.id)\" is already registered") }
            try require(k.party, .party, field: "party", lookup)
        case .revokeKey(let r):
            guard let k = try lookup.operatorKey(r.key) else { throw DomainError(.unknownReference, field: "key", "no key \"\(r.key)\"") }
            if let at = k.revokedAt { throw DomainError(.invalidField, field: "key", "key \(k.id) was already revoked at \(at.iso)") }
        case .setCustodyPolicy:
            break
        case .signAgreement(let sig):
            completesSignatures = try validateSignature(sig, at: now, lookup: lookup)
        case .registerReserve(let r):
            try requireNew(r.id, lookup)
            try require(r.agreement, .agreement, field: "agreement", lookup)
            for (i, a) in r.assets.enumerated() {
                if let c = a.concession { try require(c, .concession, field: "assets[\(i)].concession", lookup) }
                if let s = a.site { try require(s, .site, field: "assets[\(i)].site", lookup) }
                if try assetCells(a, lookup: lookup, field: "assets[\(i)]").isEmpty {
                    throw DomainError(.invalidField, field: "assets[\(i)]", "asset \(a.id) covers no cell")
                }
            }
        case .recordNationalOutput(let n):
            if try lookup.nationalOutputRecorded(mineral: n.mineral, year: n.year) {
                throw DomainError(.duplicateID, field: "year", "the national \(n.mineral.rawValue) total for \(n.year) is already recorded; a source that disagrees is a record-claim about it")
            }
        case .recordClaim(let c):
            try requireNew(c.id, lookup)
            if try lookup.kind(of: c.subject) == nil {
                throw DomainError(.unknownReference, field: "subject", "no entity \"\(c.subject)\"; a claim is about something the registry holds")
            }
            if c.used, let other = try lookup.usedClaim(subject: c.subject, field: c.field) {
                throw DomainError(.invalidField, field: "used", "claim \(other) is already the one the registry uses for \(c.subject)'s \(c.field); record this one without `used`")
            }
        case .recordEvent(let e):
            try requireNew(e.id, lookup)
            for (i, a) in e.agreements.enumerated() { try require(a, .agreement, field: "agreements[\(i)]", lookup) }
            for (i, p) in e.actors.enumerated() { try require(p, .party, field: "actors[\(i)]", lookup) }
            for (i, p) in e.participants.enumerated() { try require(p, .party, field: "participants[\(i)]", lookup) }
            if let client = e.onBehalfOf { try require(client, .party, field: "onBehalfOf", lookup) }
            for (i, id) in e.changes.enumerated() where try lookup.kind(of: id) == nil {
                throw DomainError(.unknownReference, field: "changes[\(i)]", "no entity \"\(id)\"; record what the event changed first")
            }
            if e.kind == .decision, try lookup.partyKind(e.actors[0]) != .jointBody {
                throw DomainError(.invalidField, field: "actors[0]", "\(e.actors[0]) is not a joint body; a decision is taken by one (register-party with kind joint-body and its members)")
            }
        case .linkAgreements(let link):
            try require(link.agreement, .agreement, field: "agreement", lookup)
            try require(link.linked, .agreement, field: "linked", lookup)
            if let existing = try lookup.agreementLinks(link.agreement).first(where: { $0.linked == link.linked || $0.agreement == link.linked }) {
                throw DomainError(.duplicateID, field: "linked", "\(existing.agreement) is already linked to \(existing.linked) (\(existing.relation.rawValue))")
            }
        case .offerAsset(let o):
            try validateOffer(o, lookup: lookup)
        case .resolveOffer(let res):
            try validateResolution(res, lookup: lookup)
        case .rotateLogKey(let r):
            // The store checks the key against the log's origin and its own keys (it must be able to sign).
            if r.transitionUntil <= now {
                throw DomainError(.invalidField, field: "transitionUntil", "\(r.transitionUntil.iso) is not after the entry's time \(now.iso)")
            }
        case .custodyEvent(let signed):
            custody = try validateCustody(signed, at: now, lookup: lookup)
        case .recordPrice(let p):
            if try lookup.priceRecorded(mineral: p.mineral, day: p.date) {
                throw DomainError(.duplicateID, field: "date", "a \(p.mineral.rawValue) price for \(p.date.iso) is already recorded")
            }
        case .recordPayment(let p):
            if try lookup.paymentRecorded(p.id) { throw DomainError(.duplicateID, field: "id", "payment \"\(p.id)\" is already recorded") }
            try require(p.payer, .party, field: "payer", lookup)
            if let r = p.recipient { try require(r, .party, field: "recipient", lookup) }
            if let project = p.project, try lookup.kind(of: project).map({ $0 == .site || $0 == .concession }) != true {
                throw DomainError(.unknownReference, field: "project", "no site or title \"\(project)\"")
            }
            for (i, l) in p.lots.enumerated() where try lookup.lot(l) == nil {
                throw DomainError(.unknownReference, field: "lots[\(i)]", "no lot \"\(l)\"")
            }
        case .recordControl(let c):
            if try lookup.controlAssessment(c.id) != nil { throw DomainError(.duplicateID, field: "id", "assessment \"\(c.id)\" is already recorded") }
            guard let kind = try lookup.partyKind(c.controller) else {
                throw DomainError(.unknownReference, field: "controller", "no party \"\(c.controller)\"; register the armed group or state force first")
            }
            switch kind {
            case .armedGroup: controllerKind = .nonState
            case .state, .agency, .stateOwnedEnterprise: controllerKind = .state
            default: throw DomainError(.invalidField, field: "controller", "\(c.controller) is a \(kind.rawValue); ground is held by an armed group or by state forces")
            }
            let cells = try c.area.resolve(in: geography)
            if cells.isEmpty { throw DomainError(.invalidField, field: "area", "covers no cell") }
            controlCells = cells
            if let old = c.supersedes {
                guard let prev = try lookup.controlAssessment(old) else { throw DomainError(.unknownReference, field: "supersedes", "no assessment \"\(old)\"") }
                if let newer = prev.supersededBy { throw DomainError(.invalidField, field: "supersedes", "\(old) is already superseded by \(newer); revise \(newer) instead") }
            }
        case .recordSiteVisit(let v):
            if try lookup.siteVisitRecorded(v.id) { throw DomainError(.duplicateID, field: "id", "visit \"\(v.id)\" is already recorded") }
            try require(v.site, .site, field: "site", lookup)
        case .recordConflictEvent(let e):
            if try lookup.conflictEventRecorded(e.id) { throw DomainError(.duplicateID, field: "id", "event \"\(e.id)\" is already recorded") }
        case .updateSite(let u):
            try require(u.site, .site, field: "site", lookup)
        case .recordSiteStatus(let st):
            try require(st.site, .site, field: "site", lookup)
            if try lookup.siteStatusRecorded(site: st.site, day: st.date) {
                throw DomainError(.duplicateID, field: "date", "a status of \(st.site) on \(st.date.iso) is already recorded")
            }
        }
        return ValidatedCommand(command: command, claim: claim, collisions: collisions, claimActive: active, custody: custody,
                                controlCells: controlCells, controllerKind: controllerKind, completesSignatures: completesSignatures)
    }

    /// The ground an asset of a reserve stands for: its title's cells, its site's cell, or its area.
    public func assetCells(_ a: ReserveAsset, lookup: some RegistryLookup, field: String) throws -> CellSet {
        if let c = a.concession {
            guard let t = try lookup.concession(c) else { throw DomainError(.unknownReference, field: field + ".concession", "no title \"\(c)\"") }
            return t.cells
        }
        if let s = a.site {
            guard let site = try lookup.site(s) else { throw DomainError(.unknownReference, field: field + ".site", "no site \"\(s)\"") }
            return CellSet(ids: [try site.cell])
        }
        guard let area = a.area else { return CellSet(ids: [UInt32]()) }
        return try area.resolve(in: geography, field: field + ".area")
    }

    /// Within an open first-offer window, nothing else on that asset is accepted: no grant, title or
    /// offer to anyone but the window's beneficiary, whatever `contested` says. The day is the entry's.
    private func refuseInsideWindows(_ claim: Claim, at now: Timestamp, lookup: some RegistryLookup, what: String) throws {
        let day = now.day
        for w in try lookup.windows(near: claim.cells, minerals: claim.minerals, on: day) where w.window.offer.beneficiary != claim.holder {
            guard case .open(let last) = w.window.state(on: day), !w.minerals.intersection(claim.minerals).isEmpty,
                  !w.cells.intersection(claim.cells).isEmpty else { continue }
            let o = w.window.offer
            throw DomainError(.collision, field: "area",
                              "\(what) falls on asset \(o.asset) of reserve \(o.reserve), under offer \(o.id) to \(o.beneficiary) until \(last.iso) (right of first offer): nothing else on that asset is accepted until the window ends")
        }
    }

    private func validateOffer(_ o: AssetOffer, lookup: some RegistryLookup) throws {
        try requireNew(o.id, lookup)
        guard let r = try lookup.reserve(o.reserve) else { throw DomainError(.unknownReference, field: "reserve", "no reserve \"\(o.reserve)\"") }
        guard let asset = r.asset(o.asset) else {
            // A sealed reserve's list is not public: the refusal does not list its assets.
            let known = r.confidential ? "" : " (assets: \(r.assets.map(\.id).joined(separator: ", ")))"
            throw DomainError(.unknownReference, field: "asset", "reserve \(r.id) holds no asset \"\(o.asset)\"\(known)")
        }
        try require(o.beneficiary, .party, field: "beneficiary", lookup)
        if let designated = r.designated, o.opens < designated {
            throw DomainError(.invalidField, field: "opens", "\(o.opens.iso) is before the reserve was designated (\(designated.iso))")
        }
        for w in try lookup.offerWindows(reserve: r.id, asset: asset.id) {
            if w.offer.opens > o.opens {
                throw DomainError(.invalidField, field: "opens", "offer \(w.offer.id) of the same asset opened later (\(w.offer.opens.iso)); record offers in order")
            }
            switch w.state(on: o.opens) {
            case .open(let last):
                throw DomainError(.collision, field: "asset", "asset \(asset.id) is under offer \(w.offer.id) to \(w.offer.beneficiary) until \(last.iso); it can be offered again after a refusal or once the window has lapsed")
            case .accepted(let day):
                throw DomainError(.invalidField, field: "asset", "asset \(asset.id) was taken by offer \(w.offer.id) on \(day.iso)")
            case .refused, .lapsed:
                continue
            }
        }
        // Another reserve's asset on the same ground, under an open window to someone else.
        let cells = try assetCells(asset, lookup: lookup, field: "asset")
        for w in try lookup.windows(near: cells, minerals: asset.minerals, on: o.opens)
        where w.window.offer.beneficiary != o.beneficiary && !(w.window.offer.reserve == r.id && w.window.offer.asset == asset.id) {
            guard case .open(let last) = w.window.state(on: o.opens), !w.cells.intersection(cells).isEmpty,
                  !w.minerals.intersection(asset.minerals).isEmpty else { continue }
            throw DomainError(.collision, field: "asset",
                              "asset \(asset.id) shares ground with asset \(w.window.offer.asset) of reserve \(w.window.offer.reserve), under offer \(w.window.offer.id) to \(w.window.offer.beneficiary) until \(last.iso)")
        }
    }

    private func validateResolution(_ res: OfferResolution, lookup: some RegistryLookup) throws {
        guard let w = try lookup.offerWindow(res.offer) else { throw DomainError(.unknownReference, field: "offer", "no offer \"\(res.offer)\"") }
        guard let r = try lookup.reserve(w.offer.reserve) else { throw DomainError(.unknownReference, field: "offer", "the reserve of \(res.offer) is missing") }
        if res.date < w.offer.opens {
            throw DomainError(.invalidField, field: "date", "\(res.date.iso) is before offer \(w.offer.id) opened (\(w.offer.opens.iso))")
        }
        if let last = w.resolutions.last, res.date < last.date {
            throw DomainError(.invalidField, field: "date", "\(res.date.iso) is before the offer's last answer (\(last.status.rawValue) on \(last.date.iso))")
        }
        let state = w.state(on: res.date)
        guard case .open = state else {
            throw DomainError(.invalidTransition, field: "status",
                              "offer \(w.offer.id)'s window is \(state.name) on \(res.date.iso); only an open window can be accepted, refused or renewed")
        }
        switch res.status {
        case .renewed:
            if w.renewalsUsed >= r.renewals {
                throw DomainError(.invalidTransition, field: "status", "offer \(w.offer.id) was already renewed \(w.renewalsUsed) time(s); reserve \(r.id) allows \(r.renewals)")
            }
        case .accepted:
            guard let id = res.grant, let g = try lookup.grant(id) else {
                throw DomainError(.unknownReference, field: "grant", "no grant \"\(res.grant ?? "")\"; record the grant first (in the same batch)")
            }
            guard g.beneficiary == w.offer.beneficiary else {
                throw DomainError(.invalidField, field: "grant", "grant \(g.id) is to \(g.beneficiary), not to the offer's beneficiary \(w.offer.beneficiary)")
            }
            guard g.agreement == r.agreement else {
                throw DomainError(.invalidField, field: "grant", "grant \(g.id) is under \(g.agreement), not under the reserve's agreement \(r.agreement)")
            }
            guard let asset = r.asset(w.offer.asset) else { break }
            let cells = try assetCells(asset, lookup: lookup, field: "asset")
            guard !(try g.area.resolve(in: geography)).intersection(cells).isEmpty, !g.minerals.intersection(asset.minerals).isEmpty else {
                throw DomainError(.invalidField, field: "grant", "grant \(g.id) gives nothing on asset \(asset.id) (no shared cell or mineral)")
            }
        case .refused:
            break
        }
    }

    /// The parties of `a` whose signature is not recorded yet, in the agreement's order.
    private func missingSigners(_ a: Agreement, _ lookup: some RegistryLookup) throws -> [String] {
        let signed = Set(try lookup.agreementSigners(a.id))
        return a.parties.map(\.party).filter { !signed.contains($0) }
    }

    /// Checks one party's signature of an agreement; returns whether it is the last one missing.
    private func validateSignature(_ sig: AgreementSignature, at now: Timestamp, lookup: some RegistryLookup) throws -> Bool {
        guard let a = try lookup.agreement(sig.agreement) else {
            throw DomainError(.unknownReference, field: "agreement", "no agreement \"\(sig.agreement)\"")
        }
        guard a.requiresSignatures else {
            throw DomainError(.invalidField, field: "agreement", "\(a.id) was registered without requiresSignatures: its status is recorded, not signed")
        }
        if a.status == .terminated { throw DomainError(.invalidField, field: "agreement", "\(a.id) is terminated") }
        guard a.parties.contains(where: { $0.party == sig.party }) else {
            throw DomainError(.invalidField, field: "party", "\(sig.party) is not a party to \(a.id) (parties: \(a.parties.map(\.party).joined(separator: ", ")))")
        }
        let missing = try missingSigners(a, lookup)
        guard missing.contains(sig.party) else {
            throw DomainError(.duplicateID, field: "party", "\(sig.party) has already signed \(a.id)")
        }
        guard let key = try lookup.operatorKey(sig.key) else {
            throw DomainError(.unknownReference, field: "key", "no key \"\(sig.key)\"; register the party's public key first (register-key)")
        }
        guard key.party == sig.party else {
            throw DomainError(.invalidField, field: "key", "key \(key.id) is registered to \(key.party), not to \(sig.party)")
        }
        if let why = key.refusal(at: sig.time) { throw DomainError(.invalidField, field: "time", why) }
        if now.milliseconds > 0, sig.time.milliseconds > now.milliseconds + 300_000 {
            throw DomainError(.invalidField, field: "time", "\(sig.time.iso) is in the future (the registry's time is \(now.iso))")
        }
        let digest = a.termsDigest
        guard sig.terms == digest else {
            throw DomainError(.invalidField, field: "terms", "the signature covers other terms (\(sig.terms)); the terms of \(a.id) have the digest \(digest)")
        }
        guard key.verifies(sig.signature, of: sig.signedBytes) else {
            throw DomainError(.invalidField, field: "signature", "is not key \(key.id)'s signature of these terms")
        }
        let completes = missing == [sig.party]
        if completes, let old = a.supersedes, let other = try lookup.supersededBy(old), other != a.id {
            throw DomainError(.invalidField, field: "agreement",
                              "\(a.id) amends \(old), which \(other) has amended since; this amendment can no longer take effect (amend \(other) instead)")
        }
        return completes
    }

    /// The collisions a claim would have, without writing anything (the dry run).
    public func findCollisions(_ new: Claim, lookup: some RegistryLookup, excludingAgreement: String?) throws -> [Collision] {
        let candidates = try lookup.activeClaims(near: new.cells, minerals: new.minerals)
            .filter { excludingAgreement == nil || $0.agreement != excludingAgreement }
        return CollisionRule.collisions(of: new, with: candidates)
    }

    private func refuseUnlessContested(_ collisions: [Collision], contested: String?, what: String) throws(DomainError) {
        guard !collisions.isEmpty, contested == nil else { return }
        let list = collisions.map { "  - \($0)" }.joined(separator: "\n")
        throw DomainError(.collision, field: "area",
                          "\(what) collides with \(collisions.count) existing right(s); record it as contested with a reason to keep it anyway:\n\(list)",
                          collisions: collisions)
    }

    private func requireNew(_ id: String, _ lookup: some RegistryLookup) throws {
        if let kind = try lookup.kind(of: id) {
            throw DomainError(.duplicateID, field: "id", "\"\(id)\" is already used by a \(kind.rawValue)")
        }
    }

    private func require(_ id: String, _ kind: EntityKind, field: String, _ lookup: some RegistryLookup) throws {
        let found = try lookup.kind(of: id)
        guard found == kind else {
            let why = found.map { "\"\(id)\" is a \($0.rawValue), not a \(kind.rawValue)" } ?? "no \(kind.rawValue) \"\(id)\"; register it first"
            throw DomainError(.unknownReference, field: field, why)
        }
    }

    private func checkTransition<S: RawRepresentable>(from: S, to: S, allowed: [S], what: String) throws(DomainError)
    where S.RawValue == String {
        guard allowed.contains(where: { $0.rawValue == to.rawValue }) else {
            let next = allowed.isEmpty ? "none: it is final" : allowed.map(\.rawValue).joined(separator: ", ")
            throw DomainError(.invalidTransition, field: "status",
                              "\(what) cannot go from \(from.rawValue) to \(to.rawValue) (allowed: \(next))")
        }
    }
}
