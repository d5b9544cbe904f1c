import AssayDomain
import AssayIngest
import AssayStore
import Foundation
import Testing

@Suite("The SQLite store: journal, projections, refusals, rebuild")
struct SQLiteStoreTests {
    static let setup = [
        #"{"type":"register-party","id":"cd","name":"DRC","kind":"state","country":"CD"}"#,
        #"{"type":"register-party","id":"avz","name":"AVZ","kind":"company","country":"AU"}"#,
        #"{"type":"register-party","id":"kobold","name":"KoBold","kind":"company","country":"US"}"#,
        #"{"type":"register-party","id":"us","name":"United States","kind":"state","country":"US"}"#,
        #"{"type":"register-concession","id":"pr-13359","code":"PR 13359","titleType":"PR","holder":"avz","minerals":["lithium"],"cells":[[428828080,428828100]]}"#,
        #"{"type":"register-agreement","id":"deal","title":"Deal","kind":"minerals-for-security","status":"signed","signed":"2025-07-17","parties":[{"party":"cd","role":"grantor"},{"party":"kobold","role":"grantee"}]}"#,
    ]

    @Test func theDemoSetRebuildsToIdenticalTables() async throws {
        let (store, path) = try await Fixtures.store()
        defer { Fixtures.remove(path) }
        let commands = try DemoSet.commands()
        let receipts = try await store.append(commands, author: "demo")
        #expect(receipts.count == commands.count)
        #expect(receipts.map(\.sequence) == Array(1...Int64(commands.count)))
        let before = try await store.projectionSnapshot()
        #expect((before["site"]?.count ?? 0) > 600)
        #expect((before["claim_collision"]?.count ?? 0) > 0)
        // Rebuild replays without validating again (`verify` keeps the full check): everything the
        // projector takes from validation must still come out the same — contested claims' collisions,
        // claims in and out of force, control assessments' cells and kinds, custody effects and flags.
        for table in ["control_assessment", "custody_event", "custody_flag", "lot_edge", "royalty_basis"] {
            #expect((before[table]?.count ?? 0) > 0, "the demo set has no \(table) rows to compare")
        }
        let stats = try await store.rebuild()
        #expect(stats.entries == Int64(commands.count))
        let after = try await store.projectionSnapshot()
        #expect(after == before)
    }

    @Test func aRefusedBatchLeavesNoTrace() async throws {
        let (store, path) = try await Fixtures.store()
        defer { Fixtures.remove(path) }
        _ = try await store.append(try Fixtures.commands(Self.setup), author: "t")
        let size = try await store.journalSize()
        let before = try await store.projectionSnapshot()
        let batch = try Fixtures.commands([
            #"{"type":"register-party","id":"fresh","name":"Fresh","kind":"company"}"#,
            #"{"type":"register-party","id":"avz","name":"Duplicate","kind":"company"}"#,
            #"{"type":"record-ownership","id":"o","subject":"fresh","interestedParty":"ghost","share":{"exact":"10"}}"#,
        ])
        await #expect {
            _ = try await store.append(batch, author: "t")
        } throws: { error in
            guard let r = error as? BatchRejected else { return false }
            return r.errors.map(\.index) == [1, 2] && r.errors[0].error.code == .duplicateID && r.errors[1].error.field == "interestedParty"
        }
        #expect(try await store.journalSize() == size)
        #expect(try await store.projectionSnapshot() == before)
        #expect(try await store.find("fresh") == nil)
    }

    @Test func collisionsAreRefusedOrRecordedAsContestedAndShownOnBothSides() async throws {
        let (store, path) = try await Fixtures.store()
        defer { Fixtures.remove(path) }
        _ = try await store.append(try Fixtures.commands(Self.setup), author: "t")
        let grant = #"{"type":"record-grant","id":"roche-dure","agreement":"deal","beneficiary":"kobold","rights":["explore"],"exclusivity":"exclusive","minerals":["lithium"],"area":{"cells":[[428828090,428828110]]}%@}"#
        await #expect(throws: BatchRejected.self) {
            _ = try await store.append(try Fixtures.commands([grant.replacingOccurrences(of: "%@", with: "")]), author: "t")
        }
        let contested = grant.replacingOccurrences(of: "%@", with: #","contested":"AVZ says this breaches ICSID orders""#)
        let receipts = try await store.append(try Fixtures.commands([contested]), author: "t")
        #expect(receipts[0].collisions.map(\.claimID) == ["pr-13359"])
        #expect(receipts[0].collisions[0].cellCount == 11)
        let snapshot = try await store.registry()
        #expect(snapshot.collisions(involving: "pr-13359").count == 1)
        #expect(snapshot.collisions(involving: "roche-dure").count == 1)
    }

    @Test func provinceAndCountryGrantsResolveToCells() async throws {
        let (store, path) = try await Fixtures.store()
        defer { Fixtures.remove(path) }
        _ = try await store.append(try Fixtures.commands(Self.setup), author: "t")
        let lualaba = try Grant(json: JSONObject(JSONParser.parse(#"{"id":"probe","agreement":"deal","beneficiary":"us","rights":["first-offer"],"exclusivity":"first-offer","minerals":["lithium"],"area":{"provinces":["CD-LU"]}}"#), path: ""))
        let dry = try await store.dryRun(lualaba)
        #expect(dry.cellCount > 100_000)
        #expect(dry.collisions.isEmpty)  // a first offer does not collide with a title
        let country = try Grant(json: JSONObject(JSONParser.parse(#"{"id":"probe","agreement":"deal","beneficiary":"us","rights":["extract"],"exclusivity":"exclusive","minerals":["lithium"],"area":{"country":"CD"}}"#), path: ""))
        let dry2 = try await store.dryRun(country)
        #expect(dry2.collisions.map(\.claimID) == ["pr-13359"])
        // The DRC's area from the boundaries: about 2.34 million km².
        #expect(abs(dry2.hectares / 100 - 2_340_000) < 60_000)
        #expect(try await store.journalSize() == Int64(Self.setup.count))  // dry runs write nothing
        await #expect(throws: DomainError.self) {
            _ = try await store.dryRun(try Grant(json: JSONObject(JSONParser.parse(#"{"id":"p","agreement":"deal","beneficiary":"us","rights":["extract"],"exclusivity":"exclusive","minerals":["lithium"],"area":{"provinces":["CD-XX"]}}"#), path: "")))
        }
    }

    @Test func statusChangesAndAmendmentsMoveClaimsInAndOut() async throws {
        let (store, path) = try await Fixtures.store()
        defer { Fixtures.remove(path) }
        _ = try await store.append(try Fixtures.commands(Self.setup), author: "t")
        let probe = try Grant(json: JSONObject(JSONParser.parse(#"{"id":"probe","agreement":"deal","beneficiary":"us","rights":["extract"],"exclusivity":"exclusive","minerals":["lithium"],"area":{"cells":[[428828080,428828085]]}}"#), path: ""))
        #expect(try await store.dryRun(probe).collisions.count == 1)
        _ = try await store.append(try Fixtures.commands([#"{"type":"change-concession-status","concession":"pr-13359","status":"revoked","date":"2023-01-28","reason":"decree annulled"}"#]), author: "t")
        #expect(try await store.dryRun(probe).collisions.isEmpty)
        let record = try #require(try await store.find("pr-13359"))
        #expect(record.json.objectValue?["status"] == .string("revoked"))
        // Rebuilding replays the status change too.
        let before = try await store.projectionSnapshot()
        _ = try await store.rebuild()
        #expect(try await store.projectionSnapshot() == before)
    }

    @Test func rebuildKeepsAmendedAgreementsGrantsOutOfForce() async throws {
        let (store, path) = try await Fixtures.store()
        defer { Fixtures.remove(path) }
        _ = try await store.append(try Fixtures.commands(Self.setup + [
            #"{"type":"change-agreement-status","agreement":"deal","status":"in-force","date":"2025-08-01","reason":"ratified"}"#,
            #"{"type":"record-grant","id":"g1","agreement":"deal","beneficiary":"kobold","rights":["extract"],"exclusivity":"exclusive","minerals":["cobalt"],"area":{"cells":[[428828080,428828085]]}}"#,
            #"{"type":"register-agreement","id":"deal-2","title":"Deal, amended","kind":"minerals-for-security","status":"in-force","signed":"2025-09-01","supersedes":"deal","parties":[{"party":"cd","role":"grantor"},{"party":"kobold","role":"grantee"}]}"#,
            #"{"type":"record-grant","id":"g2","agreement":"deal-2","beneficiary":"kobold","rights":["extract"],"exclusivity":"exclusive","minerals":["cobalt"],"area":{"cells":[[428828080,428828085]]}}"#,
            #"{"type":"record-grant","id":"g3","agreement":"deal-2","beneficiary":"us","rights":["extract"],"exclusivity":"exclusive","minerals":["lithium"],"area":{"cells":[[428828080,428828085]]},"contested":"disputed in court"}"#,
        ]), author: "t")
        let before = try await store.projectionSnapshot()
        // g1 went out of force with its agreement; g2 holds; g3 is contested against the title.
        let claims = try #require(before["claim"])
        #expect(claims.count == 4)
        #expect((before["claim_collision"] ?? []).contains { $0.contains("g3") && $0.contains("pr-13359") })
        _ = try await store.rebuild()
        #expect(try await store.projectionSnapshot() == before)
    }

    @Test func entriesAreStoredAsTheirCanonicalBytes() async throws {
        let (store, path) = try await Fixtures.store()
        defer { Fixtures.remove(path) }
        let commands = try Fixtures.commands(Self.setup)
        _ = try await store.append(commands, author: "registrar")
        let entries = try await store.entries(1...Int64(commands.count))
        for (i, e) in entries.enumerated() {
            let entry = try JournalEntry(bytes: e.bytes)
            #expect(entry.sequence == Int64(i + 1))
            #expect(entry.command == commands[i])
            #expect(entry.author == "registrar")
            #expect(entry.bytes == e.bytes)
        }
    }

    @Test func listsPageWithACursor() async throws {
        let (store, path) = try await Fixtures.store()
        defer { Fixtures.remove(path) }
        _ = try await store.append(try Fixtures.commands(Self.setup), author: "t")
        let first = try await store.list(.party, after: nil, limit: 2)
        #expect(first.map(\.id) == ["avz", "cd"])
        let next = try await store.list(.party, after: "cd", limit: 2)
        #expect(next.map(\.id) == ["kobold", "us"])
    }
}

extension JSONValue {
    var objectValue: [String: JSONValue]? { if case .object(let m) = self { m } else { nil } }
}
