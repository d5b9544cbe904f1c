import Foundation
import TransparencyLog

/// Signatures made as SCITT signed statements (RFC 9943): a COSE_Sign1 with EdDSA (RFC 9052) whose payload
/// is the canonical JSON the registry keeps (a custody event, an agreement signature's statement). The
/// registry keeps the statement's protected header beside the signature, so the statement can be rebuilt
/// byte for byte from the journal and checked by any COSE verifier; the unprotected header is not signed and
/// is not kept.
///
/// A protected header Assay accepts is a deterministic CBOR map of at most 512 bytes with `alg` EdDSA (-8),
/// `kid` (4) the registered key's id as UTF-8 bytes, and, if present, content type (3) `application/json`.
public enum COSEStatement {
    public static let contentType = "application/json"

    /// The protected header `assay sign --cose` writes for `key`.
    public static func protectedHeader(key: String) -> [UInt8] {
        CBOR.map([CBOR.Pair(.int(COSESign1.Label.alg), .int(COSESign1.eddsa)),
                  CBOR.Pair(.int(COSESign1.Label.contentType), .text(contentType)),
                  CBOR.Pair(.int(COSESign1.Label.kid), .bytes(Array(key.utf8)))]).encoded
    }

    /// The optional `coseProtected` member of `o` (base64), checked for the key `key`.
    static func protectedHeader(_ o: JSONObject, key: String) throws(DomainError) -> [UInt8]? {
        guard let text = try o.optionalString("coseProtected", maxLength: 700) else { return nil }
        guard let bytes = Data(base64Encoded: text) else {
            throw DomainError(.invalidField, field: o.path("coseProtected"), "expected the base64 of a COSE protected header")
        }
        try validate(protected: [UInt8](bytes), key: key, field: o.path("coseProtected"))
        return [UInt8](bytes)
    }

    /// Checks a statement's protected header: EdDSA, and `kid` naming `key`.
    public static func validate(protected: [UInt8], key: String, field: String) throws(DomainError) {
        guard protected.count <= 512 else { throw DomainError(.invalidField, field: field, "the protected header is over 512 bytes") }
        let header: CBOR
        do { header = try CBOR(decoding: protected, deterministic: true) } catch {
            throw DomainError(.invalidField, field: field, "the protected header is not deterministic CBOR: \(error.message)")
        }
        guard case .map = header else { throw DomainError(.invalidField, field: field, "the protected header is not a CBOR map") }
        guard header[.int(COSESign1.Label.alg)] == .int(COSESign1.eddsa) else {
            throw DomainError(.invalidField, field: field, "the algorithm (label 1) must be EdDSA (-8): keys are Ed25519")
        }
        guard header[.int(COSESign1.Label.kid)] == .bytes(Array(key.utf8)) else {
            throw DomainError(.badSignature, field: field, "the statement's kid (label 4) must be the key id \"\(key)\" as UTF-8 bytes")
        }
        if let ct = header[.int(COSESign1.Label.contentType)], ct != .text(contentType) {
            throw DomainError(.invalidField, field: field, "the content type (label 3) must be \(contentType)")
        }
    }

    /// What the signature of a statement covers: the COSE Sig_structure over the protected header and payload.
    public static func signedBytes(protected: [UInt8], payload: [UInt8]) -> [UInt8] {
        COSESign1.toBeSigned(protectedBytes: protected, payload: payload)
    }

    /// The statement rebuilt from what the journal keeps (tagged COSE_Sign1, empty unprotected header).
    public static func statement(protected: [UInt8], payload: [UInt8], signature: [UInt8]) -> [UInt8] {
        COSESign1(protectedBytes: protected, unprotected: [], payload: payload, signature: signature).encoded
    }

    /// Reads a submitted statement: its JSON payload, which must be canonical JSON (what the registry keeps
    /// and the signature covers are then the same bytes), its signature and its protected header.
    public static func read(_ bytes: [UInt8]) throws(DomainError) -> (payload: JSONValue, signature: [UInt8], protected: [UInt8]) {
        let message: COSESign1
        do { message = try COSESign1(decoding: bytes) } catch {
            throw DomainError(.invalidField, field: "", "the body is not a COSE_Sign1 signed statement: \(error.message)")
        }
        guard let payload = message.payload else { throw DomainError(.invalidField, field: "payload", "the statement's payload is detached; send it attached") }
        guard message.signature.count == 64 else { throw DomainError(.invalidField, field: "signature", "expected a 64-byte Ed25519 signature") }
        let value: JSONValue
        do { value = try JSONParser.parse(payload) } catch { throw DomainError(.invalidField, field: "payload", "the payload is not JSON: \(error)") }
        guard CanonicalJSON.encode(value) == payload else {
            throw DomainError(.invalidField, field: "payload", "the payload must be canonical JSON (RFC 8785), as `assay sign --cose` writes it, so that the bytes signed are the bytes kept")
        }
        return (value, message.signature, message.protectedBytes)
    }
}

extension SignedCustodyEvent {
    /// The command JSON for a custody event submitted as a COSE statement whose payload is the event.
    public static func command(statement bytes: [UInt8]) throws(DomainError) -> JSONValue {
        let (payload, signature, protected) = try COSEStatement.read(bytes)
        return .object(["type": "custody-event", "event": payload, "signature": .string(Data(signature).base64EncodedString()),
                        "coseProtected": .string(Data(protected).base64EncodedString())])
    }
}

extension OperatorSigningKey {
    /// Signs an event given as JSON as a SCITT signed statement: the offline half of `assay sign --cose`.
    /// - Returns: the event as the registry keeps it, and the COSE_Sign1 statement's bytes.
    public func signStatement(json value: JSONValue) throws(DomainError) -> (SignedCustodyEvent, [UInt8]) {
        var signed = try sign(json: value)
        let protected = COSEStatement.protectedHeader(key: keyID)
        signed.coseProtected = protected
        signed.signature = signature(signed.signedBytes)
        return (signed, COSEStatement.statement(protected: protected, payload: CanonicalJSON.encode(signed.raw), signature: signed.signature))
    }
}
