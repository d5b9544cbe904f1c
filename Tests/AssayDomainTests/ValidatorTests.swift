import Testing
@testable import AssayDomain

@Suite("Command validation against the registry")
struct ValidatorTests {
    let validator = CommandValidator(geography: .none)

    static let base = [
        #"{"type":"register-party","id":"cd","name":"DRC","kind":"state","country":"CD"}"#,
        #"{"type":"register-party","id":"avz","name":"AVZ","kind":"company","country":"AU"}"#,
        #"{"type":"register-party","id":"zijin","name":"Zijin","kind":"company","country":"CN"}"#,
        #"{"type":"register-party","id":"kobold","name":"KoBold","kind":"company","country":"US"}"#,
        #"{"type":"register-concession","id":"pr-13359","code":"PR 13359","titleType":"PR","holder":"avz","minerals":["lithium"],"cells":[[100,120]]}"#,
        #"{"type":"register-agreement","id":"deal","title":"Deal","kind":"minerals-for-security","status":"signed","signed":"2025-07-17","parties":[{"party":"cd","role":"grantor"},{"party":"kobold","role":"grantee"}]}"#,
    ]

    func registry() throws -> InMemoryLookup {
        var r = InMemoryLookup()
        try r.run(validator, Self.base)
        return r
    }

    func refusal(_ line: String, in r: InMemoryLookup) throws -> DomainError? {
        do { _ = try validator.validate(try Command(jsonText: line), against: r); return nil } catch let e as DomainError { return e }
    }

    @Test func refusesACollidingGrantListingEveryCollision() throws {
        var r = try registry()
        try r.run(validator, [#"{"type":"register-concession","id":"pr-15775","code":"PR 15775","titleType":"PR","holder":"zijin","minerals":["lithium"],"cells":[[130,140]]}"#])
        let e = try #require(try refusal(#"{"type":"record-grant","id":"g","agreement":"deal","beneficiary":"kobold","rights":["extract"],"exclusivity":"exclusive","minerals":["lithium"],"area":{"cells":[[110,135]]}}"#, in: r))
        #expect(e.code == .collision)
        #expect(e.collisions.map(\.claimID) == ["pr-13359", "pr-15775"])
        #expect(e.collisions.map(\.cellCount) == [11, 6])
        #expect(e.message.contains("PR") || e.message.contains("pr-13359"))
    }

    @Test func acceptsAContestedGrantAndKeepsItsCollisions() throws {
        let r = try registry()
        let v = try validator.validate(try Command(jsonText: #"{"type":"record-grant","id":"g","agreement":"deal","beneficiary":"kobold","rights":["extract"],"exclusivity":"exclusive","minerals":["lithium"],"area":{"cells":[[110,135]]},"contested":"AVZ disputes the revocation"}"#), against: r)
        #expect(v.collisions.map(\.claimID) == ["pr-13359"])
        #expect(v.claim?.contested == "AVZ disputes the revocation")
    }

    @Test func aRevokedTitleNoLongerBlocks() throws {
        var r = try registry()
        try r.run(validator, [#"{"type":"change-concession-status","concession":"pr-13359","status":"revoked","date":"2023-01-28"}"#])
        #expect(try refusal(#"{"type":"record-grant","id":"g","agreement":"deal","beneficiary":"kobold","rights":["extract"],"exclusivity":"exclusive","minerals":["lithium"],"area":{"cells":[[110,135]]}}"#, in: r) == nil)
    }

    @Test func statusesMoveOnlyAlongTheirLifecycle() throws {
        var r = try registry()
        try r.run(validator, [#"{"type":"change-concession-status","concession":"pr-13359","status":"revoked","date":"2023-01-28"}"#])
        let e = try #require(try refusal(#"{"type":"change-concession-status","concession":"pr-13359","status":"granted","date":"2024-01-16"}"#, in: r))
        #expect(e.code == .invalidTransition)
        #expect(e.message.contains("final"))
        let a = try #require(try refusal(#"{"type":"change-agreement-status","agreement":"deal","status":"proposed","date":"2025-08-01"}"#, in: r))
        #expect(a.code == .invalidTransition && a.field == "status")
    }

    @Test func refusesDuplicateIDsAndUnknownReferences() throws {
        let r = try registry()
        #expect(try refusal(#"{"type":"register-party","id":"avz","name":"Again","kind":"company"}"#, in: r)?.code == .duplicateID)
        let e = try #require(try refusal(#"{"type":"record-ownership","id":"o","subject":"avz","interestedParty":"nobody","share":{"exact":"60"}}"#, in: r))
        #expect(e.code == .unknownReference && e.field == "interestedParty")
        let k = try #require(try refusal(#"{"type":"record-ownership","id":"o","subject":"avz","interestedParty":"deal","share":{"exact":"60"}}"#, in: r))
        #expect(k.message.contains("is a agreement") || k.message.contains("agreement, not a party"))
    }

    @Test func ownersCannotHoldMoreThanAllOfIt() throws {
        var r = try registry()
        try r.run(validator, [#"{"type":"record-ownership","id":"o1","subject":"avz","interestedParty":"zijin","share":{"exact":"61"},"until":"2025-01-01"}"#])
        let e = try #require(try refusal(#"{"type":"record-ownership","id":"o2","subject":"avz","interestedParty":"kobold","share":{"minimum":"40","maximum":"45"}}"#, in: r))
        #expect(e.field == "share")
        // After the first relation ends, the same share is fine.
        #expect(try refusal(#"{"type":"record-ownership","id":"o2","subject":"avz","interestedParty":"kobold","share":{"minimum":"40","maximum":"45"},"from":"2025-01-01"}"#, in: r) == nil)
    }

    @Test func obligationsAndDeliveriesCheckPartiesUnitsAndCurrencies() throws {
        var r = try registry()
        let bad = try #require(try refusal(#"{"type":"record-obligation","id":"ob","agreement":"deal","obligor":"avz","beneficiary":"cd","kind":"training","description":"x"}"#, in: r))
        #expect(bad.field == "obligor")
        try r.run(validator, [#"{"type":"record-obligation","id":"ob","agreement":"deal","obligor":"kobold","beneficiary":"cd","kind":"investment","description":"Invest","value":{"amount":"1000","currency":"USD"}}"#])
        #expect(try refusal(#"{"type":"record-delivery","id":"d","obligation":"ob","date":"2026-01-01","value":{"amount":"10","currency":"EUR"}}"#, in: r)?.field == "value.currency")
        #expect(try refusal(#"{"type":"record-delivery","id":"d","obligation":"ob","date":"2026-01-01","quantity":{"amount":"10","unit":"t"}}"#, in: r)?.field == "quantity")
        #expect(try refusal(#"{"type":"record-delivery","id":"d","obligation":"ob","date":"2026-01-01","value":{"amount":"10","currency":"USD"}}"#, in: r) == nil)
    }

    @Test func anAmendmentSupersedesItsPredecessorsGrants() throws {
        var r = try registry()
        try r.run(validator, [
            #"{"type":"record-grant","id":"g1","agreement":"deal","beneficiary":"kobold","rights":["extract"],"exclusivity":"exclusive","minerals":["cobalt"],"area":{"cells":[[500,510]]}}"#,
            #"{"type":"register-agreement","id":"deal-2","title":"Deal v2","kind":"minerals-for-security","status":"signed","signed":"2026-01-01","supersedes":"deal","parties":[{"party":"cd","role":"grantor"},{"party":"zijin","role":"grantee"}]}"#,
        ])
        // The old grant no longer blocks another beneficiary under the amendment.
        #expect(try refusal(#"{"type":"record-grant","id":"g2","agreement":"deal-2","beneficiary":"zijin","rights":["extract"],"exclusivity":"exclusive","minerals":["cobalt"],"area":{"cells":[[500,510]]}}"#, in: r) == nil)
        #expect(try refusal(#"{"type":"register-agreement","id":"deal-3","title":"x","kind":"offtake","status":"proposed","supersedes":"deal","parties":[{"party":"cd","role":"grantor"},{"party":"zijin","role":"grantee"}]}"#, in: r)?.field == "supersedes")
    }

    @Test(arguments: [
        (#"{"type":"register-party","id":"Bad Id","name":"x","kind":"company"}"#, "id"),
        (#"{"type":"register-party","id":"x","name":"x","kind":"kingdom"}"#, "kind"),
        (#"{"type":"register-party","id":"x","name":"x","kind":"state"}"#, "country"),
        (#"{"type":"register-party","id":"x","name":"x","kind":"company","country":"XX"}"#, "country"),
        (#"{"type":"register-party","id":"x","name":"x","kind":"company","nmae":"typo"}"#, "nmae"),
        (#"{"type":"register-site","id":"s","name":"S","kind":"port","latitude":"95","longitude":"0"}"#, "latitude"),
        (#"{"type":"register-site","id":"s","name":"S","kind":"port","latitude":"1","longitude":"2","minerals":["unobtainium"]}"#, "minerals[0]"),
        (#"{"type":"register-site","id":"s","name":"S","kind":"port","latitude":"1","longitude":"2","minerals":["tin"],"capacities":{"cobalt":"5"}}"#, "capacities.cobalt"),
        (#"{"type":"record-grant","id":"g","agreement":"a","beneficiary":"b","rights":["mine"],"exclusivity":"exclusive","minerals":["tin"],"area":{"cells":[1]}}"#, "rights[0]"),
        (#"{"type":"record-grant","id":"g","agreement":"a","beneficiary":"b","rights":["extract"],"exclusivity":"exclusive","minerals":["tin"],"area":{"cells":[1],"country":"CD"}}"#, "area"),
        (#"{"type":"record-grant","id":"g","agreement":"a","beneficiary":"b","rights":["extract"],"exclusivity":"exclusive","minerals":["tin"],"area":{"cells":[1]},"from":"2025-01-01","until":"2024-01-01"}"#, "until"),
        (#"{"type":"record-ownership","id":"o","subject":"a","interestedParty":"b","share":{"exact":"101"}}"#, "share.exact"),
        (#"{"type":"register-agreement","id":"a","title":"t","kind":"offtake","status":"signed","parties":[{"party":"x","role":"grantor"},{"party":"y","role":"grantee"}]}"#, "signed"),
        (#"{"type":"record-obligation","id":"o","agreement":"a","obligor":"x","beneficiary":"y","kind":"payment","description":"d","due":"2025-01-01","every":"month"}"#, "until"),
        (#"{"type":"launch-rocket"}"#, "type"),
    ])
    func malformedCommandsNameTheField(json: String, field: String) {
        #expect {
            _ = try Command(jsonText: json)
        } throws: { error in
            guard let e = error as? DomainError else { return false }
            return e.field.hasSuffix(field)
        }
    }
}
