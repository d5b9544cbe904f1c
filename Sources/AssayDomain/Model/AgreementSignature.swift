import Crypto
import Foundation

/// One party's Ed25519 signature of an agreement's terms (`sign-agreement`), made offline with a key
/// registered to that party (`register-key`, as custody keys are) by `assay agreement sign`.
///
/// An agreement registered with `requiresSignatures` counts as `signed` only when every party's
/// signature is in the log; each signature covers the same ``Agreement/termsDigest``, so a signature
/// over other terms (an earlier draft, another agreement) is refused.
///
/// The signed bytes are the canonical JSON of the statement without the signature:
/// `{"agreement":…,"key":…,"party":…,"purpose":"assay-agreement-signature","terms":"<sha256 hex>","time":"…"}`.
/// The `purpose` member keeps a custody event's signature from ever being read as an agreement's.
///
/// For example:
/// `{"type":"sign-agreement","agreement":"spa-2025","party":"drc","key":"drc-2025","terms":"9f…","time":"2025-12-04T10:00:00.000Z","signature":"<base64>"}`
public struct AgreementSignature: Sendable, Hashable {
    public static let purpose = "assay-agreement-signature"

    public var agreement: String
    public var party: String
    public var key: String
    /// The SHA-256 (lower-case hex) of the agreement's terms, as ``Agreement/termsDigest``.
    public var terms: String
    public var time: Timestamp
    public var signature: [UInt8]
    /// The protected header when the signature was submitted as a SCITT signed statement (a COSE_Sign1
    /// whose payload is ``statementBytes``); nil for a plain signature over those bytes.
    public var coseProtected: [UInt8]?

    public init(agreement: String, party: String, key: String, terms: String, time: Timestamp, signature: [UInt8] = []) {
        self.agreement = agreement; self.party = party; self.key = key; self.terms = terms; self.time = time
        self.signature = signature
    }

    public init(json o: JSONObject) throws(DomainError) {
        agreement = try o.id("agreement")
        party = try o.id("party")
        key = try o.id("key")
        terms = try o.string("terms", maxLength: 64)
        try SHA256Hex.validate(terms, field: o.path("terms"))
        time = try Timestamp(iso: o.string("time"), field: o.path("time"))
        let text = try o.string("signature", maxLength: 200)
        guard let sig = Data(base64Encoded: text), sig.count == 64 else {
            throw DomainError(.invalidField, field: o.path("signature"), "expected the base64 of a 64-byte Ed25519 signature (as `assay agreement sign` writes it)")
        }
        signature = [UInt8](sig)
        coseProtected = try COSEStatement.protectedHeader(o, key: key)
    }

    /// The statement signed: the canonical JSON of the fields above with the `purpose`.
    public var statementBytes: [UInt8] {
        CanonicalJSON.encode(.object(["agreement": .string(agreement), "party": .string(party), "key": .string(key),
                                      "purpose": .string(Self.purpose), "terms": .string(terms), "time": .string(time.iso)]))
    }

    /// The bytes the signature covers: ``statementBytes``, or for a COSE statement its Sig_structure.
    public var signedBytes: [UInt8] {
        coseProtected.map { COSEStatement.signedBytes(protected: $0, payload: statementBytes) } ?? statementBytes
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["agreement": .string(agreement), "party": .string(party), "key": .string(key), "terms": .string(terms),
                                      "time": .string(time.iso), "signature": .string(Data(signature).base64EncodedString())]
        if let coseProtected { m["coseProtected"] = .string(Data(coseProtected).base64EncodedString()) }
        return m
    }

    /// The command JSON for a signature submitted as a COSE statement whose payload is ``statementBytes``.
    public static func command(statement bytes: [UInt8]) throws(DomainError) -> JSONValue {
        let (payload, signature, protected) = try COSEStatement.read(bytes)
        guard case .object(var m) = payload else { throw DomainError(.invalidField, field: "payload", "expected a JSON object") }
        guard m["purpose"] == .string(purpose) else {
            throw DomainError(.invalidField, field: "payload.purpose", "an agreement signature's statement has \"purpose\":\"\(purpose)\"")
        }
        m["purpose"] = nil
        m["type"] = "sign-agreement"
        m["signature"] = .string(Data(signature).base64EncodedString())
        m["coseProtected"] = .string(Data(protected).base64EncodedString())
        return .object(m)
    }
}

extension Agreement {
    /// The terms every party signs: everything an agreement says except its status, signing date and
    /// sources (the registry's bookkeeping, which change without the parties agreeing anew).
    public var terms: JSONValue {
        var m = json
        for k in ["status", "signed", "sources", "synthetic"] { m[k] = nil }
        return .object(m)
    }

    /// SHA-256 (lower-case hex) of the canonical JSON of ``terms``: what each party's signature covers.
    public var termsDigest: String {
        SHA256.hash(data: CanonicalJSON.encode(terms)).map { String(format: "%02x", $0) }.joined()
    }
}

extension OperatorSigningKey {
    /// Signs `agreement`'s terms as `party` (the key file's party) at `time`: the offline half of
    /// `assay agreement sign`. Refuses an agreement that does not ask for signatures or does not name the party.
    public func sign(agreement a: Agreement, at time: Timestamp) throws(DomainError) -> AgreementSignature {
        guard a.requiresSignatures else {
            throw DomainError(.invalidField, field: "requiresSignatures", "agreement \(a.id) does not ask for its parties' signatures")
        }
        guard a.parties.contains(where: { $0.party == party }) else {
            throw DomainError(.invalidField, field: "party", "the key's party \(party) is not a party to \(a.id) (parties: \(a.parties.map(\.party).joined(separator: ", ")))")
        }
        var s = AgreementSignature(agreement: a.id, party: party, key: keyID, terms: a.termsDigest, time: time)
        s.signature = signature(s.signedBytes)
        return s
    }

    /// Signs `agreement`'s terms as a SCITT signed statement: the offline half of `assay agreement sign --cose`.
    /// - Returns: the signature as the registry keeps it, and the COSE_Sign1 statement's bytes.
    public func signStatement(agreement a: Agreement, at time: Timestamp) throws(DomainError) -> (AgreementSignature, [UInt8]) {
        var s = try sign(agreement: a, at: time)
        let protected = COSEStatement.protectedHeader(key: keyID)
        s.coseProtected = protected
        s.signature = signature(s.signedBytes)
        return (s, COSEStatement.statement(protected: protected, payload: s.statementBytes, signature: s.signature))
    }
}
