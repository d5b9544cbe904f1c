import AssayDomain
import AssayServer
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import TransparencyLog
@testable import AssayStore

/// A write the disk refuses answers 507 (full) with a problem saying so and `Retry-After`, publishes
/// nothing, and the next write after space returns is acknowledged at the right index.
@Suite("Storage failures over HTTP")
struct StorageFailureTests {
    /// Refuses every COMMIT while on, as SQLite does when the disk is full.
    final class DiskFull: TransactionObserver, Sendable {
        let on = Mutex(true)
        func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { true }
        func databaseDidChange(with event: DatabaseEvent) {}
        func databaseWillCommit() throws {
            if on.withLock({ $0 }) { throw DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full (injected)") }
        }
        func databaseDidCommit(_ db: Database) {}
        func databaseDidRollback(_ db: Database) {}
    }

    @Test func aFullDiskAnswers507AndWritesResume() async throws {
        let (store, path) = try await APITests.demoStore(sqlite: true)
        defer { APITests.remove(path) }
        let registrar = try await store.createToken(role: .registrar, party: nil).secret
        let before = try #require(store.latestCheckpoint())
        let size = try await store.journalSize()
        let full = DiskFull()
        try await #require(store.sqlite).pool.writeWithoutTransaction { $0.add(transactionObserver: full, extent: .databaseLifetime) }
        let app = Application(router: AssayApplication.router(store: store))
        var h = HTTPFields()
        h[.authorization] = "Bearer \(registrar)"
        let headers = h
        try await app.test(.router) { client in
            for i in 0..<5 {
                try await client.execute(uri: "/api/v1/parties", method: .post, headers: headers,
                                         body: ByteBuffer(string: #"{"id":"full-\#(i)","name":"Full","kind":"company","country":"CD"}"#)) { r in
                    #expect(r.status.code == 507 && r.headers[.contentType] == "application/problem+json")
                    #expect(r.headers[.retryAfter] != nil)
                    #expect(String(buffer: r.body).contains("disk is full"))
                }
            }
            #expect(store.latestCheckpoint() == before)
            #expect(try await store.journalSize() == size)
            full.on.withLock { $0 = false }
            try await client.execute(uri: "/api/v1/parties", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"id":"after-full","name":"After","kind":"company","country":"CD"}"#)) { r in
                #expect(r.status == .created)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
                #expect(body["entry"] as? Int == Int(size) + 1)
                let cp = try Checkpoint(body: try SignedNote(try #require(body["checkpoint"] as? String)).text)
                #expect(cp.size == Int(size) + 1)
            }
        }
        _ = try await store.verify(with: try Ed25519NoteVerifier(verifierKey: store.verifierKey))
    }
}
