import Crypto
import Foundation

/// An Ed25519 public key an operator party signs its custody events with, valid over a span of time.
/// Registered in the journal (`register-key`), ended early by a revocation (`revoke-key`).
///
/// For example:
/// `{"type":"register-key","id":"alphamin-2025","party":"alphamin","publicKey":"<base64 of 32 bytes>","validFrom":"2025-01-01T00:00:00.000Z"}`
public struct OperatorKey: Sendable, Hashable {
    public var id: String
    public var party: String
    /// The raw 32-byte Ed25519 public key.
    public var publicKey: [UInt8]
    public var validFrom: Timestamp
    /// The first instant the key no longer signs; open-ended when absent.
    public var validUntil: Timestamp?
    /// Set by a revocation: the key signs nothing at or after this instant.
    public var revokedAt: Timestamp?

    public init(id: String, party: String, publicKey: [UInt8], validFrom: Timestamp, validUntil: Timestamp? = nil, revokedAt: Timestamp? = nil) {
        self.id = id; self.party = party; self.publicKey = publicKey; self.validFrom = validFrom
        self.validUntil = validUntil; self.revokedAt = revokedAt
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        party = try o.id("party")
        let text = try o.string("publicKey", maxLength: 100)
        guard let raw = Data(base64Encoded: text), raw.count == 32 else {
            throw DomainError(.invalidField, field: o.path("publicKey"), "expected the base64 of a 32-byte Ed25519 public key (as `assay key generate` prints)")
        }
        guard (try? Curve25519.Signing.PublicKey(rawRepresentation: raw)) != nil else {
            throw DomainError(.invalidField, field: o.path("publicKey"), "is not an Ed25519 public key")
        }
        publicKey = [UInt8](raw)
        validFrom = try Timestamp(iso: o.string("validFrom"), field: o.path("validFrom"))
        validUntil = try o.optionalString("validUntil").map { s throws(DomainError) in try Timestamp(iso: s, field: o.path("validUntil")) }
        if let validUntil, validUntil <= validFrom {
            throw DomainError(.invalidField, field: o.path("validUntil"), "must be after validFrom")
        }
        revokedAt = nil
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["id": .string(id), "party": .string(party),
                                      "publicKey": .string(Data(publicKey).base64EncodedString()), "validFrom": .string(validFrom.iso)]
        if let validUntil { m["validUntil"] = .string(validUntil.iso) }
        return m
    }

    /// Why the key cannot sign at `time`, or nil when it can.
    public func refusal(at time: Timestamp) -> String? {
        if time < validFrom { return "key \(id) is valid only from \(validFrom.iso)" }
        if let validUntil, time >= validUntil { return "key \(id) expired at \(validUntil.iso)" }
        if let revokedAt, time >= revokedAt { return "key \(id) was revoked at \(revokedAt.iso)" }
        return nil
    }

    /// Whether `signature` is this key's Ed25519 signature of `message`.
    public func verifies(_ signature: [UInt8], of message: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: publicKey) else { return false }
        return key.isValidSignature(signature, for: message)
    }
}

/// Ends a key's validity from an instant on: events it signed before stay valid, later ones are refused.
public struct KeyRevocation: Sendable, Hashable {
    public var key: String
    public var time: Timestamp
    public var reason: String?

    public init(key: String, time: Timestamp, reason: String? = nil) { self.key = key; self.time = time; self.reason = reason }

    public init(json o: JSONObject) throws(DomainError) {
        key = try o.id("key")
        time = try Timestamp(iso: o.string("time"), field: o.path("time"))
        reason = try o.optionalString("reason", maxLength: 2000)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["key": .string(key), "time": .string(time.iso)]
        if let reason { m["reason"] = .string(reason) }
        return m
    }
}
