import AssayDomain
import AssayIngest
import AssayServer
import AssayStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The API of agreements every party must sign")
struct AgreementSignatureAPITests {
    static let id = "spa-offtake-guidelines-demo"
    static let at = Timestamp(milliseconds: 1_770_249_600_000)  // 2026-02-05


    @Test func signaturesAreReadByAnyoneAndRecordedByTheRegistrar() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let headers = try await APITests.registrarHeaders(store)
        let app = Application(router: AssayApplication.router(store: store))
        let usKey = try #require(DemoSet.agreementKey("us"))
        let terms = DemoSet.agreementAwaitingSignature
        try await app.test(.router) { client in
            // The demo: the DRC has signed, the United States has not; the agreement does not count yet.
            try await client.execute(uri: "/api/v1/agreements/\(Self.id)/signatures", method: .get) { r in
                #expect(r.status == .ok)
                let body = try APITests.object(r)
                #expect(body["status"] as? String == "negotiating")
                #expect(body["missing"] as? [String] == ["us"])
                #expect(body["terms"] as? String == terms.termsDigest)
                let sigs = body["signatures"] as? [[String: Any]] ?? []
                #expect(sigs.map { $0["party"] as? String } == ["cd"] && sigs.first?["entry"] is Int)
            }
            // The agreement's page, in both languages: the digest signed, the DRC's signature, the US missing.
            for (lang, missing) in [("en", "not signed"), ("fr", "non signé")] {
                try await client.execute(uri: "/agreements/\(Self.id)?lang=\(lang)", method: .get) { r in
                    let page = String(buffer: r.body)
                    #expect(r.status == .ok && page.contains("id=\"signatures\"") && page.contains(terms.termsDigest))
                    #expect(page.contains("cd-agreements-demo-key") && page.contains("<tr class=\"missing\">") && page.contains(missing), "\(lang)")
                }
            }
            // The status cannot be forced.
            try await client.execute(uri: "/api/v1/agreements/\(Self.id)/status", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"status":"signed","date":"2026-02-05"}"#)) { r in
                #expect(r.status == .unprocessableContent)
                #expect(String(buffer: r.body).contains("missing: us"))
            }
            // A forged signature: the DRC's key signing as the United States. Refused, naming the field.
            var forged = try DemoSet.agreementKey("cd")!.sign(agreement: terms, at: Self.at)
            forged.party = "us"
            try await client.execute(uri: "/api/v1/agreements/\(Self.id)/signatures", method: .post, headers: headers,
                                     body: ByteBuffer(string: CanonicalJSON.string(.object(forged.json)))) { r in
                #expect(r.status == .unprocessableContent)
                let field = try APITests.object(r)["field"] as? String
                #expect(field == "key")
            }
            // A statement for another agreement, posted here.
            var elsewhere = try usKey.sign(agreement: terms, at: Self.at).json
            elsewhere["agreement"] = "us-drc-spa-2025"
            try await client.execute(uri: "/api/v1/agreements/\(Self.id)/signatures", method: .post, headers: headers,
                                     body: ByteBuffer(string: CanonicalJSON.string(.object(elsewhere)))) { r in
                let field = try APITests.object(r)["field"] as? String
                #expect(r.status == .badRequest && field == "agreement")
            }
            // The public cannot record one.
            let genuine = CanonicalJSON.string(.object(try usKey.sign(agreement: terms, at: Self.at).json))
            try await client.execute(uri: "/api/v1/agreements/\(Self.id)/signatures", method: .post, body: ByteBuffer(string: genuine)) { r in
                #expect(r.status == .unauthorized)
            }
            try await client.execute(uri: "/api/v1/agreements/\(Self.id)/signatures", method: .post, headers: headers, body: ByteBuffer(string: genuine)) { r in
                #expect(r.status == .created)
            }
            try await client.execute(uri: "/api/v1/agreements/\(Self.id)", method: .get) { r in
                let record = try APITests.object(r)["record"] as? [String: Any]
                #expect(record?["status"] as? String == "signed" && record?["signed"] as? String == "2026-02-05")
            }
            try await client.execute(uri: "/api/v1/agreements/\(Self.id)/signatures", method: .get) { r in
                let body = try APITests.object(r)
                #expect(body["missing"] as? [String] == [] && body["signed"] as? String == "2026-02-05")
            }
            try await client.execute(uri: "/api/v1/agreements/nowhere/signatures", method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/api/v1/parties/cd/signatures", method: .get) { r in #expect(r.status == .notFound) }
        }
    }
}
