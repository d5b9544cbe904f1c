import AssayDomain
import AssayStore
import AssayTestSupport
import Foundation
import Synchronization
import Testing

/// On this run's backend (SQLite, or PostgreSQL under `ASSAY_TEST_BACKEND=postgres`), with a clock the
/// test moves: windows are judged on the day each entry is written.
@Suite("Reserves and first-offer windows in the store")
struct ReserveStoreTests {
    static let setup = [
        #"{"type":"register-party","id":"cd","name":"DRC","kind":"state","country":"CD"}"#,
        #"{"type":"register-party","id":"us","name":"United States","kind":"state","country":"US"}"#,
        #"{"type":"register-party","id":"zijin","name":"Zijin","kind":"company","country":"CN"}"#,
        #"{"type":"register-agreement","id":"spa","title":"SPA","kind":"strategic-partnership","status":"signed","signed":"2025-12-04","parties":[{"party":"cd","role":"grantor"},{"party":"us","role":"grantee"}]}"#,
        #"{"type":"register-agreement","id":"other","title":"Other","kind":"offtake","status":"signed","signed":"2025-01-01","parties":[{"party":"cd","role":"grantor"},{"party":"zijin","role":"grantee"}]}"#,
        #"{"type":"register-reserve","id":"sar","agreement":"spa","title":"Reserve","designated":"2026-02-04","assets":[{"id":"a1","name":"Lithium block","area":{"cells":[[428828080,428828100]]},"minerals":["lithium"]},{"id":"a2","name":"Copper block","area":{"cells":[[428829080,428829100]]},"minerals":["copper"]}]}"#,
    ]

    final class Clock: Sendable {
        let now = Mutex<Int64>(0)
        func set(_ iso: String) { now.withLock { $0 = (try? Timestamp(iso: iso + "T12:00:00.000Z", field: "t").milliseconds) ?? 0 } }
        var timestamp: Timestamp { Timestamp(milliseconds: now.withLock { $0 }) }
    }

    func open(_ clock: Clock) async throws -> (RelationalStore, String) {
        let db = try TestDatabase.fresh("reserve")
        let store = try await RelationalStore.open(database: db, geography: Fixtures.geography, signers: [Fixtures.signer], clock: { clock.timestamp })
        return (store, db)
    }

    func zijinGrant(_ id: String, mineral: String = "lithium", contested: Bool = false) throws -> Command {
        try Command(jsonText: #"{"type":"record-grant","id":"\#(id)","agreement":"other","beneficiary":"zijin","rights":["extract"],"exclusivity":"exclusive","minerals":["\#(mineral)"],"area":{"cells":[[428828090,428828095]]}\#(contested ? #","contested":"we dispute it""# : "")}"#)
    }

    func refusal(_ store: RelationalStore, _ commands: [Command]) async -> DomainError? {
        do { _ = try await store.append(commands, author: "t"); return nil } catch let r as BatchRejected { return r.errors.first?.error } catch { return nil }
    }

    @Test func windowsRefuseOthersUntilTheyLapseByTheClock() async throws {
        let clock = Clock()
        clock.set("2026-01-15")
        let (store, db) = try await open(clock)
        defer { Fixtures.remove(db) }
        _ = try await store.append(try Fixtures.commands(Self.setup), author: "t")
        // An offer before the reserve was designated is refused.
        clock.set("2026-02-10")
        var e = await refusal(store, [try Command(jsonText: #"{"type":"offer-asset","id":"o0","reserve":"sar","asset":"a1","beneficiary":"us","opens":"2026-02-01"}"#)])
        #expect(e?.field == "opens")
        _ = try await store.append([try Command(jsonText: #"{"type":"offer-asset","id":"o1","reserve":"sar","asset":"a1","beneficiary":"us","opens":"2026-02-10"}"#)], author: "t")

        // Inside the window: another party's grant on that ground and mineral is refused, contested or not.
        let size = try await store.journalSize()
        e = await refusal(store, [try zijinGrant("z1", contested: true)])
        #expect(e?.code == .collision && e?.message.contains("under offer o1 to us until 2026-05-09") == true, "\(String(describing: e))")
        #expect(try await store.journalSize() == size)
        // Another mineral on the same ground is not the asset.
        #expect(await refusal(store, [try zijinGrant("z-copper", mineral: "copper")]) == nil)
        // Nor can the asset be offered to someone else.
        e = await refusal(store, [try Command(jsonText: #"{"type":"offer-asset","id":"o2","reserve":"sar","asset":"a1","beneficiary":"zijin","opens":"2026-03-01"}"#)])
        #expect(e?.code == .collision && e?.field == "asset")

        // Renewed once; a second renewal is refused.
        clock.set("2026-05-01")
        _ = try await store.append([try Command(jsonText: #"{"type":"resolve-offer","offer":"o1","status":"renewed","date":"2026-05-01"}"#)], author: "t")
        e = await refusal(store, [try Command(jsonText: #"{"type":"resolve-offer","offer":"o1","status":"renewed","date":"2026-07-01"}"#)])
        #expect(e?.code == .invalidTransition, "\(String(describing: e))")
        let view = try #require(try await store.reserveView("sar", as: .public))
        let w = try #require(view.windows["a1"]?.first)
        #expect(w.state(on: try Day(iso: "2026-08-09")) == .open(lastDay: try Day(iso: "2026-08-09")))
        #expect(w.state(on: try Day(iso: "2026-08-10")) == .lapsed(on: try Day(iso: "2026-08-10")))

        // The last day of the renewed window still refuses; the day after, nobody having written, it is free.
        clock.set("2026-08-09")
        #expect(await refusal(store, [try zijinGrant("z2")])?.code == .collision)
        clock.set("2026-08-10")
        #expect(await refusal(store, [try zijinGrant("z2")]) == nil)

        // Acceptance records the grant in the same batch; the asset is then taken.
        let grant = try Command(jsonText: #"{"type":"record-grant","id":"g-us","agreement":"spa","beneficiary":"us","rights":["extract"],"exclusivity":"exclusive","minerals":["copper"],"area":{"cells":[[428829085,428829090]]}}"#)
        _ = try await store.append([try Command(jsonText: #"{"type":"offer-asset","id":"o3","reserve":"sar","asset":"a2","beneficiary":"us","opens":"2026-08-10"}"#)], author: "t")
        e = await refusal(store, [try Command(jsonText: #"{"type":"resolve-offer","offer":"o3","status":"accepted","date":"2026-08-11","grant":"nowhere"}"#)])
        #expect(e?.field == "grant")
        clock.set("2026-08-11")
        _ = try await store.append([grant, try Command(jsonText: #"{"type":"resolve-offer","offer":"o3","status":"accepted","date":"2026-08-11","grant":"g-us"}"#)], author: "t")
        e = await refusal(store, [try Command(jsonText: #"{"type":"offer-asset","id":"o4","reserve":"sar","asset":"a2","beneficiary":"zijin","opens":"2026-09-01"}"#)])
        #expect(e?.field == "asset" && e?.message.contains("taken by offer o3") == true, "\(String(describing: e))")
        // An answer on a closed window is refused.
        e = await refusal(store, [try Command(jsonText: #"{"type":"resolve-offer","offer":"o1","status":"refused","date":"2026-09-01"}"#)])
        #expect(e?.code == .invalidTransition)

        // Replay gives the same tables, and verify replays every check at each entry's time.
        let before = try await store.projectionSnapshot()
        #expect((before["asset_offer"]?.count ?? 0) == 2 && (before["offer_resolution"]?.count ?? 0) == 2)
        _ = try await store.rebuild()
        #expect(try await store.projectionSnapshot() == before)
        await store.close()
    }

    @Test func aConfidentialReserveHidesItsAssetsUntilEachIsOffered() async throws {
        let clock = Clock()
        clock.set("2026-02-05")
        let (store, db) = try await open(clock)
        defer { Fixtures.remove(db) }
        _ = try await store.append(try Fixtures.commands(Self.setup + [
            #"{"type":"register-reserve","id":"secret","agreement":"spa","title":"Designated list","confidential":true,"assets":[{"id":"b1","name":"Visible once offered","area":{"cells":[[428830080,428830090]]},"minerals":["gold"]},{"id":"b2","name":"Never offered Hidden Mine","area":{"cells":[[428831080,428831090]]},"minerals":["gold"]}]}"#,
        ]), author: "t")
        // An offer sent with a made-up `reveal` gets the registry's own.
        let receipts = try await store.append([try Command(jsonText: #"{"type":"offer-asset","id":"ob1","reserve":"secret","asset":"b1","beneficiary":"us","opens":"2026-02-06","reveal":{"asset":"forged"}}"#)], author: "t")
        let reserveEntry = try #require(try await store.find("secret")).sequence
        let logged = String(decoding: try #require(try await store.entry(reserveEntry)).bytes, as: UTF8.self)
        #expect(!logged.contains("Hidden Mine") && !logged.contains("Visible once offered") && logged.contains("\"assetCount\":2"))
        // The offer's entry reveals b1 with a salt whose commitment is in the reserve's entry: anyone can check it.
        let offerSequence = try #require(receipts.first).sequence
        let offerBytes = try #require(try await store.entry(offerSequence)).bytes
        guard case .object(let entry) = try JSONParser.parse(offerBytes), case .object(let command)? = entry["command"], let reveal = command["reveal"],
              case .object(let reserveEntryJSON) = try JSONParser.parse(Array(logged.utf8)), case .object(let reserveCommand)? = reserveEntryJSON["command"],
              case .array(let commitments)? = reserveCommand["assetCommitments"] else { Issue.record("entries not as expected"); return }
        #expect(commitments.contains(.string(Sealing.commitment(of: reveal))))
        #expect(!CanonicalJSON.string(reveal).contains("forged"))
        // The public sees the size, the hash and b1; an auditor sees both.
        let pub = try #require(try await store.find("secret", as: .public))
        let text = CanonicalJSON.string(pub.json)
        #expect(text.contains("Visible once offered") && !text.contains("Hidden Mine") && text.contains("\"assetCount\":2") && text.contains("\"redacted\":true"))
        let listed = try await store.list(.reserve, after: nil, limit: 10, as: .public)
        #expect(!listed.map { CanonicalJSON.string($0.json) }.joined().contains("Hidden Mine"))
        let audit = CanonicalJSON.string(try #require(try await store.find("secret", as: .auditor)).json)
        #expect(audit.contains("Hidden Mine"))
        let view = try #require(try await store.reserveView("secret", as: .public))
        #expect(view.reserve.assets.map(\.id) == ["b1"] && view.assetCount == 2 && view.sealedHash != nil && view.redacted)
        // An asset not on the list is refused without listing the hidden ones.
        let e = await refusal(store, [try Command(jsonText: #"{"type":"offer-asset","id":"ob9","reserve":"secret","asset":"b9","beneficiary":"us","opens":"2026-02-07"}"#)])
        #expect(e?.field == "asset" && e?.message.contains("b2") == false)
        // Replay restores the same tables from the sealed details.
        let before = try await store.projectionSnapshot()
        _ = try await store.rebuild()
        #expect(try await store.projectionSnapshot() == before)
        await store.close()
    }
}
