import AssayDomain
import AssayIngest
import AssayServer
import AssayStore
import AssayTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import TransparencyLog

@Suite("Token expiry")
struct TokenExpiryTests {
    final class Clock: Sendable {
        let now = Mutex<Int64>(1_795_000_000_000)
        func advance(ms: Int64) { now.withLock { $0 += ms } }
    }

    @Test func aTokenIsAcceptedUntilItExpiresThenRefusedWithWhy() async throws {
        let clock = Clock()
        let path = try TestDatabase.fresh("expiry")
        defer { APITests.remove(path) }
        let store = try await RelationalStore.open(database: path, geography: try ReferenceData.geography(),
                                                   signers: [try Ed25519NoteSigner(name: "expiry.local/log")],
                                                   clock: { Timestamp(milliseconds: clock.now.withLock { $0 }) })
        store.useRoyalties(try RoyaltyRates.schedule())
        let expires = Timestamp(milliseconds: clock.now.withLock { $0 } + 60_000)
        let secret = try await store.createToken(role: .registrar, party: nil, expires: expires).secret
        await #expect(throws: TokenError.self) {
            _ = try await store.createToken(role: .registrar, party: nil, expires: Timestamp(milliseconds: 1))
        }
        let app = Application(router: AssayApplication.router(store: store))
        var h = HTTPFields()
        h[.authorization] = "Bearer \(secret)"
        let headers = h
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/parties", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"id":"before","name":"Before","kind":"company","country":"CD"}"#)) { r in
                #expect(r.status == .created)
            }
            clock.advance(ms: 60_000)
            try await client.execute(uri: "/api/v1/parties", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"id":"after","name":"After","kind":"company","country":"CD"}"#)) { r in
                #expect(r.status == .unauthorized)
                let text = String(buffer: r.body)
                #expect(text.contains("token-expired") && text.contains(expires.iso))
            }
        }
        #expect(try await store.find("after") == nil)
    }
}
