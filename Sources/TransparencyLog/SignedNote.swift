import Crypto
import Foundation

/// One signature line of a note: `— <key name> base64(key ID ‖ signature)`.
public struct NoteSignature: Sendable, Hashable {
    public var name: String
    public var keyID: UInt32
    /// The signature bytes after the key ID (for a cosignature: timestamp ‖ Ed25519 signature).
    public var signature: [UInt8]

    public init(name: String, keyID: UInt32, signature: [UInt8]) {
        self.name = name; self.keyID = keyID; self.signature = signature
    }

    public var line: String {
        let id = [UInt8(keyID >> 24 & 0xFF), UInt8(keyID >> 16 & 0xFF), UInt8(keyID >> 8 & 0xFF), UInt8(keyID & 0xFF)]
        return "— \(name) \(Base64.encode(id + signature))\n"
    }
}

/// A C2SP signed note: a text ending in a newline, a blank line, and signature lines.
///
/// ``verify(with:)`` follows the spec: signatures from keys it was not given are ignored; a signature
/// from a given key must verify; at least one must.
public struct SignedNote: Sendable, Hashable {
    public var text: String
    public var signatures: [NoteSignature]

    /// The most signatures a note may carry (the spec asks verifiers to accept at least 16).
    public static let maxSignatures = 100

    public init(text: String, signatures: [NoteSignature]) {
        self.text = text
        self.signatures = signatures
    }

    public var serialized: String { text + "\n" + signatures.map(\.line).joined() }

    /// Parses a signed note.
    /// - Throws: ``LogFormatError`` saying what is wrong.
    public init(_ note: String) throws(LogFormatError) {
        guard note.unicodeScalars.allSatisfy({ $0 == "\n" || $0.value >= 0x20 }) else {
            throw LogFormatError("note: contains control characters other than newline")
        }
        guard note.hasSuffix("\n") else { throw LogFormatError("note: must end with a newline") }
        // The text is separated from the signatures by the last blank line.
        guard let sep = note.range(of: "\n\n", options: .backwards) else {
            throw LogFormatError("note: no blank line before the signatures")
        }
        text = String(note[..<sep.lowerBound]) + "\n"
        let sigText = note[sep.upperBound...]
        var sigs: [NoteSignature] = []
        for (i, raw) in sigText.dropLast().split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = String(raw)
            guard line.hasPrefix("— ") else { throw LogFormatError("note signature \(i + 1): must start with an em dash and a space") }
            let parts = line.dropFirst(2).split(separator: " ", omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, !parts[0].contains("+") else {
                throw LogFormatError("note signature \(i + 1): expected \"— <key name> <base64 signature>\"")
            }
            guard let bytes = Base64.decode(String(parts[1])), bytes.count > 4 else {
                throw LogFormatError("note signature \(i + 1): the signature is not base64 of a key ID and a signature")
            }
            let id = UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
            sigs.append(NoteSignature(name: String(parts[0]), keyID: id, signature: Array(bytes[4...])))
        }
        guard !sigs.isEmpty else { throw LogFormatError("note: has no signature") }
        guard sigs.count <= Self.maxSignatures else { throw LogFormatError("note: more than \(Self.maxSignatures) signatures") }
        signatures = sigs
    }

    /// Verifies the note against the given verifiers and returns the names whose signatures verified.
    /// - Throws: ``NoteVerificationError`` when two verifiers share a name and key ID (an ambiguous key,
    ///   refused as golang.org/x/mod/sumdb/note refuses it), a known key's signature fails, or no known key signed.
    public func verify(with verifiers: [any NoteVerifier]) throws(NoteVerificationError) -> [String] {
        try NoteKeys.checkUnambiguous(verifiers)
        var verified: [String] = []
        for sig in signatures {
            guard let v = verifiers.first(where: { $0.name == sig.name && $0.keyID == sig.keyID }) else { continue }
            guard v.verify(text: Array(text.utf8), signature: sig.signature) else {
                throw NoteVerificationError("the signature by \(sig.name) (key \(String(format: "%08x", sig.keyID))) does not verify")
            }
            verified.append(sig.name)
        }
        guard !verified.isEmpty else {
            throw NoteVerificationError("no signature by a given key (signed by: \(signatures.map(\.name).joined(separator: ", ")))")
        }
        return verified
    }
}

/// A note that did not verify, and why.
public struct NoteVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Something that checks note signatures for one key.
public protocol NoteVerifier: Sendable {
    var name: String { get }
    var keyID: UInt32 { get }
    func verify(text: [UInt8], signature: [UInt8]) -> Bool
}

/// Key IDs and key names as the signed-note spec defines them.
public enum NoteKeys {
    /// `SHA-256(name ‖ 0x0A ‖ type ‖ public key)[:4]`, big-endian.
    public static func keyID(name: String, type: UInt8, publicKey: [UInt8]) -> UInt32 {
        let digest = Array(SHA256.hash(data: Array(name.utf8) + [0x0A, type] + publicKey))
        return UInt32(digest[0]) << 24 | UInt32(digest[1]) << 16 | UInt32(digest[2]) << 8 | UInt32(digest[3])
    }

    /// Reads `PRIVATE+KEY+<name>+<hex key ID>+<base64(type ‖ seed)>` (the format of
    /// golang.org/x/mod/sumdb/note), checking the type byte and that the key ID matches.
    static func parsePrivateKey(_ text: String, type: UInt8) throws(LogFormatError) -> (String, Curve25519.Signing.PrivateKey) {
        // At most five parts: the base64 key may itself contain '+'.
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY" else {
            throw LogFormatError("private key: expected PRIVATE+KEY+<name>+<key id>+<key>")
        }
        try checkName(parts[2])
        guard let raw = Base64.decode(parts[4]), raw.count == 33, raw[0] == type,
              let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: raw[1...]) else {
            throw LogFormatError("private key: not an Ed25519 key of type 0x\(String(format: "%02x", type))")
        }
        let id = keyID(name: parts[2], type: type, publicKey: Array(key.publicKey.rawRepresentation))
        guard String(format: "%08x", id) == parts[3].lowercased() else { throw LogFormatError("private key: the key ID does not match the key") }
        return (parts[2], key)
    }

    static func privateKeyString(name: String, type: UInt8, key: Curve25519.Signing.PrivateKey) -> String {
        let id = keyID(name: name, type: type, publicKey: Array(key.publicKey.rawRepresentation))
        return "PRIVATE+KEY+\(name)+\(String(format: "%08x", id))+\(Base64.encode([type] + Array(key.rawRepresentation)))"
    }

    static func verifierKeyString(name: String, type: UInt8, key: Curve25519.Signing.PrivateKey) -> String {
        let id = keyID(name: name, type: type, publicKey: Array(key.publicKey.rawRepresentation))
        return "\(name)+\(String(format: "%08x", id))+\(Base64.encode([type] + Array(key.publicKey.rawRepresentation)))"
    }

    /// Refuses a list of verifiers in which two share a name and key ID: a signature line names its key
    /// only by those, so it could not say which of the two it is by.
    /// - Throws: ``NoteVerificationError`` naming the first duplicate as `<name>+<hex key ID>`.
    public static func checkUnambiguous(_ verifiers: [any NoteVerifier]) throws(NoteVerificationError) {
        var seen = Set<String>()
        for v in verifiers {
            let id = "\(v.name)+\(String(format: "%08x", v.keyID))"
            guard seen.insert(id).inserted else {
                throw NoteVerificationError("ambiguous key \(id): given more than once (each name and key ID may be given only once)")
            }
        }
    }

    /// Key names are non-empty and contain no Unicode space and no `+`.
    public static func checkName(_ name: String) throws(LogFormatError) {
        guard !name.isEmpty, !name.contains("+"), !name.unicodeScalars.contains(where: { $0.properties.isWhitespace }) else {
            throw LogFormatError("key name \"\(name)\": must be non-empty, without spaces or '+'")
        }
    }
}

/// An Ed25519 note signer (signature type 0x01). Its private key string is
/// `PRIVATE+KEY+<name>+<hex key ID>+<base64(0x01 ‖ seed)>`, as golang.org/x/mod/sumdb/note writes it.
public struct Ed25519NoteSigner: Sendable {
    public let name: String
    let key: Curve25519.Signing.PrivateKey
    public var keyID: UInt32 { NoteKeys.keyID(name: name, type: 0x01, publicKey: Array(key.publicKey.rawRepresentation)) }

    /// A new random key.
    public init(name: String) throws(LogFormatError) {
        try NoteKeys.checkName(name)
        self.name = name
        key = Curve25519.Signing.PrivateKey()
    }

    /// Reads a private key string.
    public init(privateKey text: String) throws(LogFormatError) {
        (name, key) = try NoteKeys.parsePrivateKey(text, type: 0x01)
    }

    /// The private key string. Secret: write it with mode 0600 and never log it.
    public var privateKeyString: String { NoteKeys.privateKeyString(name: name, type: 0x01, key: key) }

    /// The verifier key string anyone may hold: `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`.
    public var verifierKey: String { NoteKeys.verifierKeyString(name: name, type: 0x01, key: key) }

    public func sign(_ text: String) throws -> NoteSignature {
        NoteSignature(name: name, keyID: keyID, signature: Array(try key.signature(for: Array(text.utf8))))
    }

    /// Signs `text` as a note.
    public func signNote(_ text: String) throws -> SignedNote {
        SignedNote(text: text, signatures: [try sign(text)])
    }
}

/// Verifies Ed25519 note signatures (type 0x01) from a verifier key string.
public struct Ed25519NoteVerifier: NoteVerifier {
    public let name: String
    public let keyID: UInt32
    let key: Curve25519.Signing.PublicKey

    /// Reads `<name>+<hex key ID>+<base64(0x01 ‖ public key)>`.
    public init(verifierKey text: String) throws(LogFormatError) {
        // At most three parts: the base64 key may itself contain '+'.
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3 else { throw LogFormatError("verifier key: expected <name>+<key id>+<key>") }
        try NoteKeys.checkName(parts[0])
        guard parts[1].count == 8, let id = UInt32(parts[1], radix: 16) else { throw LogFormatError("verifier key: the key ID is not 8 hex digits") }
        guard let raw = Base64.decode(parts[2]), raw.count == 33, raw[0] == 0x01,
              let k = try? Curve25519.Signing.PublicKey(rawRepresentation: raw[1...]) else {
            throw LogFormatError("verifier key: not an Ed25519 key (type 0x01)")
        }
        guard NoteKeys.keyID(name: parts[0], type: 0x01, publicKey: Array(raw[1...])) == id else {
            throw LogFormatError("verifier key: the key ID does not match the name and key")
        }
        name = parts[0]
        keyID = id
        key = k
    }

    public func verify(text: [UInt8], signature: [UInt8]) -> Bool {
        key.isValidSignature(signature, for: text)
    }
}
