import AssayDomain
import AssayStore
import Foundation
import Testing

/// Views are kept by the generation of what they read, not by the log's size: a custody or risk entry
/// leaves the registry's generation (and its cached snapshot) alone; a registry entry moves it, and the
/// next snapshot has the change.
@Suite("View generations follow what each entry changes")
struct ViewGenerationsTests {
    @Test func eachKindOfEntryMovesOnlyItsOwnGeneration() async throws {
        let (store, db) = try await Fixtures.store()
        defer { Fixtures.remove(db) }
        _ = try await store.append(try Fixtures.commands(SQLiteStoreTests.setup), author: "t")
        let g1 = try await store.viewGenerations()
        #expect(g1.registry == Int64(SQLiteStoreTests.setup.count))
        #expect(g1.risk == 0 && g1.custody == 0)
        let before = try await store.registry()

        // A price (custody): the registry's generation and snapshot stay.
        _ = try await store.append(try Fixtures.commands([
            #"{"type":"record-price","mineral":"tin","date":"2025-01-01","pricePerTonne":{"amount":"29000","currency":"USD"},"source":"LME"}"#,
        ]), author: "t")
        let g2 = try await store.viewGenerations()
        #expect(g2.registry == g1.registry && g2.risk == 0)
        #expect(g2.custody == g1.registry + 1)
        #expect(try await store.registry().journalSize == before.journalSize, "the snapshot was read again for a custody entry")

        // A conflict event (risk): only risk moves.
        _ = try await store.append(try Fixtures.commands([
            #"{"type":"record-conflict-event","id":"DRC12345","date":"2025-01-27","eventType":"Battles","subEventType":"Non-state actor overtakes territory","actor1":"M23","actor2":"Military Forces of DRC","admin1":"Nord-Kivu","location":"Goma","latitude":"-1.6741","longitude":29.2285,"geoPrecision":1,"fatalities":12,"source":"Reuters","notes":"n"}"#,
        ]), author: "t")
        let g3 = try await store.viewGenerations()
        #expect(g3.registry == g2.registry && g3.custody == g2.custody)
        #expect(g3.risk == g2.custody + 1)

        // A party (registry): the generation moves and the next snapshot has it.
        _ = try await store.append(try Fixtures.commands([
            #"{"type":"register-party","id":"newco","name":"NewCo","kind":"company","country":"CD"}"#,
        ]), author: "t")
        let g4 = try await store.viewGenerations()
        #expect(g4.registry == g3.risk + 1)
        let after = try await store.registry()
        #expect(after.journalSize > before.journalSize, "the snapshot was not read again after a registry entry")
        #expect(try await store.party("newco", as: .public)?.name == "NewCo")
        // A party no relation names is not in the snapshot, but search finds it.
        #expect(!after.parties.contains { $0.id == "newco" })
        #expect(try await store.searchParties("newc", limit: 10) == ["newco"])
        // Asked again with nothing new: the same answer, without reading anything.
        #expect(try await store.viewGenerations() == g4)
        await store.close()
    }

    @Test func everyCommandKindBelongsSomewhereExceptKeyRotation() {
        for kind in Command.Kind.allCases {
            let p = ViewGenerations.parts(of: kind)
            #expect((p.registry || p.risk || p.custody) == (kind != .rotateLogKey), "\(kind)")
        }
        // Sites are both: pages list them, and risk screens by their cells.
        #expect(ViewGenerations.parts(of: .updateSite) == (true, true, false))
    }
}
