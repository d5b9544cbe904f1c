import Crypto
import Foundation

/// C2SP tlog-cosignature/v1 with Ed25519 (signature type 0x04): a witness's statement that, at a time,
/// the checkpoint was the largest consistent tree it had seen for the log. The signed message is
/// `cosignature/v1\n`, `time <seconds>\n`, then the whole checkpoint body; the signature bytes are the
/// 8-byte big-endian timestamp followed by the Ed25519 signature.
public struct CosignatureSigner: Sendable {
    public let name: String
    let key: Curve25519.Signing.PrivateKey
    public var keyID: UInt32 { NoteKeys.keyID(name: name, type: 0x04, publicKey: Array(key.publicKey.rawRepresentation)) }

    public init(name: String) throws(LogFormatError) {
        try NoteKeys.checkName(name)
        self.name = name
        key = Curve25519.Signing.PrivateKey()
    }

    /// Reads `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x04 ‖ seed)>`.
    public init(privateKey text: String) throws(LogFormatError) {
        (name, key) = try NoteKeys.parsePrivateKey(text, type: 0x04)
    }

    public var privateKeyString: String { NoteKeys.privateKeyString(name: name, type: 0x04, key: key) }

    public var verifierKey: String { NoteKeys.verifierKeyString(name: name, type: 0x04, key: key) }

    static func message(body: String, timestamp: UInt64) -> [UInt8] {
        Array("cosignature/v1\ntime \(timestamp)\n\(body)".utf8)
    }

    /// Cosigns a checkpoint body at `timestamp` (seconds since the epoch).
    public func cosign(body: String, timestamp: UInt64) throws -> NoteSignature {
        let sig = try key.signature(for: Self.message(body: body, timestamp: timestamp))
        let ts = (0..<8).map { UInt8(timestamp >> (56 - 8 * UInt64($0)) & 0xFF) }
        return NoteSignature(name: name, keyID: keyID, signature: ts + Array(sig))
    }
}

/// Verifies tlog-cosignature/v1 Ed25519 cosignatures from a verifier key with type byte 0x04.
public struct CosignatureVerifier: NoteVerifier {
    public let name: String
    public let keyID: UInt32
    let key: Curve25519.Signing.PublicKey

    public init(verifierKey text: String) throws(LogFormatError) {
        // At most three parts: the base64 key may itself contain '+'.
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, let raw = Base64.decode(parts[2]), raw.count == 33, raw[0] == 0x04,
              let k = try? Curve25519.Signing.PublicKey(rawRepresentation: raw[1...]) else {
            throw LogFormatError("cosigner verifier key: expected <name>+<key id>+<base64(0x04 ‖ public key)>")
        }
        try NoteKeys.checkName(parts[0])
        guard let id = UInt32(parts[1], radix: 16), NoteKeys.keyID(name: parts[0], type: 0x04, publicKey: Array(raw[1...])) == id else {
            throw LogFormatError("cosigner verifier key: the key ID does not match the name and key")
        }
        name = parts[0]
        keyID = id
        key = k
    }

    public func verify(text: [UInt8], signature: [UInt8]) -> Bool {
        guard signature.count == 72 else { return false }
        let ts = signature.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        guard ts <= UInt64(Int64.max) else { return false }
        let message = CosignatureSigner.message(body: String(decoding: text, as: UTF8.self), timestamp: ts)
        return key.isValidSignature(signature.suffix(64), for: message)
    }

    /// The timestamp a cosignature carries.
    public static func timestamp(of signature: NoteSignature) -> UInt64? {
        guard signature.signature.count == 72 else { return nil }
        return signature.signature.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}

/// Reads any verifier key Assay knows: Ed25519 note keys (type 0x01) and cosigner keys (type 0x04).
public enum AnyVerifierKey {
    public static func parse(_ text: String) throws(LogFormatError) -> any NoteVerifier {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2).map(String.init)
        if parts.count == 3, let raw = Base64.decode(parts[2]), raw.first == 0x04 { return try CosignatureVerifier(verifierKey: text) }
        return try Ed25519NoteVerifier(verifierKey: text)
    }
}
