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
    }

    /// The bytes the signature covers.
    public var signedBytes: [UInt8] {
        CanonicalJSON.encode(.object(["agreement": .string(agreement), "party": .string(party), "key": .string(key),
                                      "purpose": .string(Self.purpose), "terms": .string(terms), "time": .string(time.iso)]))
    }

    public var json: [String: JSONValue] {
        ["agreement": .string(agreement), "party": .string(party), "key": .string(key), "terms": .string(terms),
         "time": .string(time.iso), "signature": .string(Data(signature).base64EncodedString())]
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
}
