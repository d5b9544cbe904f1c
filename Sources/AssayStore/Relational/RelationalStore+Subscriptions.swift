import AssayDomain
import Foundation
import TransparencyLog

/// A webhook subscription: entries whose keys include every key of `match` are POSTed to `url`, in log
/// order, each as a signed notice; `cursor` is the last entry delivered (or skipped as not matching), kept
/// in the database so that nothing is lost or sent twice across a restart (a notice whose answer was lost is
/// sent again: at least once). Managed by registrars and auditors; not in the journal (a receiver's URL is
/// nobody else's business).
public struct Subscription: Sendable, Hashable {
    public var id: String
    public var url: String
    public var match: [String]
    public var createdBy: String
    public var created: Timestamp
    public var cursor: Int64
    public var attempts: Int
    public var nextAttempt: Timestamp?
    public var lastError: String?
    public var delivered: Int64

    public var json: JSONValue {
        var m: [String: JSONValue] = ["id": .string(id), "url": .string(url), "match": .array(match.map { .string($0) }),
                                      "createdBy": .string(createdBy), "created": .string(created.iso), "cursor": .int(cursor),
                                      "attempts": .int(Int64(attempts)), "delivered": .int(delivered)]
        m["nextAttempt"] = nextAttempt.map { .string($0.iso) } ?? .null
        m["lastError"] = lastError.map { .string($0) } ?? .null
        return .object(m)
    }
}

extension RelationalStore {
    /// Adds a subscription. `after`: deliver entries after this one (default: the served size, so only new ones).
    public func createSubscription(url: String, match: [String], after: Int64?, createdBy: String) async throws -> Subscription {
        var bytes = [UInt8](repeating: 0, count: 6)
        var rng = SystemRandomNumberGenerator()
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
        let s = Subscription(id: "sub-" + Hex.encode(bytes), url: url, match: match.sorted(), createdBy: createdBy, created: clock(),
                             cursor: after ?? Int64(servedSize), attempts: 0, nextAttempt: nil, lastError: nil, delivered: 0)
        try await engine.write { db in
            try db.execute("""
                INSERT INTO subscription(id, url, match, created_by, created, cursor, attempts, next_attempt, last_error, delivered)
                VALUES (?, ?, ?, ?, ?, ?, 0, NULL, NULL, 0)
                """, [s.id, s.url, CanonicalJSON.string(.array(s.match.map { .string($0) })), s.createdBy, s.created.iso, s.cursor])
        }
        return s
    }

    public func subscriptions() async throws -> [Subscription] {
        try await engine.read { db in
            try db.rows("SELECT id, url, match, created_by, created, cursor, attempts, next_attempt, last_error, delivered FROM subscription ORDER BY id").map { r in
                let matchText: String = try r["match"]
                var match: [String] = []
                if case .array(let items)? = try? JSONParser.parse(matchText) { match = items.compactMap { if case .string(let s) = $0 { s } else { nil } } }
                let next: String? = try r["next_attempt"]
                return Subscription(id: try r["id"], url: try r["url"], match: match, createdBy: try r["created_by"],
                                    created: try Timestamp(iso: r["created"] as String, field: "created"), cursor: try r["cursor"],
                                    attempts: Int(try r["attempts"] as Int64), nextAttempt: try next.map { try Timestamp(iso: $0, field: "next_attempt") },
                                    lastError: try r["last_error"], delivered: try r["delivered"])
            }
        }
    }

    /// Removes a subscription; false when there was none with that id.
    public func deleteSubscription(_ id: String) async throws -> Bool {
        try await engine.write { db in
            let found = try db.value(String.self, "SELECT id FROM subscription WHERE id = ?", [id]) != nil
            if found { try db.execute("DELETE FROM subscription WHERE id = ?", [id]) }
            return found
        }
    }

    /// Moves a subscription's cursor on after entries were delivered (`delivered` more of them) or skipped.
    public func advanceSubscription(_ id: String, cursor: Int64, delivered: Int64) async throws {
        try await engine.write { db in
            try db.execute("""
                UPDATE subscription SET cursor = ?, delivered = delivered + ?, attempts = 0, next_attempt = NULL, last_error = NULL
                WHERE id = ? AND cursor < ?
                """, [cursor, delivered, id, cursor])
        }
    }

    /// Takes a subscription for delivery until `until`, unless another server holds it: with several servers
    /// on one database, one delivers each subscription at a time. True when `holder` has it.
    public func leaseSubscription(_ id: String, holder: String, until: Timestamp) async throws -> Bool {
        let now = clock().iso
        return try await engine.write { db in
            // The UPDATE locks the row; a concurrent one waits, then finds the lease taken and changes nothing.
            try db.execute("""
                UPDATE subscription SET lease_holder = ?, lease_until = ?
                WHERE id = ? AND (lease_until IS NULL OR lease_until < ? OR lease_holder = ?)
                """, [holder, until.iso, id, now, holder])
            return try db.value(String.self, "SELECT lease_holder FROM subscription WHERE id = ?", [id]) == holder
        }
    }

    /// Gives a subscription's lease back.
    public func releaseSubscription(_ id: String, holder: String) async throws {
        try await engine.write { db in
            try db.execute("UPDATE subscription SET lease_holder = NULL, lease_until = NULL WHERE id = ? AND lease_holder = ?", [id, holder])
        }
    }

    /// Records a failed delivery and when to try again.
    public func subscriptionFailed(_ id: String, error: String, attempts: Int, nextAttempt: Timestamp) async throws {
        try await engine.write { db in
            try db.execute("UPDATE subscription SET attempts = ?, next_attempt = ?, last_error = ? WHERE id = ?",
                           [Int64(attempts), nextAttempt.iso, String(error.prefix(500)), id])
        }
    }

    /// The published entries after `after` whose keys include every one of `keys`, oldest first, at most `limit`,
    /// and the last entry looked at (the cursor to move to when none of them is delivered).
    public func entries(matching keys: [String], after: Int64, limit: Int) async throws -> (entries: [StoredEntry], scannedTo: Int64) {
        let covered = try await indexEntryKeys()
        guard after < covered else { return ([], after) }
        return try await engine.read { db in
            let seqs: [Int64]
            if keys.isEmpty {
                seqs = try db.values(Int64.self, "SELECT seq FROM journal WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?", [after, covered, limit])
            } else {
                var sql = "SELECT seq FROM entry_key WHERE key = ? AND seq > ? AND seq <= ?"
                var args: SQLArguments = [keys[0], after, covered]
                for k in keys.dropFirst() {
                    sql += " AND seq IN (SELECT seq FROM entry_key WHERE key = ?)"
                    args += [k]
                }
                args += [limit]
                seqs = try db.values(Int64.self, sql + " ORDER BY seq LIMIT ?", args)
            }
            // Fewer than asked: everything up to the covered size was looked at.
            let scanned = seqs.count < limit ? covered : (seqs.last ?? covered)
            guard !seqs.isEmpty else { return ([], scanned) }
            let marks = Array(repeating: "?", count: seqs.count).joined(separator: ", ")
            let rows = try db.rows("SELECT seq, bytes FROM journal WHERE seq IN (\(marks)) ORDER BY seq", SQLArguments(seqs.map { .integer($0) }))
            return (try rows.map { StoredEntry(sequence: try $0["seq"], bytes: [UInt8](try $0["bytes"] as Data)) }, scanned)
        }
    }

    /// Signs `bytes` with the log's current key: the `Assay-Signature` of a webhook notice, checked with the
    /// log's verifier key (`<name>+<key id> <base64 signature>`).
    public func signNotice(_ bytes: [UInt8]) throws -> String {
        guard let signer = keys.signer(keys.schedule.current) else { throw ProofError("this server does not hold the log's signing key") }
        let sig = try signer.sign(String(decoding: bytes, as: UTF8.self))
        return "\(signer.name)+\(String(format: "%08x", sig.keyID)) \(Base64.encode(sig.signature))"
    }
}
