import AssayDomain
@testable import AssayStore
import Foundation
import Testing

/// Batches of only custody events, prices and payments share lookups (keys, policy, kinds, titles)
/// across their requests; anything else in a batch turns the sharing off. Outcomes must not change.
@Suite("Lookups shared by a batch of custody events")
struct BatchMemoTests {
    @Test func onlyBatchesThatCannotChangeTheLookupsShareThem() throws {
        let price = try Command(jsonText: #"{"type":"record-price","mineral":"tin","date":"2026-01-01","pricePerTonne":{"amount":"30000","currency":"USD"}}"#)
        let party = try Command(jsonText: #"{"type":"register-party","id":"x","name":"X","kind":"company","country":"CD"}"#)
        let key = OperatorSigningKey(keyID: "k", party: "x")
        func request(_ c: [Command]) -> AppendRequest { AppendRequest(commands: c, author: "t") }
        #expect(BatchMemo.applies(to: [request([price]), request([price])]))
        #expect(!BatchMemo.applies(to: [request([price]), request([party])]))
        #expect(!BatchMemo.applies(to: [request([.registerKey(key.registration(validFrom: Timestamp(milliseconds: 0)))])]))
        #expect(!BatchMemo.applies(to: [request([.revokeKey(KeyRevocation(key: "k", time: Timestamp(milliseconds: 0)))])]))
        #expect(!BatchMemo.applies(to: [AppendRequest(commands: [], author: "t", stream: { nil })]))
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
}
