import AssayDomain
import AssayIngest
import AssayServer
import AssayStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("Reserves and first-offer windows over HTTP and on the portal")
struct ReserveAPITests {
    static let sealed = "spa-reserve-initial-2026-02"


    @Test func windowsOnADayAndWhatEachRoleSees() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let registrar = try await APITests.registrarHeaders(store)
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            // The public: the two offered assets of three, the size and the hash; the renewed window open on 1 June.
            try await client.execute(uri: "/api/v1/reserves/\(Self.sealed)/windows?as-of=2026-06-01", method: .get) { r in
                #expect(r.status == .ok)
                let body = try APITests.object(r)
                let assets = body["assets"] as? [[String: Any]] ?? []
                #expect(assets.map { $0["id"] as? String } == ["a-mutoshi", "a-cominiere"])
                #expect(body["assetCount"] as? Int == 3 && body["redacted"] as? Bool == true && (body["assetCommitments"] as? [Any])?.count == 3)
                let w = (assets.first?["windows"] as? [[String: Any]])?.first
                #expect(w?["state"] as? String == "open" && w?["lastDay"] as? String == "2026-08-09" && w?["renewals"] as? Int == 1)
                let refused = (assets.last?["windows"] as? [[String: Any]])?.first
                #expect(refused?["state"] as? String == "refused" && refused?["on"] as? String == "2026-04-20")
                #expect(assets.last?["free"] as? Bool == true)
            }
            // The day after its last day it has lapsed, nobody having written.
            try await client.execute(uri: "/api/v1/reserves/\(Self.sealed)/windows?as-of=2026-08-10", method: .get) { r in
                let w = ((try APITests.object(r)["assets"] as? [[String: Any]])?.first?["windows"] as? [[String: Any]])?.first
                #expect(w?["state"] as? String == "lapsed" && w?["on"] as? String == "2026-08-10")
            }
            // The registrar sees the whole list.
            try await client.execute(uri: "/api/v1/reserves/\(Self.sealed)/windows", method: .get, headers: registrar) { r in
                let assets = try APITests.object(r)["assets"] as? [[String: Any]]
                #expect(assets?.count == 3)
            }
            try await client.execute(uri: "/api/v1/reserves/\(Self.sealed)", method: .get) { r in
                let text = String(buffer: r.body)
                #expect(r.status == .ok && !text.contains("Kisenge manganese") && text.contains("Mutoshi"))
            }
            try await client.execute(uri: "/api/v1/reserves/\(Self.sealed)/windows?as-of=soon", method: .get) { r in #expect(r.status == .badRequest) }
            try await client.execute(uri: "/api/v1/parties/cd/windows", method: .get) { r in #expect(r.status == .notFound) }
            // A lapsed window cannot be answered; a new offer of a free asset can be made, and refused.
            try await client.execute(uri: "/api/v1/offers/spa-offer-1-demo/status", method: .post, headers: registrar,
                                     body: ByteBuffer(string: #"{"status":"accepted","date":"2026-09-01","grant":"nowhere"}"#)) { r in
                #expect(r.status == .unprocessableContent)
            }
            try await client.execute(uri: "/api/v1/offers", method: .post, headers: registrar,
                                     body: ByteBuffer(string: #"{"id":"api-offer","reserve":"spa-reserve-shortlist-2026-01","asset":"sokimo","beneficiary":"demo-us-investor","opens":"2026-11-20"}"#)) { r in
                #expect(r.status == .created)
            }
            try await client.execute(uri: "/api/v1/offers/api-offer/status", method: .post, headers: registrar,
                                     body: ByteBuffer(string: #"{"status":"refused","date":"2026-11-25"}"#)) { r in
                #expect(r.status == .created)
            }
            // The portal: the timeline in both languages; the public never sees the asset not offered.
            for (lang, lapsed, sealedText) in [("en", "lapsed on", "Confidential list."), ("fr", "caduque le", "Liste confidentielle.")] {
                try await client.execute(uri: "/reserves/\(Self.sealed)?lang=\(lang)&as-of=2026-09-01", method: .get) { r in
                    let page = String(buffer: r.body)
                    #expect(r.status == .ok && page.contains("id=\"timeline\"") && page.contains(lapsed) && page.contains(sealedText), "\(lang)")
                    #expect(!page.contains("Kisenge manganese") && page.contains("class=\"window lapsed\""), "\(lang)")
                }
            }
            try await client.execute(uri: "/reserves/\(Self.sealed)?lang=en", method: .get, headers: registrar) { r in
                #expect(String(buffer: r.body).contains("Kisenge manganese"))
            }
            try await client.execute(uri: "/agreements/us-drc-spa-2025?lang=en", method: .get) { r in
                #expect(String(buffer: r.body).contains("href=\"/reserves/\(Self.sealed)?lang=en\""))
            }
        }
    }
}
