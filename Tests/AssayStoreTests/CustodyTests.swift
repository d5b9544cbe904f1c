import AssayDomain
import AssayIngest
import AssayStore
import Foundation
import Testing
import TransparencyLog

/// A small supply chain: Bisie's operator (titled mine), an artisanal coltan site without a title, a
/// trader, an exporter, a smelter, each with its own key.
struct CustodyKit {
    let store: RelationalStore
    let path: String
    var keys: [String: OperatorSigningKey] = [:]
    /// The registry's clock is fixed at `now`; events are dated before it.
    static let now = Timestamp(milliseconds: 1_795_000_000_000)
    var counter = 0

    init() async throws {
        (store, path) = try await Fixtures.store()
        _ = try await store.append(try Fixtures.commands([
            #"{"type":"register-party","id":"alphamin","name":"Alphamin Bisie Mining","kind":"company","country":"CD"}"#,
            #"{"type":"register-party","id":"coop","name":"Coopérative minière","kind":"organisation","country":"CD"}"#,
            #"{"type":"register-party","id":"trader","name":"Comptoir Goma","kind":"company","country":"CD"}"#,
            #"{"type":"register-party","id":"exporter","name":"Export SARL","kind":"company","country":"CD"}"#,
            #"{"type":"register-party","id":"smelter","name":"Smelter Ltd","kind":"company","country":"MY"}"#,
            #"{"type":"register-site","id":"bisie","name":"Bisie","kind":"industrial-mine","latitude":"-1.0167","longitude":"27.6667","minerals":["tin"],"capacities":{"tin":"10"},"operator":"alphamin"}"#,
            #"{"type":"register-site","id":"rubaya","name":"Rubaya","kind":"artisanal-site","latitude":"-1.5575","longitude":"28.8864","minerals":["tantalum","tin"]}"#,
            #"{"type":"register-site","id":"goma-post","name":"Goma trading post","kind":"trading-post","latitude":"-1.6792","longitude":"29.2228","minerals":["tin","tantalum"]}"#,
            #"{"type":"register-site","id":"goma-border","name":"Goma – Gisenyi","kind":"border-crossing","latitude":"-1.6900","longitude":"29.2500"}"#,
            #"{"type":"register-concession","id":"pe-bisie","code":"PE 13155","titleType":"PE","holder":"alphamin","minerals":["tin"],"cells":[[428828080,428828100]],"granted":"2015-01-01","status":"granted","site":"bisie"}"#,
        ]), author: "test")
        for party in ["alphamin", "coop", "trader", "exporter", "smelter"] {
            let k = OperatorSigningKey(keyID: "\(party)-k1", party: party)
            keys[party] = k
            _ = try await store.append([.registerKey(k.registration(validFrom: Timestamp(milliseconds: CustodyKit.now.milliseconds - 100 * 86_400_000)))], author: "test")
        }
    }

    /// An event dated `hoursAgo` before the registry's clock.
    mutating func event(_ party: String, _ kind: String, hoursAgo: Double, _ fields: [String: JSONValue], id: String? = nil) -> CustodyEvent {
        counter += 1
        var m = fields
        m["id"] = .string(id ?? "ev-\(counter)"); m["kind"] = .string(kind); m["party"] = .string(party); m["key"] = .string("\(party)-k1")
        m["time"] = .string(Timestamp(milliseconds: CustodyKit.now.milliseconds - Int64(hoursAgo * 3_600_000)).iso)
        do { return try CustodyEvent(json: JSONObject(.object(m), path: "event")) } catch { preconditionFailure("bad test event: \(error)") }
    }

    /// Bisie's tin (BIS-1, 1 t at 60%) and Rubaya's (RUB-1, 500 kg) extracted, transferred to the trader
    /// and accepted by it (transfers tr-1 and tr-2), between 100 and 87 hours ago.
    mutating func twoLotsAtTheTrader() async throws {
        try await submit(event("alphamin", "extraction", hoursAgo: 100, ["site": "bisie", "lot": CustodyKit.lot("BIS-1", "tin", kg: "1000", grade: "60")]))
        try await submit(event("coop", "extraction", hoursAgo: 99, ["site": "rubaya", "lot": CustodyKit.lot("RUB-1", "tin", kg: "500")]))
        try await submit(event("alphamin", "transfer", hoursAgo: 90, ["lot": "BIS-1", "to": "trader"], id: "tr-1"))
        try await submit(event("trader", "acceptance", hoursAgo: 89, ["lot": "BIS-1", "transfer": "tr-1"]))
        try await submit(event("coop", "transfer", hoursAgo: 88, ["lot": "RUB-1", "to": "trader"], id: "tr-2"))
        try await submit(event("trader", "acceptance", hoursAgo: 87, ["lot": "RUB-1", "transfer": "tr-2"]))
    }

    func sign(_ e: CustodyEvent, as party: String? = nil) -> Command { .custodyEvent(keys[party ?? e.party]!.sign(e)) }

    @discardableResult
    func submit(_ e: CustodyEvent, as party: String? = nil) async throws -> AppendReceipt {
        try await store.append([sign(e, as: party)], author: e.party)[0]
    }

    /// The refusal of one command, which must write nothing.
    func refusal(_ command: Command) async throws -> DomainError {
        let before = try await store.journalSize()
        do {
            _ = try await store.append([command], author: "test")
        } catch let e as BatchRejected {
            #expect(try await store.journalSize() == before)
            return e.errors[0].error
        }
        Issue.record("accepted: \(command)")
        return DomainError(.invalidField, field: "", "accepted")
    }

    static func lot(_ id: String, _ mineral: String, kg: String, grade: String? = nil) -> JSONValue {
        var m: [String: JSONValue] = ["id": .string(id), "mineral": .string(mineral), "massKg": .string(kg)]
        if let grade { m["grade"] = .string(grade) }
        return .object(m)
    }
}

@Suite("Chain of custody")
struct CustodyTests {
    @Test("a lot flows from the mine through transfer, transport, split, blend and export, and its trace adds up")
    func happyPath() async throws {
        var kit = try await CustodyKit()
        defer { Fixtures.remove(kit.path) }
        try await kit.twoLotsAtTheTrader()
        try await kit.submit(kit.event("trader", "transport", hoursAgo: 80, ["lot": "BIS-1", "to": "goma-post"]))
        try await kit.submit(kit.event("trader", "transport", hoursAgo: 80, ["lot": "RUB-1", "to": "goma-post"]))
        try await kit.submit(kit.event("trader", "blend", hoursAgo: 70, ["inputs": ["BIS-1", "RUB-1"], "output": CustodyKit.lot("MIX-1", "tin", kg: "1500")]))
        try await kit.submit(kit.event("trader", "split", hoursAgo: 60, ["lot": "MIX-1", "outputs": [CustodyKit.lot("MIX-1a", "tin", kg: "750"), CustodyKit.lot("MIX-1b", "tin", kg: "750")]]))
        let r = try await kit.submit(kit.event("trader", "export", hoursAgo: 50, [
            "lot": "MIX-1a", "crossing": "goma-border", "destination": "MY", "consignee": "smelter",
            "declaredValue": ["amount": "20000", "currency": "USD"], "hsCode": "2609.00"]))
        #expect(r.flags.isEmpty)
        try await kit.submit(kit.event("smelter", "receipt", hoursAgo: 10, ["lot": "MIX-1a"]))

        let trace = try #require(try await kit.store.trace("MIX-1a"))
        #expect(trace.lot.holder == "smelter")
        #expect(trace.lot.status == "received")
        #expect(Set(trace.ancestors.map(\.lot.id)) == ["MIX-1", "BIS-1", "RUB-1"])
        #expect(trace.ancestors.first { $0.lot.id == "BIS-1" }?.depth == 2)
        // Origins: two thirds Bisie (under its title), one third Rubaya (no title).
        let bisie = try #require(trace.lot.origins.first { $0.site == "bisie" })
        #expect(abs(bisie.share - 2.0 / 3.0) < 1e-9)
        #expect(bisie.concession == "pe-bisie")
        #expect(trace.lot.origins.first { $0.site == "rubaya" }?.concession == nil)
        // The chain holds every event on the lot and its ancestors, each signature verified.
        #expect(trace.events.count == 12)  // every event on the lot or an ancestor
        #expect(trace.allSignaturesVerified)
        let lineage = try await kit.store.lineage("BIS-1")
        #expect(Set(lineage.descendants.map(\.0)) == ["MIX-1", "MIX-1a", "MIX-1b"])
        // Royalty: due when each lot left its extraction site (transport), on the contained metal.
        let inputs = try await kit.store.royaltyInputs()
        #expect(inputs.bases.map(\.lot).sorted() == ["BIS-1", "RUB-1"])
        #expect(inputs.bases.first { $0.lot == "BIS-1" }?.containedGrams == 600_000)
        #expect(inputs.bases.first { $0.lot == "BIS-1" }?.payer == "trader")
        // Replay gives the same projections.
        let before = try await kit.store.projectionSnapshot()
        _ = try await kit.store.rebuild()
        #expect(try await kit.store.projectionSnapshot() == before)
    }

    @Test("every refusal names its field and writes nothing")
    func refusals() async throws {
        var kit = try await CustodyKit()
        defer { Fixtures.remove(kit.path) }
        try await kit.submit(kit.event("alphamin", "extraction", hoursAgo: 100, ["site": "bisie", "lot": CustodyKit.lot("BIS-1", "tin", kg: "1000")]))

        // A bad signature: signed by another party's key, or the bytes changed after signing.
        let forged = kit.event("alphamin", "transfer", hoursAgo: 90, ["lot": "BIS-1", "to": "trader"])
        var e = try await kit.refusal(kit.sign(forged, as: "trader"))
        #expect(e.code == .badSignature && e.field == "signature")
        guard case .custodyEvent(var tampered) = kit.sign(forged) else { return }
        if case .object(var m) = tampered.raw { m["to"] = "exporter"; tampered.raw = .object(m) }
        tampered.event.body = .transfer(lot: "BIS-1", to: "exporter")
        e = try await kit.refusal(.custodyEvent(tampered))
        #expect(e.code == .badSignature)
        // A key of another party.
        var other = kit.event("alphamin", "transfer", hoursAgo: 90, ["lot": "BIS-1", "to": "trader"])
        other.key = "trader-k1"
        e = try await kit.refusal(.custodyEvent(kit.keys["trader"]!.sign(other)))
        #expect(e.code == .badSignature && e.field == "event.key" && e.message.contains("belongs to trader"))
        // An expired (revoked) key: revoked an hour ago, the event is dated now.
        _ = try await kit.store.append([.revokeKey(KeyRevocation(key: "coop-k1", time: Timestamp(milliseconds: CustodyKit.now.milliseconds - 3_600_000)))], author: "test")
        e = try await kit.refusal(kit.sign(kit.event("coop", "extraction", hoursAgo: 0.5, ["site": "rubaya", "lot": CustodyKit.lot("RUB-9", "tantalum", kg: "10")])))
        #expect(e.code == .badSignature && e.message.contains("revoked"))
        // …but an event dated before the revocation still counts.
        try await kit.submit(kit.event("coop", "extraction", hoursAgo: 2, ["site": "rubaya", "lot": CustodyKit.lot("RUB-8", "tantalum", kg: "10")]))
        // A key past its validity, and one not yet valid.
        let short = OperatorSigningKey(keyID: "alphamin-short", party: "alphamin")
        _ = try await kit.store.append([.registerKey(short.registration(validFrom: Timestamp(milliseconds: CustodyKit.now.milliseconds - 10 * 3_600_000),
                                                                        validUntil: Timestamp(milliseconds: CustodyKit.now.milliseconds - 5 * 3_600_000)))], author: "test")
        var late = kit.event("alphamin", "weighing", hoursAgo: 4, ["lot": "BIS-1", "massKg": "1000"])
        late.key = "alphamin-short"
        e = try await kit.refusal(.custodyEvent(short.sign(late)))
        #expect(e.code == .badSignature && e.message.contains("expired"))
        var early = kit.event("alphamin", "weighing", hoursAgo: 11, ["lot": "BIS-1", "massKg": "1000"])
        early.key = "alphamin-short"
        e = try await kit.refusal(.custodyEvent(short.sign(early)))
        #expect(e.code == .badSignature && e.message.contains("valid only from"))
        // A party acting on a lot it does not hold.
        e = try await kit.refusal(kit.sign(kit.event("trader", "transport", hoursAgo: 80, ["lot": "BIS-1", "to": "goma-post"])))
        #expect(e.code == .notHolder && e.field == "event.lot" && e.message.contains("held by alphamin"))
        // A lot waiting for acceptance cannot be moved by its sender.
        try await kit.submit(kit.event("alphamin", "transfer", hoursAgo: 90, ["lot": "BIS-1", "to": "trader"], id: "tr-1"))
        e = try await kit.refusal(kit.sign(kit.event("alphamin", "transport", hoursAgo: 85, ["lot": "BIS-1", "to": "goma-post"])))
        #expect(e.code == .notHolder && e.message.contains("waits for their acceptance"))
        // Only the receiver accepts.
        e = try await kit.refusal(kit.sign(kit.event("exporter", "acceptance", hoursAgo: 85, ["lot": "BIS-1", "transfer": "tr-1"])))
        #expect(e.code == .notHolder)
        try await kit.submit(kit.event("trader", "acceptance", hoursAgo: 84, ["lot": "BIS-1", "transfer": "tr-1"]))
        // A consumed lot used again.
        try await kit.submit(kit.event("trader", "split", hoursAgo: 80, ["lot": "BIS-1", "outputs": [CustodyKit.lot("BIS-1a", "tin", kg: "500"), CustodyKit.lot("BIS-1b", "tin", kg: "500")]]))
        e = try await kit.refusal(kit.sign(kit.event("trader", "weighing", hoursAgo: 79, ["lot": "BIS-1", "massKg": "999"])))
        #expect(e.code == .lotConsumed && e.message.contains("used up"))
        // A reused tag: as a new lot id, and as an extra tag.
        e = try await kit.refusal(kit.sign(kit.event("alphamin", "extraction", hoursAgo: 70, ["site": "bisie", "lot": CustodyKit.lot("BIS-1a", "tin", kg: "10")])))
        #expect(e.code == .duplicateTag && e.field == "event.lot.id")
        try await kit.submit(kit.event("trader", "tagging", hoursAgo: 70, ["lot": "BIS-1a", "tag": "ITSCI-0001"]))
        e = try await kit.refusal(kit.sign(kit.event("trader", "tagging", hoursAgo: 69, ["lot": "BIS-1b", "tag": "ITSCI-0001"])))
        #expect(e.code == .duplicateTag && e.field == "event.tag")
        #expect(try await kit.store.lot("ITSCI-0001")?.id == "BIS-1a")
        // Same id, same content: the original receipt, nothing written. Same id, other content: refused.
        let once = kit.event("trader", "weighing", hoursAgo: 60, ["lot": "BIS-1a", "massKg": "499"], id: "w-1")
        let first = try await kit.submit(once)
        let size = try await kit.store.journalSize()
        let again = try await kit.submit(once)
        #expect(again.sequence == first.sequence && again.replayed)
        #expect(try await kit.store.journalSize() == size)
        e = try await kit.refusal(kit.sign(kit.event("trader", "weighing", hoursAgo: 60, ["lot": "BIS-1a", "massKg": "498"], id: "w-1")))
        #expect(e.code == .duplicateID && e.field == "event.id")
        // Outside the late window, or in the future.
        e = try await kit.refusal(kit.sign(kit.event("trader", "weighing", hoursAgo: 31 * 24, ["lot": "BIS-1a", "massKg": "499"])))
        #expect(e.code == .outsideWindow && e.message.contains("30 days"))
        e = try await kit.refusal(kit.sign(kit.event("trader", "weighing", hoursAgo: -1, ["lot": "BIS-1a", "massKg": "499"])))
        #expect(e.code == .outsideWindow && e.message.contains("future"))
        // Extraction by someone other than the site's operator, or at a trading post.
        e = try await kit.refusal(kit.sign(kit.event("trader", "extraction", hoursAgo: 5, ["site": "bisie", "lot": CustodyKit.lot("X-1", "tin", kg: "1")])))
        #expect(e.code == .notHolder && e.field == "event.party")
        e = try await kit.refusal(kit.sign(kit.event("trader", "extraction", hoursAgo: 5, ["site": "goma-post", "lot": CustodyKit.lot("X-1", "tin", kg: "1")])))
        #expect(e.code == .invalidField && e.field == "event.site")
        // Unknown lot, unknown key.
        e = try await kit.refusal(kit.sign(kit.event("trader", "weighing", hoursAgo: 5, ["lot": "NOPE", "massKg": "1"])))
        #expect(e.code == .unknownReference && e.field == "event.lot")
        // Payments name lots and parties that exist; prices are one per mineral and day.
        let payment = try Command(jsonText: #"{"type":"record-payment","id":"pay-x","payer":"alphamin","stream":"royalty","amount":{"amount":"1","currency":"USD"},"date":"2026-01-01","period":{"from":"2025-12-01","until":"2026-01-01"},"lots":["BIS-1a","GHOST"]}"#)
        e = try await kit.refusal(payment)
        #expect(e.code == .unknownReference && e.field == "lots[1]")
        let price = try Command(jsonText: #"{"type":"record-price","mineral":"tin","date":"2026-01-01","pricePerTonne":{"amount":"30000","currency":"USD"}}"#)
        _ = try await kit.store.append([price], author: "test")
        e = try await kit.refusal(price)
        #expect(e.code == .duplicateID && e.field == "date")
        // A batch with one refused line writes none of it.
        let before = try await kit.store.journalSize()
        let good = kit.sign(kit.event("trader", "weighing", hoursAgo: 5, ["lot": "BIS-1b", "massKg": "500"]))
        let bad = kit.sign(kit.event("trader", "weighing", hoursAgo: 5, ["lot": "NOPE", "massKg": "1"]))
        await #expect(throws: BatchRejected.self) { _ = try await kit.store.append([good, bad], author: "test") }
        #expect(try await kit.store.journalSize() == before)
    }

    @Test("accepted but flagged: mass gain, over capacity, exports over receipts, out of order, untraceable export to a neighbour")
    func flags() async throws {
        var kit = try await CustodyKit()
        defer { Fixtures.remove(kit.path) }
        // Bisie's capacity is 10 t a year: 6 t then 6 t goes over.
        try await kit.submit(kit.event("alphamin", "extraction", hoursAgo: 100, ["site": "bisie", "lot": CustodyKit.lot("B-1", "tin", kg: "6000")]))
        let over = try await kit.submit(kit.event("alphamin", "extraction", hoursAgo: 99, ["site": "bisie", "lot": CustodyKit.lot("B-2", "tin", kg: "6000")]))
        #expect(over.flags.map(\.rule) == [.siteOverCapacity])
        #expect(over.flags[0].evidence["declaredTonnes"] == "12" && over.flags[0].evidence["capacityTonnes"] == "10")
        // Processing yields more than it took in (tolerance 0%).
        let gain = try await kit.submit(kit.event("alphamin", "processing", hoursAgo: 98, ["inputs": ["B-1"], "outputs": [
            ["id": "B-1c", "form": "concentrate", "massKg": "6100", "grade": "65"]]]))
        #expect(gain.flags.map(\.rule) == [.massGain])
        // A weighing within 1% is fine; beyond it is flagged.
        #expect(try await kit.submit(kit.event("alphamin", "weighing", hoursAgo: 97, ["lot": "B-2", "massKg": "6050"])).flags.isEmpty)
        #expect(try await kit.submit(kit.event("alphamin", "weighing", hoursAgo: 96, ["lot": "B-2", "massKg": "7000"])).flags.map(\.rule) == [.massGain])
        // An event dated before the lot's previous one (store and forward) is accepted and flagged.
        #expect(try await kit.submit(kit.event("alphamin", "tagging", hoursAgo: 99.5, ["lot": "B-2", "tag": "T-77"])).flags.map(\.rule) == [.timeOutOfOrder])
        // Artisanal coltan with no title, exported to Rwanda by an exporter who took in less than it ships.
        try await kit.submit(kit.event("coop", "extraction", hoursAgo: 90, ["site": "rubaya", "lot": CustodyKit.lot("R-1", "tantalum", kg: "100")]))
        try await kit.submit(kit.event("coop", "transfer", hoursAgo: 89, ["lot": "R-1", "to": "exporter"], id: "t-r1"))
        try await kit.submit(kit.event("exporter", "acceptance", hoursAgo: 88, ["lot": "R-1", "transfer": "t-r1"]))
        try await kit.submit(kit.event("exporter", "weighing", hoursAgo: 87, ["lot": "R-1", "massKg": "101"]))
        let export = try await kit.submit(kit.event("exporter", "export", hoursAgo: 80, [
            "lot": "R-1", "crossing": "goma-border", "destination": "RW", "consignee": "smelter",
            "declaredValue": ["amount": "5000", "currency": "USD"], "hsCode": "2615.90"]))
        #expect(Set(export.flags.map(\.rule)) == [.exportExceedsReceipts, .untraceableExportToNeighbour])
        #expect(export.flags.first { $0.rule == .untraceableExportToNeighbour }?.evidence["untracedSites"] == "rubaya")
        // The same material exported from Bisie (titled) to Malaysia raises neither.
        try await kit.submit(kit.event("alphamin", "transfer", hoursAgo: 70, ["lot": "B-1c", "to": "exporter"], id: "t-b1"))
        try await kit.submit(kit.event("exporter", "acceptance", hoursAgo: 69, ["lot": "B-1c", "transfer": "t-b1"]))
        let clean = try await kit.submit(kit.event("exporter", "export", hoursAgo: 60, [
            "lot": "B-1c", "crossing": "goma-border", "destination": "MY", "consignee": "smelter",
            "declaredValue": ["amount": "50000", "currency": "USD"], "hsCode": "2609.00"]))
        #expect(clean.flags.isEmpty)
        // The flags are kept, and the trace shows them.
        let trace = try #require(try await kit.store.trace("R-1"))
        #expect(trace.flags.count == 2)
        let all = try await kit.store.custodyFlags()
        #expect(all.count == 6)
        let replay = try await kit.store.projectionSnapshot()
        _ = try await kit.store.rebuild()
        #expect(try await kit.store.projectionSnapshot() == replay)
        _ = try await kit.store.verify(with: try Ed25519NoteVerifier(verifierKey: Fixtures.signer.verifierKey))
    }
}
