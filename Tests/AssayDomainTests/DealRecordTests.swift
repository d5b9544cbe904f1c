import Testing
@testable import AssayDomain

@Suite("The negotiation on the record, joint bodies and linked agreements: what the commands accept")
struct DealRecordTests {
    func refusal(_ line: String) -> DomainError? {
        do { _ = try Command(jsonText: line); return nil } catch { return error }
    }

    @Test func eventsSayWhoActedForWhomAndFromWhichSource() {
        let base = #""type":"record-event","id":"e","date":"2025-03-16","title":"T","actors":["a"],"sources":["https://example.org/s"]"#
        #expect(refusal("{\(base),\"kind\":\"visit\"}") == nil)
        #expect(refusal("{\(base),\"kind\":\"lobbying\"}")?.field == "onBehalfOf")
        #expect(refusal("{\(base),\"kind\":\"visit\",\"onBehalfOf\":\"b\"}")?.field == "onBehalfOf")
        #expect(refusal(#"{"type":"record-event","id":"e","kind":"decision","date":"2025-03-16","title":"T","actors":["a","b"],"sources":["https://example.org/s"]}"#)?.field == "actors")
        #expect(refusal(#"{"type":"record-event","id":"e","kind":"visit","date":"2025-03-16","title":"T","actors":["a"]}"#)?.field == "sources")
        #expect(refusal(#"{"type":"record-event","id":"e","kind":"visit","date":"2025-03-16","title":"T","actors":["a"],"synthetic":true}"#) == nil)
        #expect(refusal(#"{"type":"record-event","id":"e","kind":"visit","date":"2025-03-16","precision":"month","title":"T","actors":["a"],"synthetic":true}"#)?.field == "date")
        #expect(refusal(#"{"type":"record-event","id":"e","kind":"visit","date":"2025-03-16","title":"T","actors":[],"synthetic":true}"#)?.field == "actors")
    }

    @Test func jointBodiesAreMadeOfParties() {
        #expect(refusal(#"{"type":"register-party","id":"jsc","name":"JSC","kind":"joint-body","members":["cd"]}"#)?.field == "members")
        #expect(refusal(#"{"type":"register-party","id":"x","name":"X","kind":"company","members":["cd","us"]}"#)?.field == "members")
        #expect(refusal(#"{"type":"register-party","id":"jsc","name":"JSC","kind":"joint-body","members":["cd","us"],"aliases":["Comité directeur conjoint"]}"#) == nil)
    }

    @Test func aClaimNamesItsSourceAndWhyItIsUsed() {
        #expect(refusal(#"{"type":"record-claim","id":"c","subject":"s","field":"date","value":"v","source":"somewhere","confidence":"high"}"#)?.field == "source")
        #expect(refusal(#"{"type":"record-claim","id":"c","subject":"s","field":"date","value":"v","source":"https://example.org","confidence":"high","used":true}"#)?.field == "reason")
        #expect(refusal(#"{"type":"record-claim","id":"c","subject":"s","field":"date","value":"v","source":"https://example.org","confidence":"sure"}"#)?.field == "confidence")
    }

    @Test func aLinkNamesTwoAgreementsAndHowTheyDepend() {
        #expect(refusal(#"{"type":"link-agreements","agreement":"a","linked":"a","relation":"paired-with"}"#)?.field == "linked")
        #expect(refusal(#"{"type":"link-agreements","agreement":"a","linked":"b","relation":"married-to"}"#)?.field == "relation")
        #expect(AgreementRelation.conditionalOn.inverseName == "condition of")
    }

    @Test func validationKnowsJointBodiesAndWhatEventsChange() throws {
        var r = InMemoryLookup()
        let v = CommandValidator(geography: .none)
        try r.run(v, [#"{"type":"register-party","id":"cd","name":"DRC","kind":"state","country":"CD"}"#,
                      #"{"type":"register-party","id":"us","name":"US","kind":"state","country":"US"}"#])
        func refused(_ line: String) -> DomainError? {
            do { _ = try v.validate(try Command(jsonText: line), against: r); return nil } catch { return error as? DomainError }
        }
        #expect(refused(#"{"type":"register-party","id":"jsc","name":"JSC","kind":"joint-body","members":["cd","nobody"]}"#)?.field == "members[1]")
        #expect(refused(#"{"type":"record-event","id":"e","kind":"decision","date":"2026-02-04","title":"T","actors":["cd"],"synthetic":true}"#)?.field == "actors[0]")
        #expect(refused(#"{"type":"record-event","id":"e","kind":"meeting","date":"2026-02-04","title":"T","actors":["cd"],"changes":["nothing"],"synthetic":true}"#)?.field == "changes[0]")
        #expect(refused(#"{"type":"record-event","id":"e","kind":"meeting","date":"2026-02-04","title":"T","actors":["cd"],"agreements":["none"],"synthetic":true}"#)?.field == "agreements[0]")
    }
}
