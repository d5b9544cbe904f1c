import AssayDomain
import AssayIngest
import AssayStore
import Foundation
import Testing

@Suite("Control assessments in the journal: validation, revision, retroactive screening")
struct RiskStoreTests {
    @Test func newControlInformationReScreensPastLots() async throws {
        var kit = try await CustodyKit()
        defer { Fixtures.remove(kit.path) }
        _ = try await kit.store.append(try Fixtures.commands([
            #"{"type":"register-party","id":"m23","name":"AFC/M23","kind":"armed-group"}"#,
            #"{"type":"register-party","id":"fardc","name":"FARDC","kind":"agency","country":"CD"}"#,
        ]), author: "test")
        try await kit.submit(kit.event("coop", "extraction", hoursAgo: 100, ["site": "rubaya", "lot": CustodyKit.lot("R-1", "tantalum", kg: "100")]))
        #expect(try await kit.store.lotRisk("R-1") == [])
        // Recorded after the lot: the lot's screening changes, and the flag says since when and why.
        let area = #"{"circle":{"latitude":"-1.5575","longitude":"28.8864","radiusKm":"5"}}"#
        let held = try Command(jsonText: #"{"type":"record-control","id":"c1","controller":"m23","area":\#(area),"from":"2026-01-01","confidence":"high","sources":["https://example.org/c1"]}"#)
        let receipt = try await kit.store.append([held], author: "test")[0]
        let flags = try #require(try await kit.store.lotRisk("R-1"))
        #expect(flags.map(\.rule) == [.originNonStateControl])
        #expect(flags[0].cause == "c1" && flags[0].since == CustodyKit.now.day && flags[0].rule.response == .disengage)
        #expect(receipt.sequence > 0)
        // A revision that ends control before the extraction supersedes it: the flag goes.
        let revised = try Command(jsonText: #"{"type":"record-control","id":"c1-rev","controller":"m23","area":\#(area),"from":"2026-01-01","until":"2026-02-01","confidence":"medium","sources":["https://example.org/c1-rev"],"supersedes":"c1"}"#)
        _ = try await kit.store.append([revised], author: "test")
        #expect(try await kit.store.lotRisk("R-1") == [])
        let site = try #require(try await kit.store.siteRisk("rubaya", on: Day(iso: "2026-01-15")))
        #expect(site.timeline.map(\.id) == ["c1-rev"] && site.flags.map(\.rule) == [.originNonStateControl])
        // Refusals: a company cannot hold ground, an unknown party, superseding twice, a duplicate id.
        for (json, field) in [
            (#"{"type":"record-control","id":"c2","controller":"trader","area":\#(area),"from":"2026-01-01","confidence":"low","citation":"field report"}"#, "controller"),
            (#"{"type":"record-control","id":"c2","controller":"nobody","area":\#(area),"from":"2026-01-01","confidence":"low","citation":"x"}"#, "controller"),
            (#"{"type":"record-control","id":"c2","controller":"m23","area":\#(area),"from":"2026-01-01","confidence":"low","citation":"x","supersedes":"c1"}"#, "supersedes"),
            (#"{"type":"record-control","id":"c1","controller":"m23","area":\#(area),"from":"2026-01-01","confidence":"low","citation":"x"}"#, "id"),
        ] {
            let e = try await kit.refusal(try Command(jsonText: json))
            #expect(e.field == field, "\(e)")
        }
        #expect(throws: DomainError.self) { try Command(jsonText: #"{"type":"record-control","id":"c3","controller":"m23","area":\#(area),"from":"2026-01-01","confidence":"low"}"#) }
        // State forces' control is not a non-state flag.
        _ = try await kit.store.append([try Command(jsonText: #"{"type":"record-control","id":"c4","controller":"fardc","area":\#(area),"from":"2026-02-01","confidence":"high","citation":"press"}"#)], author: "test")
        #expect(try await kit.store.control(cell: try CellGrid.cell(latitude: -1.5575, longitude: 28.8864), on: Day(iso: "2026-03-01")).map(\.kind) == [.state])
        let snapshot = try await kit.store.projectionSnapshot()
        _ = try await kit.store.rebuild()
        #expect(try await kit.store.projectionSnapshot() == snapshot)
    }

    /// A page of lots is screened in a few queries a level of ancestry; each lot's flags must be those it
    /// has screened alone (its ancestors' origins and routes, nearest first).
    @Test func aPageOfLotsScreensAsEachLotAlone() async throws {
        var kit = try await CustodyKit()
        defer { Fixtures.remove(kit.path) }
        _ = try await kit.store.append(try Fixtures.commands([
            #"{"type":"register-party","id":"m23","name":"AFC/M23","kind":"armed-group"}"#,
        ]), author: "test")
        try await kit.twoLotsAtTheTrader()
        try await kit.submit(kit.event("trader", "transport", hoursAgo: 80, ["lot": "RUB-1", "to": "goma-post"]))
        try await kit.submit(kit.event("trader", "blend", hoursAgo: 70, ["inputs": ["BIS-1", "RUB-1"], "output": CustodyKit.lot("MIX-1", "tin", kg: "1500")]))
        try await kit.submit(kit.event("trader", "split", hoursAgo: 60, ["lot": "MIX-1", "outputs": [CustodyKit.lot("MIX-1a", "tin", kg: "750"), CustodyKit.lot("MIX-1b", "tin", kg: "750")]]))
        try await kit.submit(kit.event("coop", "extraction", hoursAgo: 50, ["site": "rubaya", "lot": CustodyKit.lot("RUB-2", "tantalum", kg: "10")]))
        // Rubaya held since before the extractions: every lot with Rubaya in its ancestry is flagged.
        let area = #"{"circle":{"latitude":"-1.5575","longitude":"28.8864","radiusKm":"5"}}"#
        _ = try await kit.store.append([try Command(jsonText: #"{"type":"record-control","id":"c1","controller":"m23","area":\#(area),"from":"2025-01-01","confidence":"high","sources":["https://example.org/c1"]}"#)], author: "test")
        let ids = ["MIX-1a", "BIS-1", "nope", "MIX-1b", "RUB-1", "MIX-1", "RUB-2", "MIX-1a"]
        let page = try await kit.store.lotRisks(ids)
        #expect(page.map(\.lot) == ids.filter { $0 != "nope" })
        for (lot, flags) in page {
            #expect(try await kit.store.lotRisk(lot) == flags, "\(lot)")
        }
        let flagged = Set(page.filter { !$0.flags.isEmpty }.map(\.lot))
        #expect(flagged == ["MIX-1a", "MIX-1b", "RUB-1", "MIX-1", "RUB-2"])
        let ancestry = try #require(try await kit.store.screenLot("MIX-1a"))
        #expect(ancestry.origins.map(\.site) == ["bisie", "rubaya"])      // MIX-1 first (no origin), then depth 2 by id
        #expect(ancestry.route.map(\.site) == ["goma-post"])
    }
}
