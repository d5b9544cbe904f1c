import Crypto
import Foundation

/// An operator's Ed25519 private key with the id it is registered under: what `assay key generate`
/// writes and `assay sign` reads, offline, on the operator's machine. The registry never sees it.
///
/// File form (JSON): `{"keyId":"alphamin-2025","party":"alphamin","privateKey":"<base64 32-byte seed>","publicKey":"<base64>"}`.
public struct OperatorSigningKey: Sendable {
    public let keyID: String
    public let party: String
    let key: Curve25519.Signing.PrivateKey

    public init(keyID: String, party: String) {
        self.keyID = keyID; self.party = party; key = Curve25519.Signing.PrivateKey()
    }

    /// A key from a fixed 32-byte seed: only for the demo set, whose keys are public by design (so its
    /// journal is the same on every machine). Never use it for a real operator.
    public init(keyID: String, party: String, demoSeed: [UInt8]) {
        self.keyID = keyID; self.party = party
        key = (try? Curve25519.Signing.PrivateKey(rawRepresentation: Array(SHA256.hash(data: demoSeed)))) ?? Curve25519.Signing.PrivateKey()
    }

    /// Reads a key file's text; the error says what is wrong with it.
    public init(fileText: String) throws(DomainError) {
        let o: JSONObject
        do { o = try JSONObject(JSONParser.parse(fileText), path: "") } catch {
            throw DomainError(.invalidField, field: "key file", "is not an Assay operator key file (JSON with keyId, party, privateKey)")
        }
        keyID = try o.id("keyId")
        party = try o.id("party")
        guard let seed = Data(base64Encoded: try o.string("privateKey")), seed.count == 32,
              let k = try? Curve25519.Signing.PrivateKey(rawRepresentation: seed) else {
            throw DomainError(.invalidField, field: "privateKey", "expected the base64 of a 32-byte Ed25519 seed")
        }
        key = k
        _ = try o.optionalString("publicKey")
        try o.rejectUnknown()
    }

    public var publicKey: [UInt8] { [UInt8](key.publicKey.rawRepresentation) }
    public var publicKeyBase64: String { Data(publicKey).base64EncodedString() }

    public var fileText: String {
        CanonicalJSON.string(.object(["keyId": .string(keyID), "party": .string(party),
                                      "privateKey": .string(key.rawRepresentation.base64EncodedString()),
                                      "publicKey": .string(publicKeyBase64)])) + "\n"
    }

    /// The `register-key` command for this key, valid from `validFrom` (until `validUntil`).
    public func registration(validFrom: Timestamp, validUntil: Timestamp? = nil) -> OperatorKey {
        OperatorKey(id: keyID, party: party, publicKey: publicKey, validFrom: validFrom, validUntil: validUntil)
    }

    public func signature(_ bytes: [UInt8]) -> [UInt8] {
        // Signing with a well-formed key over a byte array cannot fail in swift-crypto's implementation.
        (try? [UInt8](key.signature(for: bytes))) ?? []
    }

    /// Signs an event as written.
    public func sign(_ event: CustodyEvent) -> SignedCustodyEvent {
        SignedCustodyEvent(event: event) { signature($0) }
    }

    /// Signs an event given as JSON (the `event` member), filling in `key` and `party` from the key
    /// file when absent; the event is checked before it is signed.
    public func sign(json value: JSONValue) throws(DomainError) -> SignedCustodyEvent {
        guard case .object(var m) = value else { throw DomainError(.invalidField, field: "event", "expected an object") }
        if m["type"] == .string("custody-event"), case .object(let inner)? = m["event"] { m = inner }
        if m["key"] == nil { m["key"] = .string(keyID) }
        if m["party"] == nil { m["party"] = .string(party) }
        guard m["key"] == .string(keyID) else { throw DomainError(.invalidField, field: "event.key", "the event names another key than \(keyID)") }
        let raw = JSONValue.object(m)
        try SignedCustodyEvent.refuseFractionLiterals(raw, path: "event")
        let event = try CustodyEvent(json: JSONObject(raw, path: "event"))
        return SignedCustodyEvent(event: event, raw: raw, signature: signature(CanonicalJSON.encode(raw)))
    }
}

extension SignedCustodyEvent {
    init(event: CustodyEvent, raw: JSONValue, signature: [UInt8]) {
        self.event = event; self.raw = raw; self.signature = signature
    }
}
