import Foundation
import Testing
@testable import AssayDomain

@Suite("Agreements that count only when every party has signed")
struct AgreementSignatureTests {
    let validator = CommandValidator(geography: .none)
    let drcKey = OperatorSigningKey(keyID: "drc-k1", party: "cd")
    let usKey = OperatorSigningKey(keyID: "us-k1", party: "us")
    let rwKey = OperatorSigningKey(keyID: "rw-k1", party: "rw")
    let at = Timestamp(milliseconds: 1_764_842_400_000)  // 2025-12-04T10:00:00Z

    static let spa = #"{"type":"register-agreement","id":"spa","title":"Strategic Partnership Agreement","kind":"strategic-partnership","status":"negotiating","requiresSignatures":true,"parties":[{"party":"cd","role":"grantor"},{"party":"us","role":"partner"}]}"#

    func registry() throws -> InMemoryLookup {
        var r = InMemoryLookup()
        try r.run(validator, [
            #"{"type":"register-party","id":"cd","name":"DRC","kind":"state","country":"CD"}"#,
            #"{"type":"register-party","id":"us","name":"United States","kind":"state","country":"US"}"#,
            #"{"type":"register-party","id":"rw","name":"Rwanda","kind":"state","country":"RW"}"#,
            Self.spa,
        ])
        for k in [drcKey, usKey, rwKey] {
            r.apply(try validator.validate(.registerKey(k.registration(validFrom: Timestamp(milliseconds: 0))), against: r))
        }
        return r
    }

    func refusal(_ c: Command, in r: InMemoryLookup) -> DomainError? {
        do { _ = try validator.validate(c, at: at, against: r); return nil } catch let e as DomainError { return e } catch { return nil }
    }

    @Test func countsOnlyWhenTheLastPartySigns() throws {
        var r = try registry()
        let spa = try #require(try r.agreement("spa"))
        let first = try validator.validate(.signAgreement(try drcKey.sign(agreement: spa, at: at)), at: at, against: r)
        #expect(!first.completesSignatures)
        r.apply(first)
        #expect(try r.agreement("spa")?.status == .negotiating, "one of two signatures must not count")
        // Nobody can mark it signed while a signature is missing.
        let e = try #require(refusal(try Command(jsonText: #"{"type":"change-agreement-status","agreement":"spa","status":"signed","date":"2025-12-04"}"#), in: r))
        #expect(e.code == .invalidTransition && e.message.contains("missing: us"), "\(e.message)")
        let nextDay = Timestamp(milliseconds: at.milliseconds + 86_400_000)
        // A signature dated after the registry's clock is refused.
        #expect(refusal(.signAgreement(try usKey.sign(agreement: spa, at: nextDay)), in: r)?.field == "time")
        let last = try validator.validate(.signAgreement(try usKey.sign(agreement: spa, at: nextDay)), at: nextDay, against: r)
        #expect(last.completesSignatures)
        r.apply(last)
        #expect(try r.agreement("spa")?.status == .signed)
        #expect(try r.agreement("spa")?.signed?.iso == "2025-12-05")
        // A party signs once.
        let again = try #require(refusal(.signAgreement(try drcKey.sign(agreement: spa, at: at)), in: r))
        #expect(again.code == .duplicateID && again.field == "party")
    }

    @Test func refusesForgedSignatures() throws {
        let r = try registry()
        let spa = try #require(try r.agreement("spa"))
        // A key registered to another party (Rwanda's key claiming to sign for the DRC).
        var forged = try rwKey.sign(agreement: Agreement(id: "spa", title: spa.title, kind: spa.kind, parties: spa.parties + [.init(party: "rw", role: .witness)],
                                                          status: spa.status, signed: nil, requiresSignatures: true), at: at)
        forged.party = "cd"
        forged.terms = spa.termsDigest
        let wrongKey = try #require(refusal(.signAgreement(forged), in: r))
        #expect(wrongKey.field == "key" && wrongKey.message.contains("registered to rw"), "\(wrongKey.message)")
        // The right key over other terms (an earlier draft).
        var draft = spa
        draft.summary = "an earlier draft"
        let other = try #require(refusal(.signAgreement(try drcKey.sign(agreement: draft, at: at)), in: r))
        #expect(other.field == "terms", "\(other.message)")
        // The right key and terms, with the signature of something else.
        var swapped = try drcKey.sign(agreement: spa, at: at)
        swapped.signature = drcKey.signature(Array("something else".utf8))
        let bad = try #require(refusal(.signAgreement(swapped), in: r))
        #expect(bad.field == "signature", "\(bad.message)")
        // The time changed after signing: the signature no longer covers the statement.
        var moved = try drcKey.sign(agreement: spa, at: at)
        moved.time = Timestamp(milliseconds: at.milliseconds - 1000)
        #expect(refusal(.signAgreement(moved), in: r)?.field == "signature")
        // A party that is not a party to the agreement.
        var outsider = try drcKey.sign(agreement: spa, at: at)
        outsider.party = "rw"
        #expect(refusal(.signAgreement(outsider), in: r)?.field == "party")
        // The genuine one passes.
        #expect(refusal(.signAgreement(try drcKey.sign(agreement: spa, at: at)), in: r) == nil)
    }

    @Test func theTermsDigestIgnoresBookkeepingButNotTerms() throws {
        let spa = try #require(try registry().agreement("spa"))
        var marked = spa
        marked.status = .signed
        marked.signed = at.day
        marked.provenance = Provenance(sources: ["https://example.org/spa"], synthetic: true)
        #expect(marked.termsDigest == spa.termsDigest)
        var changed = spa
        changed.parties[1].role = .guarantor
        #expect(changed.termsDigest != spa.termsDigest)
        // The digest is stable across the JSON round trip the journal makes.
        let back = try Agreement(json: JSONObject(JSONParser.parse(CanonicalJSON.string(.object(spa.json))), path: ""))
        #expect(back.termsDigest == spa.termsDigest)
    }

    @Test func twoPendingAmendmentsCannotBothTakeEffect() throws {
        var r = try registry()
        let base = #"{"type":"register-agreement","id":"base","title":"Base","kind":"memorandum","status":"signed","signed":"2025-01-01","parties":[{"party":"cd","role":"grantor"},{"party":"us","role":"partner"}]}"#
        try r.run(validator, [base])
        var amendments: [Agreement] = []
        for id in ["a1", "a2"] {
            let line = #"{"type":"register-agreement","id":"\#(id)","title":"\#(id)","kind":"memorandum","status":"negotiating","requiresSignatures":true,"supersedes":"base","parties":[{"party":"cd","role":"grantor"},{"party":"us","role":"partner"}]}"#
            try r.run(validator, [line])
            amendments.append(try #require(try r.agreement(id)))
        }
        #expect(try r.supersededBy("base") == nil, "an unsigned amendment does not replace the signed version")
        for key in [drcKey, usKey] { r.apply(try validator.validate(.signAgreement(try key.sign(agreement: amendments[0], at: at)), at: at, against: r)) }
        #expect(try r.supersededBy("base") == "a1")
        r.apply(try validator.validate(.signAgreement(try drcKey.sign(agreement: amendments[1], at: at)), at: at, against: r))
        let e = try #require(refusal(.signAgreement(try usKey.sign(agreement: amendments[1], at: at)), in: r))
        #expect(e.field == "agreement" && e.message.contains("a1 has amended since"), "\(e.message)")
    }

    @Test func anAgreementAskingForSignaturesIsNotRegisteredAsSigned() throws {
        var r = InMemoryLookup()
        try r.run(validator, [#"{"type":"register-party","id":"cd","name":"DRC","kind":"state","country":"CD"}"#,
                              #"{"type":"register-party","id":"us","name":"US","kind":"state","country":"US"}"#])
        let line = #"{"type":"register-agreement","id":"x","title":"X","kind":"memorandum","status":"signed","signed":"2025-12-04","requiresSignatures":true,"parties":[{"party":"cd","role":"grantor"},{"party":"us","role":"partner"}]}"#
        let e = try #require(refusal(try Command(jsonText: line), in: r))
        #expect(e.field == "signed" && e.message.contains("sign-agreement"))
        // The statement round-trips through its JSON form.
        let sig = try drcKey.sign(agreement: Agreement(json: JSONObject(JSONParser.parse(Self.spa), path: "")), at: at)
        #expect(try Command(jsonText: CanonicalJSON.string(Command.signAgreement(sig).json)) == .signAgreement(sig))
    }
}
