import AssayDomain
import Crypto
import Foundation
import TransparencyLog

extension RelationalStore {
    /// Creates a token: 256 random bits, returned once as `assay_<id>_<secret>`; only its SHA-256 is kept.
    /// An operator token names the party it acts for, which must be registered.
    /// - Parameter expires: when the token stops being accepted; nil: never (until revoked).
    public func createToken(role: Role, party: String?, expires: Timestamp? = nil) async throws -> (token: APIToken, secret: String) {
        guard role != .public else { throw TokenError(message: "--role: the public needs no token") }
        if let expires, expires <= clock() { throw TokenError(message: "--expires: \(expires.iso) is not in the future") }
        if role == .operator, party == nil { throw TokenError(message: "--party: an operator token acts for one party; name it") }
        if role != .operator, party != nil { throw TokenError(message: "--party: only operator tokens act for a party") }
        if let party, try await find(party)?.kind != .party { throw TokenError(message: "--party: no party \"\(party)\"") }
        var random = SystemRandomNumberGenerator()
        let secretBytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &random) }
        let idBytes = (0..<6).map { _ in UInt8.random(in: 0...255, using: &random) }
        let id = Hex.encode(idBytes)
        let secret = "assay_\(id)_" + Base64.encode(secretBytes).replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        let created = clock().iso
        let hash = Data(SHA256.hash(data: Array(secret.utf8)))
        try await engine.write { db in
            try db.execute("INSERT INTO api_token(id, hash, role, party, created, expires) VALUES (?, ?, ?, ?, ?, ?)",
                           [id, hash, role.rawValue, party, created, expires?.iso])
        }
        return (APIToken(id: id, role: role, party: party, created: created, revoked: nil, expires: expires?.iso), secret)
    }

    public func revokeToken(id: String) async throws {
        let now = clock().iso
        let changed = try await engine.write { db -> Int in
            guard try db.value(String.self, "SELECT id FROM api_token WHERE id = ? AND revoked IS NULL", [id]) != nil else { return 0 }
            try db.execute("UPDATE api_token SET revoked = ? WHERE id = ? AND revoked IS NULL", [now, id])
            return 1
        }
        // Requests through this store refuse it from now on (other processes' caches within their lifetime).
        tokenCache.withLock { $0 = $0.filter { $0.value.token.id != id } }
        if changed == 0 { throw TokenError(message: "no active token \"\(id)\"") }
    }

    public func tokens() async throws -> [APIToken] {
        try await engine.read { db in
            try db.rows("SELECT id, role, party, created, revoked, expires, last_used FROM api_token ORDER BY created, id").map {
                APIToken(id: try $0["id"], role: Role(rawValue: try $0["role"]) ?? .public, party: try $0["party"], created: try $0["created"], revoked: try $0["revoked"],
                         expires: try $0["expires"], lastUsed: try $0["last_used"])
            }
        }
    }

    /// The active token a secret belongs to, if any; throws ``TokenExpired`` for an expired one. Notes
    /// when it was used, at most once a minute per token, off the caller's path.
    ///
    /// Found tokens are kept for ``tokenCacheLifetime`` (misses are not, so random secrets cannot fill the
    /// cache): a token revoked through this store stops working at once, one revoked by another process on
    /// the same database (`assay token revoke` beside a running server) within that time. Expiry is checked
    /// on every request.
    public func authenticate(_ secret: String) async throws -> APIToken? {
        let hash = Data(SHA256.hash(data: Array(secret.utf8)))
        let now = ContinuousClock.now
        if let hit = tokenCache.withLock({ $0[hash] }), hit.until > now {
            return try noteUse(hit.token)
        }
        let found = try await engine.read { db in
            try db.row("SELECT id, role, party, created, expires, last_used FROM api_token WHERE hash = ? AND revoked IS NULL",
                             [hash]).map {
                APIToken(id: try $0["id"], role: Role(rawValue: try $0["role"]) ?? .public, party: try $0["party"], created: try $0["created"], revoked: nil,
                         expires: try $0["expires"], lastUsed: try $0["last_used"])
            }
        }
        guard let token = found else {
            tokenCache.withLock { _ = $0.removeValue(forKey: hash) }
            return nil
        }
        tokenCache.withLock { cache in
            if cache.count > 10_000 { cache.removeAll(keepingCapacity: true) }
            cache[hash] = (token, now + RelationalStore.tokenCacheLifetime)
        }
        return try noteUse(token)
    }

    /// How long a found token is served from memory before the table is read again.
    public static let tokenCacheLifetime: Duration = .seconds(2)

    /// Refuses an expired token, and notes its use at most once a minute, off the caller's path.
    private func noteUse(_ token: APIToken) throws -> APIToken {
        let now = clock()
        // Both are written by `Timestamp.iso` (fixed width, UTC), so they compare as strings.
        if let expires = token.expires, expires <= now.iso { throw TokenExpired(id: token.id, expired: expires) }
        let minute = now.milliseconds / 60_000
        let due = tokenUse.withLock { seen -> Bool in
            if seen[token.id] == minute { return false }
            if seen.count > 10_000 { seen.removeAll(keepingCapacity: true) }
            seen[token.id] = minute
            return true
        }
        if due {
            let engine = self.engine, id = token.id
            Task.detached(priority: .utility) {
                try? await engine.write { db in
                    try db.execute("UPDATE api_token SET last_used = ? WHERE id = ?", [Timestamp(milliseconds: minute * 60_000).iso, id])
                }
            }
        }
        return token
    }
}
