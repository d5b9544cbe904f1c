import AssayDomain
import AssayIngest
import AssayServer
import AssayStore
import AssayTestSupport
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import TransparencyLog

/// Webhooks: subscriptions managed by registrars and auditors, notices POSTed to a real receiver on loopback
/// in log order, signed with the log's key and carrying a COSE receipt, retried with backoff after a refusal,
/// and not lost when the server restarts in between.
@Suite("Webhook subscriptions deliver signed notices, and lose none across a restart", .serialized)
struct WebhookTests {
    /// What the receiver was sent, and how many requests it still refuses.
    final class Inbox: Sendable {
        let state = Mutex<(refuse: Int, received: [(body: [UInt8], signature: String, entry: String)])>((1, []))
    }

    static func party(_ id: String) -> Command {
        .registerParty(Party(id: id, name: id, kind: .company, country: "CD", provenance: Provenance(synthetic: true)))
    }

    @Test func noticesAreSignedOrderedRetriedAndSurviveARestart() async throws {
        let path = try TestDatabase.fresh("webhook")
        defer { TestDatabase.remove(path) }
        let signer = try Ed25519NoteSigner(name: "hooks.local/registry")
        let store = try await RelationalStore.open(database: path, geography: try ReferenceData.geography(), signers: [signer])
        _ = try await store.append(try DemoSet.commands(), author: "demo")
        let auditor = try await store.createToken(role: .auditor, party: nil).secret
        let op = try await store.createToken(role: .operator, party: "kcc").secret
        let inbox = Inbox()
        let receiver = Router()
        receiver.post("hook") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 1 << 20)
            let refused = inbox.state.withLock { s -> Bool in
                if s.refuse > 0 { s.refuse -= 1; return true }
                s.received.append((Array(buffer: body), request.headers[HTTPField.Name("Assay-Signature")!] ?? "",
                                   request.headers[HTTPField.Name("Assay-Entry")!] ?? ""))
                return false
            }
            return refused ? .serviceUnavailable : .ok
        }
        try await Application(router: receiver).test(.live) { hook in
            let url = "http://127.0.0.1:\(hook.port ?? 0)/hook"
            let app = Application(router: AssayApplication.router(store: store))
            let subscription = try await app.test(.router) { client -> String in
                func headers(_ token: String?) -> HTTPFields {
                    var h = HTTPFields()
                    if let token { h[.authorization] = "Bearer \(token)" }
                    return h
                }
                let body = #"{"url":"\#(url)","match":{"party":"hook-co"}}"#
                try await client.execute(uri: "/api/v1/subscriptions", method: .post, headers: headers(nil), body: ByteBuffer(string: body)) { r in #expect(r.status == .unauthorized) }
                try await client.execute(uri: "/api/v1/subscriptions", method: .post, headers: headers(op), body: ByteBuffer(string: body)) { r in #expect(r.status == .forbidden) }
                for (bad, field) in [(#"{"url":"ftp://x/y"}"#, "url"), (#"{"url":"\#(url)","match":{"colour":"red"}}"#, "match.colour"),
                                     (#"{"url":"\#(url)","after":-1}"#, "after"), (#"{"url":"\#(url)","secret":"x"}"#, "secret")] {
                    try await client.execute(uri: "/api/v1/subscriptions", method: .post, headers: headers(auditor), body: ByteBuffer(string: bad)) { r in
                        let f = try APITests.object(r)["field"] as? String
                        #expect(r.status == .badRequest && f == field, "\(bad)")
                    }
                }
                return try await client.execute(uri: "/api/v1/subscriptions", method: .post, headers: headers(auditor), body: ByteBuffer(string: body)) { r in
                    #expect(r.status == .created)
                    return try APITests.object(r)["id"] as? String ?? ""
                }
            }
            // Three entries: two touch hook-co, one does not.
            _ = try await store.append([Self.party("hook-co"), Self.party("other-co"),
                                        try Command(json: JSONParser.parse(#"{"type":"record-ownership","id":"own-hook","subject":"hook-co","interestedParty":"other-co","share":{"exact":"100"},"synthetic":true}"#))],
                                       author: "test")
            // The receiver refuses the first notice: nothing delivered, a retry scheduled.
            #expect(try await WebhookDeliverer.deliverDue(store: store, post: WebhookDeliverer.urlSessionPost) == 0)
            let failed = try #require(try await store.subscriptions().first)
            #expect(failed.attempts == 1 && failed.lastError?.contains("503") == true && failed.nextAttempt != nil && failed.delivered == 0)
            // Not due yet: nothing is sent.
            #expect(try await WebhookDeliverer.deliverDue(store: store, post: WebhookDeliverer.urlSessionPost) == 0)
            // The server restarts: the subscription and its cursor are still there.
            await store.close()
            let store = try await RelationalStore.open(database: path, geography: try ReferenceData.geography(), signers: [signer])
            let reopened = try #require(try await store.subscriptions().first)
            #expect(reopened.id == subscription && reopened.cursor == failed.cursor && reopened.attempts == 1)
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await WebhookDeliverer.deliverDue(store: store, post: WebhookDeliverer.urlSessionPost) == 2)
            #expect(try await WebhookDeliverer.deliverDue(store: store, post: WebhookDeliverer.urlSessionPost) == 0)
            let done = try #require(try await store.subscriptions().first)
            #expect(done.delivered == 2 && done.attempts == 0 && done.lastError == nil && done.cursor == Int64(store.servedSize))
            // Each notice: in log order, signed by the log's key, with a receipt for its entry.
            let received = inbox.state.withLock { $0.received }
            #expect(received.count == 2)
            let vkey = try Ed25519NoteVerifier(verifierKey: store.verifierKey)
            var last: Int64 = 0
            for n in received {
                let notice = try #require(try JSONParser.parse(n.body).objectMembers)
                guard case .int(let entry)? = notice["entry"], case .string(let receipt)? = notice["receipt"] else { Issue.record("\(notice)"); continue }
                #expect(entry > last && String(entry) == n.entry)
                last = entry
                let parts = n.signature.split(separator: " ")
                #expect(parts.count == 2 && parts[0] == "hooks.local/registry+" + String(format: "%08x", vkey.keyID))
                #expect(vkey.verify(text: n.body, signature: Base64.decode(String(parts.last ?? "")) ?? []))
                let bytes = try #require(try await store.entries(entry...entry).first).bytes
                #expect(try COSEReceipt.verify(Base64.decode(receipt) ?? [], entry: bytes, key: vkey).index == Int(entry) - 1)
                #expect(notice["keys"].map { "\($0)" }?.contains("party:hook-co") == true)
            }
            // Removed by an auditor: gone.
            let app2 = Application(router: AssayApplication.router(store: store))
            try await app2.test(.router) { client in
                var h = HTTPFields()
                h[.authorization] = "Bearer \(auditor)"
                try await client.execute(uri: "/api/v1/subscriptions", method: .get, headers: h) { r in
                    let items = try APITests.object(r)["items"] as? [[String: Any]]
                    #expect(items?.first?["delivered"] as? Int == 2)
                }
                try await client.execute(uri: "/api/v1/subscriptions/\(subscription)", method: .delete, headers: h) { r in #expect(r.status == .noContent) }
                try await client.execute(uri: "/api/v1/subscriptions/\(subscription)", method: .delete, headers: h) { r in #expect(r.status == .notFound) }
            }
            await store.close()
        }
    }
}
