import AssayDomain
import Foundation

/// Applies validated commands to the projection tables. Validation has already checked everything a
/// user can get wrong, so an error here is a database error and aborts the whole transaction.
struct Projector {
    let db: any SQLConnection
    let geography: Geography
    let cache: LookupCache

    /// - Parameter commandJSON: the command's canonical JSON text, already made for the journal entry;
    ///   entity rows keep it as their `json` (entity readers ignore the `type` member).
    func apply(_ v: ValidatedCommand, sequence seq: Int64, commandJSON: String) throws {
        let command = v.command
        func exec(_ sql: String, _ args: SQLArguments) throws {
            try db.execute(sql, args)
        }
        func entity(_ id: String, _ kind: EntityKind) throws {
            try exec("INSERT INTO entity(id, kind, seq) VALUES (?, ?, ?)", [id, kind.rawValue, seq])
            cache.kinds[id] = .some(kind)
        }
        switch command {
        case .registerParty(let p):
            try entity(p.id, .party)
            try exec("INSERT INTO party(id, name, kind, country, json) VALUES (?, ?, ?, ?, ?)",
                     [p.id, p.name, p.kind.rawValue, p.country, commandJSON])
            // Aliases are searched as the name is: one line each, so no match runs from one into the next.
            try exec(RelationalStore.partySearchInsert, [seq, p.id, p.id.lowercased(), ([p.name] + p.aliases).joined(separator: "\n").lowercased()])
        case .recordOwnership(let o):
            try entity(o.id, .ownership)
            try exec("INSERT INTO ownership(id, subject, interested, json) VALUES (?, ?, ?, ?)",
                     [o.id, o.subject, o.interestedParty, commandJSON])
        case .registerSite(let s):
            try entity(s.id, .site)
            let province = geography.province(latitude: s.latitudeDegrees, longitude: s.longitudeDegrees)?.code
            try exec("INSERT INTO site(id, name, kind, province, cell, operator, json) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [s.id, s.name, s.kind.rawValue, province, Int64(try s.cell), s.operatorParty, commandJSON])
        case .registerConcession(let c):
            try entity(c.id, .concession)
            let provinces = geography.provinces(of: c.cells).joined(separator: ",")
            try exec("INSERT INTO concession(id, code, holder, status, provinces, json) VALUES (?, ?, ?, ?, ?, ?)",
                     [c.id, c.code, c.holder, c.status.rawValue, provinces, commandJSON])
            if let claim = v.claim { try insertClaim(claim, active: v.claimActive, collisions: v.collisions) }
            if let site = c.site { try exec("INSERT INTO title_site(site, concession) VALUES (?, ?)", [site, c.id]) }
        case .changeConcessionStatus(let change):
            guard let json = try db.value(String.self, "SELECT json FROM concession WHERE id = ?", [change.subject]) else { return }
            var c = try Concession(json: JSONObject(JSONParser.parse(json), path: ""))
            c.status = change.status
            try exec("UPDATE concession SET status = ?, json = ? WHERE id = ?", [c.status.rawValue, CanonicalJSON.string(Command.registerConcession(c).json), c.id])
            try exec("UPDATE claim SET active = ? WHERE id = ?", [c.status.holdsGround ? 1 : 0, c.id])
            try exec("INSERT INTO status_change(seq, subject, status, date, reason) VALUES (?, ?, ?, ?, ?)",
                     [seq, change.subject, change.status.rawValue, change.date.iso, change.reason])
        case .registerAgreement(let a):
            cache.agreements[a.id] = nil
            if let old = a.supersedes { cache.agreements[old] = nil }
            try entity(a.id, .agreement)
            try exec("INSERT INTO agreement(id, title, kind, status, signed, supersedes, superseded_by, json) VALUES (?, ?, ?, ?, ?, ?, NULL, ?)",
                     [a.id, a.title, a.kind.rawValue, a.status.rawValue, a.signed?.iso, a.supersedes, commandJSON])
            for m in a.parties {
                try exec("INSERT INTO agreement_party(agreement, party, role) VALUES (?, ?, ?)", [a.id, m.party, m.role.rawValue])
            }
            // An amendment that needs every party's signature replaces the earlier version only once signed.
            if let old = a.supersedes, !a.requiresSignatures { try supersede(old, by: a.id) }
        case .changeAgreementStatus(let change):
            cache.agreements[change.subject] = nil
            guard let row = try db.row("SELECT json, superseded_by FROM agreement WHERE id = ?", [change.subject]) else { return }
            var a = try Agreement(json: JSONObject(JSONParser.parse(row["json"] as String), path: ""))
            a.status = change.status
            let superseded = (try row["superseded_by"] as String?) != nil
            try exec("UPDATE agreement SET status = ?, json = ? WHERE id = ?", [a.status.rawValue, CanonicalJSON.string(Command.registerAgreement(a).json), a.id])
            try exec("UPDATE claim SET active = ? WHERE agreement = ?", [a.status.grantsAreGiven && !superseded ? 1 : 0, a.id])
            try exec("INSERT INTO status_change(seq, subject, status, date, reason) VALUES (?, ?, ?, ?, ?)",
                     [seq, change.subject, change.status.rawValue, change.date.iso, change.reason])
        case .signAgreement(let sig):
            try exec("INSERT INTO agreement_signature(agreement, party, key, time, seq, json) VALUES (?, ?, ?, ?, ?, ?)",
                     [sig.agreement, sig.party, sig.key, sig.time.iso, seq, commandJSON])
            guard v.completesSignatures else { return }
            // The last party signed: the agreement counts from the day of that signature.
            cache.agreements[sig.agreement] = nil
            guard let row = try db.row("SELECT json, superseded_by FROM agreement WHERE id = ?", [sig.agreement]) else { return }
            var a = try Agreement(json: JSONObject(JSONParser.parse(row["json"] as String), path: ""))
            a.status = .signed
            a.signed = sig.time.day
            let superseded = (try row["superseded_by"] as String?) != nil
            try exec("UPDATE agreement SET status = ?, signed = ?, json = ? WHERE id = ?",
                     [a.status.rawValue, a.signed?.iso, CanonicalJSON.string(Command.registerAgreement(a).json), a.id])
            if let old = a.supersedes {
                cache.agreements[old] = nil
                try supersede(old, by: a.id)
            }
            try exec("UPDATE claim SET active = ? WHERE agreement = ?", [superseded ? 0 : 1, a.id])
            try exec("INSERT INTO status_change(seq, subject, status, date, reason) VALUES (?, ?, ?, ?, ?)",
                     [seq, a.id, AgreementStatus.signed.rawValue, sig.time.day.iso, "every party has signed; the last was \(sig.party)"])
        case .recordGrant(let g):
            try entity(g.id, .grant)
            try exec("INSERT INTO grant_right(id, agreement, beneficiary, exclusivity, json) VALUES (?, ?, ?, ?, ?)",
                     [g.id, g.agreement, g.beneficiary, g.exclusivity.rawValue, commandJSON])
            if let claim = v.claim { try insertClaim(claim, active: v.claimActive, collisions: v.collisions) }
        case .recordObligation(let o):
            try entity(o.id, .obligation)
            try exec("INSERT INTO obligation(id, agreement, obligor, json) VALUES (?, ?, ?, ?)", [o.id, o.agreement, o.obligor, commandJSON])
        case .recordNationalOutput(let n):
            try exec("INSERT INTO national_output(mineral, year, json) VALUES (?, ?, ?)", [n.mineral.rawValue, n.year, commandJSON])
        case .recordClaim(let c):
            try entity(c.id, .claim)
            try exec("INSERT INTO source_claim(id, subject, field, used, seq, json) VALUES (?, ?, ?, ?, ?, ?)",
                     [c.id, c.subject, c.field, c.used ? 1 : 0, seq, commandJSON])
        case .recordEvent(let e):
            try entity(e.id, .event)
            try exec("INSERT INTO negotiation_event(id, day, kind, json) VALUES (?, ?, ?, ?)", [e.id, Int64(e.date.ordinal), e.kind.rawValue, commandJSON])
            var named = Set<String>()
            for (party, role) in e.parties where named.insert("\(party) \(role)").inserted {
                try exec("INSERT INTO event_party(event, party, role) VALUES (?, ?, ?)", [e.id, party, role])
            }
            for a in Set(e.agreements).sorted() { try exec("INSERT INTO event_agreement(event, agreement) VALUES (?, ?)", [e.id, a]) }
        case .linkAgreements(let link):
            try exec("INSERT INTO agreement_link(agreement, linked, relation, seq, json) VALUES (?, ?, ?, ?, ?)",
                     [link.agreement, link.linked, link.relation.rawValue, seq, commandJSON])
        case .registerReserve(let r):
            try entity(r.id, .reserve)
            try exec("INSERT INTO reserve(id, agreement, sealed, json) VALUES (?, ?, ?, ?)", [r.id, r.agreement, r.confidential ? 1 : 0, commandJSON])
            let lookup = ProjectionLookup(db: db, cache: cache)
            let validator = CommandValidator(geography: geography)
            for a in r.assets {
                let cells = try validator.assetCells(a, lookup: lookup, field: "asset")
                try exec("INSERT INTO reserve_asset(reserve, asset, minerals, cells) VALUES (?, ?, ?, ?)",
                         [r.id, a.id, Int64(bitPattern: a.minerals.mask), Data(cells.blob)])
            }
        case .offerAsset(let o):
            try entity(o.id, .offer)
            guard let json = try db.value(String.self, "SELECT json FROM reserve WHERE id = ?", [o.reserve]) else { return }
            let months = try Reserve(json: JSONObject(JSONParser.parse(json), path: "")).windowMonths
            try exec("""
                INSERT INTO asset_offer(id, reserve, asset, beneficiary, opens, closes, months, status, seq, json)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)
                """, [o.id, o.reserve, o.asset, o.beneficiary, Int64(o.opens.ordinal), Int64(o.opens.adding(months: months).ordinal),
                      Int64(months), seq, commandJSON])
        case .resolveOffer(let res):
            try exec("INSERT INTO offer_resolution(seq, offer, status, date, json) VALUES (?, ?, ?, ?, ?)",
                     [seq, res.offer, res.status.rawValue, Int64(res.date.ordinal), commandJSON])
            switch res.status {
            case .renewed:
                guard let row = try db.row("SELECT closes, months FROM asset_offer WHERE id = ?", [res.offer]) else { return }
                let closes = Day(ordinal: Int32(try row[0] as Int64)).adding(months: Int(try row[1] as Int64))
                try exec("UPDATE asset_offer SET closes = ? WHERE id = ?", [Int64(closes.ordinal), res.offer])
            case .accepted, .refused:
                try exec("UPDATE asset_offer SET status = ? WHERE id = ?", [res.status.rawValue, res.offer])
            }
        case .recordDelivery(let d):
            try entity(d.id, .delivery)
            try exec("INSERT INTO delivery(id, obligation, date, json) VALUES (?, ?, ?, ?)", [d.id, d.obligation, d.date.iso, commandJSON])
        case .registerKey(let k):
            try exec("INSERT INTO operator_key(id, party, json, revoked, seq) VALUES (?, ?, ?, NULL, ?)", [k.id, k.party, commandJSON, seq])
        case .revokeKey(let r):
            try exec("UPDATE operator_key SET revoked = ? WHERE id = ?", [r.time.iso, r.key])
        case .rotateLogKey(let r):
            try exec("INSERT INTO log_key(seq, vkey, until) VALUES (?, ?, ?)", [seq, r.key, r.transitionUntil.iso])
        case .setCustodyPolicy:
            cache.policy = nil
            try exec("INSERT INTO custody_policy(id, json, seq) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET json = excluded.json, seq = excluded.seq", [commandJSON, seq])
        case .custodyEvent:
            if let fx = v.custody { try applyCustody(fx, sequence: seq, commandJSON: commandJSON) }
        case .recordPrice(let p):
            try exec("INSERT INTO price(mineral, day, json) VALUES (?, ?, ?)", [p.mineral.rawValue, p.date.ordinal, commandJSON])
        case .recordPayment(let p):
            try exec("INSERT INTO payment(id, payer, stream, json) VALUES (?, ?, ?, ?)", [p.id, p.payer, p.stream.rawValue, commandJSON])
            for l in Set(p.lots) { try exec("INSERT INTO payment_lot(payment, lot) VALUES (?, ?)", [p.id, l]) }
        case .recordControl(let c):
            guard let cells = v.controlCells, let kind = v.controllerKind else { return }
            try exec("""
                INSERT INTO control_assessment(id, controller, kind, from_day, until_day, confidence, superseded_by, cells, seq, json)
                VALUES (?, ?, ?, ?, ?, ?, NULL, ?, ?, ?)
                """, [c.id, c.controller, kind.rawValue, c.period.from?.ordinal, c.period.until?.ordinal, c.confidence.rawValue,
                      Data(cells.blob), seq, commandJSON])
            if let old = c.supersedes { try exec("UPDATE control_assessment SET superseded_by = ? WHERE id = ?", [c.id, old]) }
        case .recordSiteVisit(let visit):
            try exec("INSERT INTO site_visit(id, site, day, nonstate, json) VALUES (?, ?, ?, ?, ?)",
                     [visit.id, visit.site, visit.date.ordinal, visit.nonStateArmed ? 1 : 0, commandJSON])
        case .recordConflictEvent(let e):
            try exec("INSERT INTO conflict_event(id, day, event_type, json) VALUES (?, ?, ?, ?)", [e.id, e.date.ordinal, e.type, commandJSON])
            if let kind = e.proposedControlChange {
                try exec("INSERT INTO control_proposal(event, kind, day, actor, latitude, longitude, location) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         [e.id, kind.rawValue, e.date.ordinal, e.actor1, DecimalText.canonical(e.latitude), DecimalText.canonical(e.longitude), e.location])
            }
        case .updateSite(let u):
            guard let json = try db.value(String.self, "SELECT json FROM site WHERE id = ?", [u.site]) else { return }
            let s = u.applied(to: try Site(json: JSONObject(JSONParser.parse(json), path: "")))
            let province = geography.province(latitude: s.latitudeDegrees, longitude: s.longitudeDegrees)?.code
            try exec("UPDATE site SET name = ?, province = ?, cell = ?, json = ? WHERE id = ?",
                     [s.name, province, Int64(try s.cell), CanonicalJSON.string(Command.registerSite(s).json), s.id])
        case .recordSiteStatus(let st):
            try exec("INSERT INTO site_status(site, day, status, json) VALUES (?, ?, ?, ?)", [st.site, st.date.ordinal, st.status.rawValue, commandJSON])
        }
    }

    /// `old` is replaced by `amendment`: its grants no longer hold ground.
    private func supersede(_ old: String, by amendment: String) throws {
        try db.execute("UPDATE agreement SET superseded_by = ? WHERE id = ?", [amendment, old])
        try db.execute("UPDATE claim SET active = 0 WHERE agreement = ?", [old])
    }

    private func insertClaim(_ c: Claim, active: Bool, collisions: [Collision]) throws {
        try db.execute("""
            INSERT INTO claim(id, kind, holder, agreement, minerals, from_day, until_day, cells, contested, active)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [c.id, c.kind.rawValue, c.holder, c.agreement, Int64(bitPattern: c.minerals.mask),
                                     c.period.from.map { Int64($0.ordinal) }, c.period.until.map { Int64($0.ordinal) },
                                     Data(c.cells.blob), c.contested, active ? 1 : 0])
        let bucket = ("INSERT INTO claim_bucket(bucket, claim) VALUES (?, ?)")
        for b in BucketIndex.keys(for: c.cells) {
            try db.execute(bucket, [b, c.id])
            cache.usedLevels?.insert(Int(b >> 40))
        }
        let collision = ("INSERT INTO claim_collision(claim, other, json) VALUES (?, ?, ?)")
        for x in collisions { try db.execute(collision, [c.id, x.claimID, CanonicalJSON.string(x.json)]) }
    }
}
