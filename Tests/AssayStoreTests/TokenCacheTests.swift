import AssayDomain
import AssayStore
import Foundation
import Testing

/// Token lookups are kept in memory (a request no longer reads the token table), and a revocation still
/// takes effect: at once through the same store, within the cache's lifetime from another process.
@Suite("Token lookups are cached without outliving a revocation")
struct TokenCacheTests {
    @Test func revocationHereIsImmediateAndElsewhereWithinTheLifetime() async throws {
        let (store, db) = try await Fixtures.store()
        defer { Fixtures.remove(db) }
        let other = try await RelationalStore.open(database: db, geography: Fixtures.geography, signers: [Fixtures.signer])
        let a = try await store.createToken(role: .registrar, party: nil)
        let b = try await store.createToken(role: .auditor, party: nil)
        #expect(try await store.authenticate(a.secret)?.id == a.token.id)
        #expect(try await store.authenticate(b.secret)?.role == .auditor)
        #expect(try await store.authenticate(a.secret + "x") == nil)

        // Revoked through this store: refused on the next request.
        try await store.revokeToken(id: a.token.id)
        #expect(try await store.authenticate(a.secret) == nil)

        // Revoked by another process on the same database: refused once the cached lookup has lapsed.
        try await other.revokeToken(id: b.token.id)
        try await Task.sleep(for: RelationalStore.tokenCacheLifetime + .milliseconds(200))
        #expect(try await store.authenticate(b.secret) == nil)
        await other.close()
        await store.close()
    }
}
