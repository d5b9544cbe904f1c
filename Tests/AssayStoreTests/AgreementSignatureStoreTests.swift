import AssayDomain
import AssayStore
import Foundation
import Testing

/// On this run's backend (SQLite, or PostgreSQL under `ASSAY_TEST_BACKEND=postgres`).
@Suite("Agreement signatures in the store")
struct AgreementSignatureStoreTests {
    static let setup = [
        #"{"type":"register-party","id":"cd","name":"DRC","kind":"state","country":"CD"}"#,
        #"{"type":"register-party","id":"us","name":"United States","kind":"state","country":"US"}"#,
        #"{"type":"register-party","id":"zijin","name":"Zijin","kind":"company","country":"CN"}"#,
        #"{"type":"register-agreement","id":"spa","title":"SPA","kind":"strategic-partnership","status":"negotiating","requiresSignatures":true,"parties":[{"party":"cd","role":"grantor"},{"party":"us","role":"grantee"}]}"#,
        #"{"type":"record-grant","id":"spa-g1","agreement":"spa","beneficiary":"us","rights":["extract"],"exclusivity":"exclusive","minerals":["lithium"],"area":{"cells":[[428828080,428828100]]}}"#,
        #"{"type":"register-agreement","id":"other","title":"Other","kind":"offtake","status":"signed","signed":"2025-01-01","parties":[{"party":"cd","role":"grantor"},{"party":"zijin","role":"grantee"}]}"#,
    ]
    let drc = OperatorSigningKey(keyID: "drc-k1", party: "cd")
    let us = OperatorSigningKey(keyID: "us-k1", party: "us")
    let when = Timestamp(milliseconds: 1_764_842_400_000)

    func colliding() throws -> Grant {
        guard case .recordGrant(let g) = try Command(jsonText: #"{"type":"record-grant","id":"z1","agreement":"other","beneficiary":"zijin","rights":["extract"],"exclusivity":"exclusive","minerals":["lithium"],"area":{"cells":[[428828090,428828095]]}}"#) else {
            throw DomainError(.invalidField, field: "", "not a grant")
        }
        return g
    }

    @Test func theLastSignatureMakesItSignedAndItsGrantsHoldGround() async throws {
        let (store, db) = try await Fixtures.store()
        defer { Fixtures.remove(db) }
        _ = try await store.append(try Fixtures.commands(Self.setup) + [
            .registerKey(drc.registration(validFrom: Timestamp(milliseconds: 0))), .registerKey(us.registration(validFrom: Timestamp(milliseconds: 0))),
        ], author: "t")
        let spa = try #require(try await store.signatureStatus("spa")).agreement

        _ = try await store.append([.signAgreement(try drc.sign(agreement: spa, at: when))], author: "t")
        var status = try #require(try await store.signatureStatus("spa"))
        #expect(status.agreement.status == .negotiating)
        #expect(status.missing == ["us"] && status.signatures.map(\.signature.party) == ["cd"])
        // One signature of two: the grant gives nothing yet, so another party's grant there is no collision.
        #expect(try await store.dryRun(colliding()).collisions.isEmpty)

        // A forged signature (the DRC's key signing as the United States) is refused and leaves no trace.
        let size = try await store.journalSize()
        var forged = try drc.sign(agreement: spa, at: when)
        forged.party = "us"
        await #expect(throws: (any Error).self) { _ = try await store.append([.signAgreement(forged)], author: "t") }
        #expect(try await store.journalSize() == size)

        let receipts = try await store.append([.signAgreement(try us.sign(agreement: spa, at: Timestamp(milliseconds: when.milliseconds + 86_400_000)))], author: "t")
        status = try #require(try await store.signatureStatus("spa"))
        #expect(status.agreement.status == .signed)
        #expect(status.agreement.signed?.iso == "2025-12-05")
        #expect(status.missing.isEmpty)
        #expect(status.signatures.last?.sequence == receipts.first?.sequence)
        // The agreement's record says so too, and its grant now blocks the other party's.
        let record = try #require(try await store.find("spa"))
        guard case .object(let m) = record.json else { Issue.record("not an object"); return }
        #expect(m["status"] == .string("signed") && m["signed"] == .string("2025-12-05"))
        #expect(try await store.dryRun(colliding()).collisions.map(\.claimID) == ["spa-g1"])

        // An amendment that needs both signatures leaves the signed version (and its grant) in force until it is signed.
        _ = try await store.append(try Fixtures.commands([
            #"{"type":"register-agreement","id":"spa-2","title":"SPA amended","kind":"strategic-partnership","status":"negotiating","requiresSignatures":true,"supersedes":"spa","parties":[{"party":"cd","role":"grantor"},{"party":"us","role":"grantee"}]}"#,
        ]), author: "t")
        #expect(try await store.dryRun(colliding()).collisions.map(\.claimID) == ["spa-g1"])
        #expect(try await store.registry().supersededBy["spa"] == nil)
        let amended = try #require(try await store.signatureStatus("spa-2")).agreement
        let later = Timestamp(milliseconds: when.milliseconds + 10 * 86_400_000)
        _ = try await store.append([.signAgreement(try drc.sign(agreement: amended, at: later)), .signAgreement(try us.sign(agreement: amended, at: later))], author: "t")
        #expect(try await store.registry().supersededBy["spa"] == "spa-2")
        #expect(try await store.dryRun(colliding()).collisions.isEmpty, "the superseded version's grant no longer holds ground")

        // Replay gives the same tables.
        let before = try await store.projectionSnapshot()
        #expect((before["agreement_signature"]?.count ?? 0) == 4)
        _ = try await store.rebuild()
        #expect(try await store.projectionSnapshot() == before)
        await store.close()
    }
}
