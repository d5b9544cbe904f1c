import Foundation

/// Moves the log to a new checkpoint-signing key (`rotate-log-key`).
///
/// The entry is appended while the old key still signs, so the first checkpoint that covers it is
/// signed by the old key: whoever trusts the old key learns the new one from the log itself. From that
/// checkpoint on, every checkpoint carries the new key's signature, and until `transitionUntil` also the
/// old key's (C2SP signed notes allow several), so verifiers that still hold only the old key keep
/// working while they update.
///
/// For example: `{"type":"rotate-log-key","key":"assay.local/registry+1a2b3c4d+AX…","transitionUntil":"2027-01-01T00:00:00.000Z"}`.
public struct LogKeyRotation: Sendable, Hashable {
    /// The new verifier key in C2SP note form: `<name>+<8 hex key hash>+<base64 of 0x01 ‖ 32-byte Ed25519 key>`.
    public var key: String
    /// Until when checkpoints also carry the old key's signature.
    public var transitionUntil: Timestamp

    public init(key: String, transitionUntil: Timestamp) {
        self.key = key
        self.transitionUntil = transitionUntil
    }

    public init(json o: JSONObject) throws(DomainError) {
        key = try o.string("key", maxLength: 300)
        // The base64 part may itself hold `+`: split at the first two only.
        let parts = key.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[1].count == 8, parts[1].allSatisfy(\.isHexDigit),
              let raw = Data(base64Encoded: String(parts[2])), raw.count == 33, raw.first == 1 else {
            throw DomainError(.invalidField, field: o.path("key"), "is not an Ed25519 verifier key (<name>+<8 hex>+<base64 of 33 bytes starting 0x01>)")
        }
        guard let until = try o.optionalString("transitionUntil", maxLength: 40) else {
            throw DomainError(.missingField, field: o.path("transitionUntil"), "is required: until when the old key also signs")
        }
        transitionUntil = try Timestamp(iso: until, field: o.path("transitionUntil"))
    }

    /// The name part of ``key`` (must be the log's origin).
    public var name: String { String(key.split(separator: "+").first ?? "") }

    public var json: [String: JSONValue] {
        ["key": .string(key), "transitionUntil": .string(transitionUntil.iso)]
    }
}
