import Crypto

/// A COSE_Sign1 message (RFC 9052 §4.2) signed with EdDSA over Ed25519 (algorithm -8): a SCITT signed
/// statement, or, with a detached payload, a COSE receipt (RFC 9942).
///
/// The protected header is kept as the bytes that were signed: a message read from the wire is verified
/// over exactly those bytes, never over a re-encoding.
public struct COSESign1: Sendable, Hashable {
    /// Header labels this project reads or writes (IANA "COSE Header Parameters").
    public enum Label {
        public static let alg: Int64 = 1
        public static let contentType: Int64 = 3
        public static let kid: Int64 = 4
        public static let cwtClaims: Int64 = 15
        public static let receipts: Int64 = 394
        public static let vds: Int64 = 395
        public static let vdp: Int64 = 396
    }
    /// EdDSA in the COSE algorithms registry.
    public static let eddsa: Int64 = -8
    /// The CBOR tag of a COSE_Sign1 message.
    public static let tag: UInt64 = 18

    /// The serialized protected header map (the contents of its byte string).
    public var protectedBytes: [UInt8]
    public var unprotected: [CBOR.Pair]
    /// The payload, or nil when it is detached (carried or computed elsewhere).
    public var payload: [UInt8]?
    public var signature: [UInt8]

    public init(protectedBytes: [UInt8], unprotected: [CBOR.Pair], payload: [UInt8]?, signature: [UInt8]) {
        self.protectedBytes = protectedBytes; self.unprotected = unprotected; self.payload = payload; self.signature = signature
    }

    /// The protected header, decoded.
    public var protected: [CBOR.Pair] {
        (try? CBOR(decoding: protectedBytes))?.map ?? []
    }

    /// The Sig_structure of RFC 9052 §4.4 for COSE_Sign1: what the signature covers.
    public static func toBeSigned(protectedBytes: [UInt8], payload: [UInt8], externalAAD: [UInt8] = []) -> [UInt8] {
        CBOR.array([.text("Signature1"), .bytes(protectedBytes), .bytes(externalAAD), .bytes(payload)]).encoded
    }

    /// Signs `payload` with an Ed25519 key; `detached` leaves it out of the message.
    public static func sign(protected: [CBOR.Pair], unprotected: [CBOR.Pair] = [], payload: [UInt8], detached: Bool = false,
                            key: Curve25519.Signing.PrivateKey) throws -> COSESign1 {
        var header = protected
        if !header.contains(where: { $0.key == .int(Label.alg) }) { header.append(CBOR.Pair(.int(Label.alg), .int(eddsa))) }
        let protectedBytes = CBOR.map(header).encoded
        let sig = try key.signature(for: toBeSigned(protectedBytes: protectedBytes, payload: payload))
        return COSESign1(protectedBytes: protectedBytes, unprotected: unprotected, payload: detached ? nil : payload, signature: Array(sig))
    }

    /// Whether the signature verifies with `key`, over the attached payload or, when detached, `detachedPayload`.
    /// The protected header must name EdDSA.
    public func verify(key: Curve25519.Signing.PublicKey, detachedPayload: [UInt8]? = nil) -> Bool {
        guard let body = payload ?? detachedPayload,
              CBOR.map(protected)[.int(Label.alg)] == .int(Self.eddsa) else { return false }
        return key.isValidSignature(signature, for: Self.toBeSigned(protectedBytes: protectedBytes, payload: body))
    }

    /// The tagged message (tag 18), as sent on the wire.
    public var encoded: [UInt8] {
        CBOR.tagged(Self.tag, .array([.bytes(protectedBytes), .map(unprotected), payload.map { .bytes($0) } ?? .null, .bytes(signature)])).encoded
    }

    /// Reads a COSE_Sign1 message, tagged (18) or not. The protected header must be a map (or empty).
    public init(decoding bytes: [UInt8]) throws(CBORError) {
        var item = try CBOR(decoding: bytes)
        if case .tagged(let t, let inner) = item {
            guard t == Self.tag else { throw CBORError("tag \(t) is not COSE_Sign1 (18)") }
            item = inner
        }
        guard let parts = item.array, parts.count == 4 else { throw CBORError("a COSE_Sign1 message is an array of 4 items") }
        guard let p = parts[0].bytes else { throw CBORError("the protected header is not a byte string") }
        if !p.isEmpty {
            guard (try CBOR(decoding: p)).map != nil else { throw CBORError("the protected header is not a map") }
        }
        guard let u = parts[1].map else { throw CBORError("the unprotected header is not a map") }
        let body: [UInt8]?
        switch parts[2] {
        case .bytes(let b): body = b
        case .null: body = nil
        default: throw CBORError("the payload is neither a byte string nor null")
        }
        guard let s = parts[3].bytes else { throw CBORError("the signature is not a byte string") }
        self.init(protectedBytes: p, unprotected: u, payload: body, signature: s)
    }
}
