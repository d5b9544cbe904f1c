import AssayDomain
import Crypto
import Foundation

/// Keeps confidential details out of the public log. A confidential obligation's description, quantity,
/// value and sources, the figures of deliveries against it, and the URL and title of a confidential
/// agreement document (its hash stays public) leave the journal entry, which keeps
/// `"sealed": SHA-256(canonical({details, salt}))` in their place; the details and a 256-bit random salt
/// (so a guessed amount cannot be checked against the hash) are kept in the store for auditors and for
/// replay. Anyone holding the details can prove them against the logged hash.
public enum Sealing {
    static let obligationKeys = ["description", "quantity", "value", "sources"]
    static let deliveryKeys = ["quantity", "value", "evidence", "note", "sources"]

    /// The members of `command` to seal, if it must be sealed.
    static func keys(for command: Command, obligationIsConfidential: (String) throws -> Bool) rethrows -> [String]? {
        switch command {
        case .recordObligation(let o) where o.confidential: return obligationKeys
        case .registerAgreement(let a) where a.documents.contains(where: \.confidential): return ["documents"]
        case .registerReserve(let r) where r.confidential: return ["assets"]
        case .recordDelivery(let d) where try obligationIsConfidential(d.obligation): return deliveryKeys
        default: return nil
        }
    }

    /// Splits `json` into the public form (with `sealed`) and the sealed details (with their salt).
    static func seal(_ json: [String: JSONValue], keys: [String]) -> (public: [String: JSONValue], details: JSONValue, hash: String) {
        var pub = json
        var details: [String: JSONValue] = [:]
        for k in keys { if let v = pub.removeValue(forKey: k) { details[k] = v } }
        // Documents stay listed publicly, confidential ones reduced to their hash.
        if case .array(let docs)? = details["documents"] {
            pub["documents"] = .array(docs.map { doc in
                guard case .object(let d) = doc, d["confidential"] == .bool(true) else { return doc }
                return .object(["sha256": d["sha256"] ?? .null, "confidential": .bool(true)])
            })
        }
        var random = SystemRandomNumberGenerator()
        let salt = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &random)) }.joined()
        // A confidential reserve: its size and one commitment per asset stay public, so each asset revealed
        // with its own salt when it is offered can be checked against the list by anyone.
        if case .array(let assets)? = details["assets"] {
            pub["assetCount"] = .int(Int64(assets.count))
            pub["assetCommitments"] = .array(assets.map { a in
                guard case .object(let m) = a, case .string(let id)? = m["id"] else { return .null }
                return .string(commitment(of: reveal(asset: a, salt: assetSalt(salt, id))))
            })
        }
        let sealed: JSONValue = .object(["details": .object(details), "salt": .string(salt)])
        let hash = hex(SHA256.hash(data: CanonicalJSON.encode(sealed)))
        pub["sealed"] = .string(hash)
        return (pub, sealed, hash)
    }

    /// Puts sealed details back into a public command, after checking they hash to its `sealed` member.
    static func unseal(_ pub: [String: JSONValue], details sealedText: String?) throws -> [String: JSONValue] {
        guard case .string(let hash)? = pub["sealed"] else { return pub }
        guard let sealedText, let sealed = try? JSONParser.parse(sealedText),
              hex(SHA256.hash(data: CanonicalJSON.encode(sealed))) == hash,
              case .object(let wrapper) = sealed, case .object(let details)? = wrapper["details"] else {
            throw SealingError(hash: hash)
        }
        var full = pub
        full.removeValue(forKey: "sealed")
        full.removeValue(forKey: "assetCount")
        full.removeValue(forKey: "assetCommitments")
        for (k, v) in details { full[k] = v }
        return full
    }

    static func hex(_ digest: SHA256.Digest) -> String { digest.map { String(format: "%02x", $0) }.joined() }

    /// The salt of one asset's commitment: derived from the reserve's salt, which it does not reveal.
    static func assetSalt(_ salt: String, _ asset: String) -> String { hex(SHA256.hash(data: Array("\(salt)/\(asset)".utf8))) }

    /// What an offer reveals of a confidential reserve's asset: `{"asset": …, "salt": …}`.
    public static func reveal(asset: JSONValue, salt: String) -> JSONValue { .object(["asset": asset, "salt": .string(salt)]) }

    /// SHA-256 (hex) of a reveal's canonical JSON: one of the reserve's public `assetCommitments` if the
    /// asset was on its list. Anyone can check it from the two public log entries.
    public static func commitment(of reveal: JSONValue) -> String { hex(SHA256.hash(data: CanonicalJSON.encode(reveal))) }
}

/// Sealed details that are missing, or do not hash to what the journal entry committed to.
public struct SealingError: Error, Sendable, CustomStringConvertible {
    public var hash: String
    public var description: String { "the sealed details \(hash.prefix(16))… are missing or do not match the logged hash" }
}
