import Crypto
import Foundation

/// The countries bordering the DRC: an export there of material without a traceable origin is flagged.
public enum DRCNeighbours {
    public static let codes: Set<String> = ["AO", "BI", "CF", "CG", "RW", "SS", "TZ", "UG", "ZM"]
}

extension CommandValidator {
    /// Checks a signed custody event against the registry at `now` (the entry's time) and works out
    /// everything it changes. Refusals throw a ``DomainError`` naming the field; accepted anomalies
    /// become flags in the effect.
    public func validateCustody(_ signed: SignedCustodyEvent, at now: Timestamp, lookup: some RegistryLookup) throws -> CustodyEffect {
        let e = signed.event
        let bytes = signed.signedBytes
        let hash = SHA256Hex.of(bytes)
        var fx = CustodyEffect(event: signed)
        fx.eventHash = hash

        // Submissions are idempotent: the same event again returns the first receipt.
        if let existing = try lookup.custodyEvent(e.id) {
            if existing.hash == hash {
                throw DomainError(.alreadyRecorded, field: "event.id", "event \(e.id) was already recorded in entry \(existing.sequence)",
                                  sequence: existing.sequence)
            }
            throw DomainError(.duplicateID, field: "event.id", "event id \(e.id) was already recorded (entry \(existing.sequence)) with different content")
        }
        // The signature: a registered key of the acting party, valid when the act happened.
        guard let key = try lookup.operatorKey(e.key) else {
            throw DomainError(.unknownReference, field: "event.key", "no key \"\(e.key)\"; register it first (register-key)")
        }
        guard key.party == e.party else {
            throw DomainError(.badSignature, field: "event.key", "key \(key.id) belongs to \(key.party), not \(e.party)")
        }
        if let why = key.refusal(at: e.time) { throw DomainError(.badSignature, field: "event.key", "\(why); the event is dated \(e.time.iso)") }
        guard signed.preverifiedKey == key.publicKey || key.verifies(signed.signature, of: bytes) else {
            throw DomainError(.badSignature, field: "signature",
                              "does not verify with key \(key.id) over the canonical bytes of `event` (sign with `assay sign`)")
        }
        // Late arrivals are normal (store and forward), within the policy's window; the future is not.
        let policy = try lookup.custodyPolicy()
        if e.time.milliseconds > now.milliseconds + CustodyPolicy.maxFutureSkewMilliseconds {
            throw DomainError(.outsideWindow, field: "event.time", "\(e.time.iso) is in the future (registry time \(now.iso))")
        }
        if now.milliseconds - e.time.milliseconds > Int64(policy.lateWindowDays) * 86_400_000 {
            throw DomainError(.outsideWindow, field: "event.time",
                              "\(e.time.iso) is more than \(policy.lateWindowDays) days before it reached the registry (\(now.iso)); the late window is set by set-custody-policy")
        }
        guard try lookup.kind(of: e.party) == .party else {
            throw DomainError(.unknownReference, field: "event.party", "no party \"\(e.party)\"")
        }

        // The input lots: they exist, are not used up, and the acting party holds them (or, for an
        // acceptance or receipt, is the one they wait for).
        var inputs: [LotRecord] = []
        for (i, id) in e.inputLots.enumerated() {
            let field = e.inputLots.count > 1 || e.kind == .processing || e.kind == .blend ? "event.inputs[\(i)]" : "event.lot"
            guard var lot = try lookup.lot(id) else { throw DomainError(.unknownReference, field: field, "no lot \"\(id)\"") }
            if let by = lot.consumedBy {
                throw DomainError(.lotConsumed, field: field, "lot \(id) was used up by event \(by) and cannot be used again")
            }
            switch e.kind {
            case .acceptance, .receipt:
                guard lot.pendingTo == e.party else {
                    let why = lot.pendingTo.map { "it waits for \($0)" } ?? "it is not being transferred (held by \(lot.holder))"
                    throw DomainError(.notHolder, field: field, "\(e.party) cannot take lot \(id): \(why)")
                }
            default:
                guard lot.holder == e.party else {
                    throw DomainError(.notHolder, field: field, "\(e.party) does not hold lot \(id) (held by \(lot.holder))")
                }
                if let to = lot.pendingTo {
                    throw DomainError(.notHolder, field: field, "lot \(id) is on its way to \(to) (event \(lot.pendingEvent ?? "?")) and waits for their acceptance")
                }
            }
            if lot.time(isAfter: e.time) {
                fx.flags.append(CustodyFlag(rule: .timeOutOfOrder, lot: id, event: e.id, time: e.time,
                                            explanation: "event \(e.id) is dated \(e.time.iso), before the lot's previous event (\(lot.lastTime.iso))",
                                            evidence: ["eventTime": e.time.iso, "previousTime": lot.lastTime.iso]))
            }
            lot.lastTime = max(lot.lastTime, e.time)
            inputs.append(lot)
        }
        // New tags are new everywhere.
        for (i, out) in e.outputLots.enumerated() {
            if let owner = try lookup.tagOwner(out.id) {
                let field = e.kind == .extraction ? "event.lot.id" : (e.kind == .blend ? "event.output.id" : "event.outputs[\(i)].id")
                throw DomainError(.duplicateTag, field: field, "tag \(out.id) is already used by lot \(owner)")
            }
        }
        let tolerance = policy.tolerance(for: e.kind)
        func checkMass(_ outGrams: Int64, _ inGrams: Int64, lot: String) {
            let limit = inGrams + inGrams * tolerance.basisPoints / 10_000
            if outGrams > limit {
                fx.flags.append(CustodyFlag(
                    rule: .massGain, lot: lot, event: e.id, time: e.time,
                    explanation: "\(e.kind.rawValue) \(e.id) yields \(Mass(grams: outGrams)) from \(Mass(grams: inGrams)) of input, more than the \(tolerance) tolerance allows",
                    evidence: ["inputKg": Mass(grams: inGrams).kilogramText, "outputKg": Mass(grams: outGrams).kilogramText, "tolerancePercent": tolerance.text]))
            }
        }
        func requireSite(_ id: String, field: String) throws -> Site {
            guard let s = try lookup.site(id) else { throw DomainError(.unknownReference, field: field, "no site \"\(id)\"") }
            return s
        }
        func requireParty(_ id: String, field: String) throws {
            guard try lookup.kind(of: id) == .party else { throw DomainError(.unknownReference, field: field, "no party \"\(id)\"") }
        }
        func newLot(_ spec: LotSpec, mineral: Mineral, form: ProductForm, grade: Percent?, location: String?, atOrigin: Bool, origins: [OriginShare]) -> LotRecord {
            LotRecord(id: spec.id, mineral: mineral, form: form, mass: spec.mass, grade: spec.grade ?? grade, moisture: spec.moisture,
                      holder: e.party, location: location, atOrigin: atOrigin, createdBy: e.id, created: e.time, lastTime: e.time, origins: origins)
        }
        func royaltyOnLeaving(_ lot: LotRecord) {
            guard lot.atOrigin, let site = lot.location else { return }
            fx.royalties.append(RoyaltyBasis(lot: lot.id, event: e.id, day: e.time.day, payer: lot.holder, site: site,
                                             concession: lot.origins.first?.concession, mineral: lot.mineral, containedGrams: lot.containedGrams))
        }
        func add(_ lot: LotRecord) { fx.lots.append(lot); fx.newLotIDs.insert(lot.id); fx.tags.append((lot.id, lot.id)) }

        switch e.body {
        case .extraction(let siteID, let spec):
            let site = try requireSite(siteID, field: "event.site")
            guard site.kind == .industrialMine || site.kind == .artisanalSite else {
                throw DomainError(.invalidField, field: "event.site", "\(siteID) is a \(site.kind.rawValue); extraction happens at a mine or an artisanal site")
            }
            if let op = site.operatorParty, op != e.party {
                throw DomainError(.notHolder, field: "event.party", "\(siteID) is operated by \(op); only its operator extracts there")
            }
            guard let mineral = spec.mineral else {
                throw DomainError(.missingField, field: "event.lot.mineral", "an extracted lot names its mineral")
            }
            if !site.minerals.contains(mineral) {
                fx.flags.append(CustodyFlag(rule: .mineralNotListedAtSite, lot: spec.id, event: e.id, time: e.time,
                                            explanation: "\(mineral.rawValue) is not among the minerals registered for \(siteID)",
                                            evidence: ["site": siteID, "mineral": mineral.rawValue]))
            }
            let year = e.time.day.components.year
            if let capacity = site.capacities[mineral] {
                let before = try lookup.siteOutput(site: siteID, mineral: mineral, year: year)
                let capGrams = NSDecimalNumber(decimal: capacity * 1_000_000).int64Value
                if before.grams + spec.mass.grams > capGrams {
                    fx.flags.append(CustodyFlag(
                        rule: .siteOverCapacity, lot: spec.id, event: e.id, time: e.time,
                        explanation: "\(siteID) would have produced \(DecimalText.canonical(Decimal((before + spec.mass).grams) / 1_000_000)) t of \(mineral.rawValue) in \(year), over its capacity of \(DecimalText.canonical(capacity)) t a year",
                        evidence: ["site": siteID, "year": String(year), "declaredTonnes": DecimalText.canonical(Decimal((before + spec.mass).grams) / 1_000_000),
                                   "capacityTonnes": DecimalText.canonical(capacity)]))
                }
            }
            fx.siteOutput = (siteID, mineral, year, spec.mass)
            let title = try lookup.titles(atSite: siteID).filter { $0.holds(on: e.time.day) }.map(\.id).sorted().first
            add(newLot(spec, mineral: mineral, form: spec.form ?? .ore, grade: nil, location: siteID, atOrigin: true,
                       origins: [OriginShare(site: siteID, concession: title, share: 1)]))
            fx.flows.append((e.party, mineral, spec.mass, .zero))
        case .tagging(_, let tag):
            if let owner = try lookup.tagOwner(tag) {
                throw DomainError(.duplicateTag, field: "event.tag", "tag \(tag) is already used by lot \(owner)")
            }
            fx.tags.append((tag, inputs[0].id))
            fx.lots.append(inputs[0])
        case .weighing(_, let mass, let moisture):
            var lot = inputs[0]
            checkMass(mass.grams, lot.mass.grams, lot: lot.id)
            lot.mass = mass
            if let moisture { lot.moisture = moisture }
            fx.lots.append(lot)
        case .transfer(_, let to):
            try requireParty(to, field: "event.to")
            if to == e.party { throw DomainError(.invalidField, field: "event.to", "a transfer goes to another party") }
            var lot = inputs[0]
            lot.pendingTo = to; lot.pendingEvent = e.id
            fx.lots.append(lot)
        case .acceptance(_, let transfer):
            var lot = inputs[0]
            guard lot.pendingEvent == transfer, lot.exportedTo == nil else {
                throw DomainError(.invalidField, field: "event.transfer",
                                  lot.exportedTo != nil ? "lot \(lot.id) was exported; the consignee records a receipt" : "lot \(lot.id) waits on event \(lot.pendingEvent ?? "none"), not \(transfer)")
            }
            lot.holder = e.party; lot.pendingTo = nil; lot.pendingEvent = nil
            fx.lots.append(lot)
            fx.flows.append((e.party, lot.mineral, lot.mass, .zero))
        case .transport(_, let from, let to):
            var lot = inputs[0]
            _ = try requireSite(to, field: "event.to")
            if let from, from != lot.location {
                throw DomainError(.invalidField, field: "event.from", "lot \(lot.id) is at \(lot.location ?? "no recorded site"), not \(from)")
            }
            if to == lot.location { throw DomainError(.invalidField, field: "event.to", "lot \(lot.id) is already at \(to)") }
            if lot.exportedTo != nil { throw DomainError(.invalidField, field: "event.lot", "lot \(lot.id) was exported; record its receipt first") }
            royaltyOnLeaving(lot)
            lot.atOrigin = false
            lot.location = to
            fx.lots.append(lot)
        case .processing(let siteID, _, let outputs):
            if let siteID { _ = try requireSite(siteID, field: "event.site") }
            let location = siteID ?? inputs[0].location
            let minerals = Set(inputs.map(\.mineral))
            let inGrams = inputs.reduce(Int64(0)) { $0 + $1.mass.grams }
            let outGrams = outputs.reduce(Int64(0)) { $0 + $1.mass.grams }
            let stays = inputs.allSatisfy { $0.atOrigin && $0.location == location }
            for lot in inputs where !stays { royaltyOnLeaving(lot) }
            let origins = OriginShare.mix(inputs.map { ($0.origins, Double($0.mass.grams)) })
            for (i, spec) in outputs.enumerated() {
                let mineral = spec.mineral ?? inputs[0].mineral
                guard minerals.contains(mineral) else {
                    throw DomainError(.invalidField, field: "event.outputs[\(i)].mineral", "\(mineral.rawValue) is not among the inputs' minerals (\(minerals.map(\.rawValue).sorted().joined(separator: ", ")))")
                }
                add(newLot(spec, mineral: mineral, form: spec.form ?? inputs[0].form, grade: nil, location: location, atOrigin: stays, origins: origins))
                for lot in inputs {
                    fx.edges.append((lot.id, spec.id, outGrams > 0 ? lot.mass.grams * spec.mass.grams / outGrams : 0))
                }
            }
            checkMass(outGrams, inGrams, lot: outputs[0].id)
            for var lot in inputs { lot.consumedBy = e.id; lot.atOrigin = false; fx.lots.append(lot) }
        case .split(_, let outputs):
            var parent = inputs[0]
            for (i, spec) in outputs.enumerated() {
                if let m = spec.mineral, m != parent.mineral {
                    throw DomainError(.invalidField, field: "event.outputs[\(i)].mineral", "a split keeps the mineral (\(parent.mineral.rawValue)); use processing to change it")
                }
                add(newLot(spec, mineral: parent.mineral, form: spec.form ?? parent.form, grade: parent.grade, location: parent.location,
                           atOrigin: parent.atOrigin, origins: parent.origins))
                fx.edges.append((parent.id, spec.id, spec.mass.grams))
            }
            checkMass(outputs.reduce(0) { $0 + $1.mass.grams }, parent.mass.grams, lot: outputs[0].id)
            parent.consumedBy = e.id; parent.atOrigin = false
            fx.lots.append(parent)
        case .blend(_, let spec):
            let mineral = inputs[0].mineral
            for (i, lot) in inputs.enumerated() where lot.mineral != mineral {
                throw DomainError(.invalidField, field: "event.inputs[\(i)]", "lot \(lot.id) is \(lot.mineral.rawValue), not \(mineral.rawValue); a blend mixes one mineral")
            }
            if let m = spec.mineral, m != mineral {
                throw DomainError(.invalidField, field: "event.output.mineral", "the inputs are \(mineral.rawValue)")
            }
            let location = inputs[0].location
            let stays = inputs.allSatisfy { $0.atOrigin && $0.location == location }
            for lot in inputs where !stays { royaltyOnLeaving(lot) }
            let origins = OriginShare.mix(inputs.map { ($0.origins, Double($0.mass.grams)) })
            add(newLot(spec, mineral: mineral, form: spec.form ?? inputs[0].form, grade: nil, location: location, atOrigin: stays, origins: origins))
            for lot in inputs { fx.edges.append((lot.id, spec.id, lot.mass.grams)) }
            checkMass(spec.mass.grams, inputs.reduce(0) { $0 + $1.mass.grams }, lot: spec.id)
            for var lot in inputs { lot.consumedBy = e.id; lot.atOrigin = false; fx.lots.append(lot) }
        case .export(_, let crossing, let destination, let consignee, _, _):
            var lot = inputs[0]
            let site = try requireSite(crossing, field: "event.crossing")
            guard site.kind == .borderCrossing || site.kind == .port else {
                throw DomainError(.invalidField, field: "event.crossing", "\(crossing) is a \(site.kind.rawValue), not a border crossing or port")
            }
            try requireParty(consignee, field: "event.consignee")
            if let already = lot.exportedTo { throw DomainError(.invalidField, field: "event.lot", "lot \(lot.id) was already exported to \(already)") }
            let flow = try lookup.partyFlow(party: e.party, mineral: lot.mineral)
            if (flow.exported + lot.mass).grams > flow.received.grams {
                fx.flags.append(CustodyFlag(
                    rule: .exportExceedsReceipts, lot: lot.id, event: e.id, time: e.time,
                    explanation: "\(e.party) has now exported \(flow.exported + lot.mass) of \(lot.mineral.rawValue) but took in only \(flow.received)",
                    evidence: ["party": e.party, "exportedKg": (flow.exported + lot.mass).kilogramText, "receivedKg": flow.received.kilogramText]))
            }
            let untraced = lot.origins.filter { $0.concession == nil }.reduce(0) { $0 + $1.share }
            if DRCNeighbours.codes.contains(destination), untraced > 0 {
                fx.flags.append(CustodyFlag(
                    rule: .untraceableExportToNeighbour, lot: lot.id, event: e.id, time: e.time,
                    explanation: "\(Int((untraced * 100).rounded()))% of lot \(lot.id) comes from sites with no registered title, and it is exported to neighbouring \(destination)",
                    evidence: ["destination": destination, "untracedPercent": String(format: "%.1f", untraced * 100),
                               "untracedSites": lot.origins.filter { $0.concession == nil }.map(\.site).joined(separator: ",")]))
            }
            royaltyOnLeaving(lot)
            lot.atOrigin = false
            lot.exportedTo = destination; lot.pendingTo = consignee; lot.pendingEvent = e.id; lot.location = crossing
            fx.lots.append(lot)
            fx.flows.append((e.party, lot.mineral, .zero, lot.mass))
        case .receipt(_, let siteID):
            var lot = inputs[0]
            guard lot.exportedTo != nil else {
                throw DomainError(.invalidField, field: "event.lot", "lot \(lot.id) was not exported; a domestic transfer ends with an acceptance")
            }
            if let siteID { _ = try requireSite(siteID, field: "event.site") }
            lot.holder = e.party; lot.pendingTo = nil; lot.pendingEvent = nil; lot.received = true
            if let siteID { lot.location = siteID }
            fx.lots.append(lot)
            fx.flows.append((e.party, lot.mineral, lot.mass, .zero))
        }
        return fx
    }
}

extension LotRecord {
    /// Whether the lot's last event is later than `time` (so an event at `time` arrives out of order).
    func time(isAfter time: Timestamp) -> Bool { lastTime > time }
}

extension SHA256Hex {
    /// The SHA-256 of `bytes` as 64 lower-case hex characters.
    public static func of(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in SHA256.hash(data: bytes) { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
