import AssayDomain
@testable import AssayStore
import Foundation
import Testing
import TransparencyLog

/// Batches of only custody events, prices and payments share lookups (keys, policy, kinds, titles)
/// across their requests; anything else in a batch turns the sharing off. Outcomes must not change.
@Suite("Lookups shared by a batch of custody events")
struct BatchMemoTests {
    @Test func onlyBatchesThatCannotChangeTheLookupsShareThem() throws {
        let price = try Command(jsonText: #"{"type":"record-price","mineral":"tin","date":"2026-01-01","pricePerTonne":{"amount":"30000","currency":"USD"}}"#)
        let party = try Command(jsonText: #"{"type":"register-party","id":"x","name":"X","kind":"company","country":"CD"}"#)
        let key = OperatorSigningKey(keyID: "k", party: "x")
        func request(_ c: [Command]) -> AppendRequest { AppendRequest(commands: c, author: "t") }
        #expect(BatchMemo.make(for: [request([price]), request([price])])?.overlay == true)
        // Several commands in one request: shared lookups, but no overlay (a refusal rolls back its writes).
        #expect(BatchMemo.make(for: [request([price, price]), request([price])])?.overlay == false)
        #expect(BatchMemo.make(for: [request([price]), request([party])]) == nil)
        #expect(BatchMemo.make(for: [request([.registerKey(key.registration(validFrom: Timestamp(milliseconds: 0)))])]) == nil)
        #expect(BatchMemo.make(for: [request([.revokeKey(KeyRevocation(key: "k", time: Timestamp(milliseconds: 0)))])]) == nil)
        #expect(BatchMemo.make(for: [AppendRequest(commands: [], author: "t", stream: { nil })]) == nil)
    }

    @Test func concurrentEventsKeepTheirOwnOutcomes() async throws {
        var kit = try await CustodyKit()
        defer { Fixtures.remove(kit.path) }
        // 120 extractions from two operators at two sites, submitted at once so the group committer batches
        // them; every fifth signed by the other party's key (refused: the key is not the signer's).
        var commands: [(Command, Bool)] = []
        for i in 0..<120 {
            let party = i % 2 == 0 ? "alphamin" : "coop"
            let site = party == "alphamin" ? "bisie" : "rubaya"
            let e = kit.event(party, "extraction", hoursAgo: 50 - Double(i) / 10, ["site": .string(site), "lot": CustodyKit.lot("L-\(i)", "tin", kg: "100")])
            let wrongKey = i % 5 == 4
            commands.append((kit.sign(e, as: wrongKey ? (party == "alphamin" ? "coop" : "alphamin") : party), !wrongKey))
        }
        let store = kit.store
        let outcomes = await withTaskGroup(of: (Int, Bool).self) { g in
            for (i, (c, _)) in commands.enumerated() {
                g.addTask { (i, (try? await store.append([c], author: "t")) != nil) }
            }
            var out = [Bool](repeating: false, count: commands.count)
            for await (i, ok) in g { out[i] = ok }
            return out
        }
        #expect(outcomes == commands.map(\.1))
        let stats = await store.groupCommitStats()
        #expect(stats.requests > stats.batches, "no batch held more than one request: the memo was not exercised")
        // Each lot's origin names the title that held its site's ground (read through the shared titles):
        // Bisie's mining licence for the titled mine, none for the artisanal site.
        for i in 0..<120 where commands[i].1 {
            let origin = try #require(try await store.origins("L-\(i)")?.lot.origins.first, "L-\(i)")
            #expect(origin.concession == (i % 2 == 0 ? "pe-bisie" : nil), "L-\(i)")
            #expect(origin.site == (i % 2 == 0 ? "bisie" : "rubaya"))
        }
    }

    /// A whole chain of custody in one write batch, one event per request: each event reads what the ones
    /// before it in the same batch wrote (lots, tags, event ids, site output, party flows) from the
    /// batch's overlay, while on PostgreSQL the rows themselves are held until the batch ends. Outcomes,
    /// flags and projections must be those of the events submitted one by one.
    @Test func aChainInOneBatchReadsItsOwnWrites() async throws {
        var kit = try await CustodyKit()
        defer { Fixtures.remove(kit.path) }
        func lot(_ id: String, kg: String) -> JSONValue { CustodyKit.lot(id, "tin", kg: kg) }
        let first = kit.event("alphamin", "extraction", hoursAgo: 100, ["site": "bisie", "lot": lot("B-1", kg: "6000")])
        var events: [(Command, expect: String)] = [
            (kit.sign(first), "ok"),
            // Bisie's capacity is 10 t a year: the second 6 t goes over (site output read from the overlay).
            (kit.sign(kit.event("alphamin", "extraction", hoursAgo: 99, ["site": "bisie", "lot": lot("B-2", kg: "6000")])), "over-capacity"),
            // The same event again: its first receipt; the same id with other content: refused.
            (kit.sign(first), "replayed"),
            (kit.sign(kit.event("alphamin", "extraction", hoursAgo: 98, ["site": "bisie", "lot": lot("B-9", kg: "1")], id: first.id)), "refused"),
            // A lot id already used in this batch: refused.
            (kit.sign(kit.event("alphamin", "extraction", hoursAgo: 98, ["site": "bisie", "lot": lot("B-1", kg: "1")])), "refused"),
            (kit.sign(kit.event("alphamin", "tagging", hoursAgo: 97, ["lot": "B-2", "tag": "T-77"])), "ok"),
            (kit.sign(kit.event("alphamin", "tagging", hoursAgo: 96, ["lot": "B-1", "tag": "T-77"])), "refused"),
            // Transfer, acceptance and export of a lot created in this batch: the holder and the flows move.
            (kit.sign(kit.event("alphamin", "transfer", hoursAgo: 95, ["lot": "B-1", "to": "exporter"], id: "t-b1")), "ok"),
            (kit.sign(kit.event("alphamin", "weighing", hoursAgo: 94, ["lot": "B-1", "massKg": "6000"])), "refused"),
            (kit.sign(kit.event("exporter", "acceptance", hoursAgo: 94, ["lot": "B-1", "transfer": "t-b1"])), "ok"),
            (kit.sign(kit.event("exporter", "export", hoursAgo: 90, [
                "lot": "B-1", "crossing": "goma-border", "destination": "MY", "consignee": "smelter",
                "declaredValue": ["amount": "50000", "currency": "USD"], "hsCode": "2609.00"])), "ok"),
            // A second export of the same lot: refused (the overlay knows it left).
            (kit.sign(kit.event("exporter", "export", hoursAgo: 89, [
                "lot": "B-1", "crossing": "goma-border", "destination": "MY", "consignee": "smelter",
                "declaredValue": ["amount": "50000", "currency": "USD"], "hsCode": "2609.00"])), "refused"),
        ]
        // The coop's lot goes to the exporter, who then exports more than it took in (flows from the overlay).
        events.append((kit.sign(kit.event("coop", "extraction", hoursAgo: 80, ["site": "rubaya", "lot": CustodyKit.lot("R-1", "tantalum", kg: "100")])), "ok"))
        events.append((kit.sign(kit.event("coop", "transfer", hoursAgo: 79, ["lot": "R-1", "to": "exporter"], id: "t-r1")), "ok"))
        events.append((kit.sign(kit.event("exporter", "acceptance", hoursAgo: 78, ["lot": "R-1", "transfer": "t-r1"])), "ok"))
        events.append((kit.sign(kit.event("exporter", "weighing", hoursAgo: 77, ["lot": "R-1", "massKg": "101"])), "ok"))
        events.append((kit.sign(kit.event("exporter", "export", hoursAgo: 70, [
            "lot": "R-1", "crossing": "goma-border", "destination": "RW", "consignee": "smelter",
            "declaredValue": ["amount": "5000", "currency": "USD"], "hsCode": "2615.90"])), "over-receipts"))
        let before = try await kit.store.journalSize()
        let results = await kit.store.appender.writeBatch(events.map { AppendRequest(commands: [$0.0], author: "t") })
        #expect(results.count == events.count)
        var written = 0
        for (i, (r, e)) in zip(results, events).enumerated() {
            switch (r, e.expect) {
            case (.success(let receipts), "ok"):
                #expect(receipts.count == 1 && receipts[0].replayed == false && receipts[0].flags.isEmpty, "event \(i): \(receipts)")
                written += 1
            case (.success(let receipts), "replayed"):
                #expect(receipts.first?.replayed == true && receipts.first?.sequence == before + 1, "event \(i)")
            case (.success(let receipts), "over-capacity"):
                #expect(receipts.first?.flags.map(\.rule) == [.siteOverCapacity], "event \(i)")
                written += 1
            case (.success(let receipts), "over-receipts"):
                #expect(receipts.first?.flags.map(\.rule).contains(.exportExceedsReceipts) == true, "event \(i)")
                written += 1
            case (.failure(let error), "refused"):
                #expect(error is BatchRejected, "event \(i): \(error)")
            default:
                Issue.record("event \(i): expected \(e.expect), got \(r)")
            }
        }
        #expect(try await kit.store.journalSize() == before + Int64(written))
        #expect(try await kit.store.lot("B-1")?.exportedTo == "MY")
        #expect(try await kit.store.lot("T-77")?.id == "B-2")
        // The projections are the journal's, replayed one entry at a time; the log verifies.
        let stored = try await kit.store.projectionSnapshot()
        _ = try await kit.store.rebuild()
        #expect(try await kit.store.projectionSnapshot() == stored)
        _ = try await kit.store.verify(with: try Ed25519NoteVerifier(verifierKey: Fixtures.signer.verifierKey))
    }

    /// What batches of signed events read (keys, policy, parties, sites, titles) is carried from batch to
    /// batch only while nothing else is appended — by this store or by another writer on the same
    /// database: a key revoked in between must refuse the next event it signs.
    @Test(arguments: [false, true])
    func carriedLookupsEndWithAnyOtherEntry(revokedElsewhere: Bool) async throws {
        var kit = try await CustodyKit()
        defer { Fixtures.remove(kit.path) }
        // Two batches of events: the second starts from what the first read (its key among them).
        try await kit.submit(kit.event("coop", "extraction", hoursAgo: 10, ["site": "rubaya", "lot": CustodyKit.lot("R-1", "tin", kg: "10")]))
        try await kit.submit(kit.event("coop", "extraction", hoursAgo: 9, ["site": "rubaya", "lot": CustodyKit.lot("R-2", "tin", kg: "10")]))
        #expect(kit.store.appender.carried.withLock { $0?.keys["coop-k1"] != nil }, "nothing carried: the case is not exercised")
        let revoke = Command.revokeKey(KeyRevocation(key: "coop-k1", time: Timestamp(milliseconds: CustodyKit.now.milliseconds - 5 * 3_600_000)))
        if revokedElsewhere {
            // Another writer on the same database (a second server on PostgreSQL; a second process on SQLite).
            let other = try await RelationalStore.open(database: kit.path, geography: Fixtures.geography, signers: [Fixtures.signer],
                                                       clock: { CustodyKit.now })
            _ = try await other.append([revoke], author: "test")
            await other.close()
        } else {
            _ = try await kit.store.append([revoke], author: "test")
        }
        let late = kit.sign(kit.event("coop", "extraction", hoursAgo: 4, ["site": "rubaya", "lot": CustodyKit.lot("R-3", "tin", kg: "10")]))
        let refusal = try await kit.refusal(late)
        #expect(refusal.code == .badSignature && refusal.field == "event.key", "\(refusal)")
    }
}
