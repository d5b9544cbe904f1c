import AssayDomain
import AssayIngest
import AssayServer
import AssayStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TransparencyLog

@Suite("Who may do what: every route × every role")
struct RoleMatrixTests {
    struct Route: Sendable {
        var method: HTTPRequest.Method
        var uri: String
        var body: String?
        /// Expected status for public, auditor, operator, registrar.
        var expected: [Role: HTTPResponse.Status]
    }

    static func party(_ id: String) -> String { #"{"id":"\#(id)","name":"Matrix \#(id)","kind":"company","country":"CD"}"# }
    static let everyone: [Role: HTTPResponse.Status] = [.public: .ok, .auditor: .ok, .operator: .ok, .registrar: .ok]
    static let registrarOnly: [Role: HTTPResponse.Status] = [.public: .unauthorized, .auditor: .forbidden, .operator: .forbidden, .registrar: .created]

    static let routes: [Route] = [
        Route(method: .get, uri: "/healthz", expected: everyone),
        Route(method: .get, uri: "/api/v1/agreements", expected: everyone),
        Route(method: .get, uri: "/api/v1/agreements/us-drc-spa-2025", expected: everyone),
        Route(method: .get, uri: "/api/v1/obligations/secret-ob", expected: everyone),
        // Lists, filters and reports that read sealed values (what each role sees of them: SealedFieldMatrixTests).
        Route(method: .get, uri: "/api/v1/deliveries", expected: everyone),
        Route(method: .get, uri: "/api/v1/obligations?description=Named%20sources", expected: everyone),
        Route(method: .get, uri: "/api/v1/reports/balance", expected: everyone),
        Route(method: .get, uri: "/search?q=secret", expected: everyone),
        Route(method: .post, uri: "/api/v1/parties", body: "PARTY", expected: registrarOnly),
        Route(method: .post, uri: "/api/v1/agreements/drc-kobold-2025/status", body: #"{"status":"in-force","date":"2026-01-01"}"#,
              expected: registrarOnly),
        Route(method: .get, uri: "/api/v1/agreements/spa-offtake-guidelines-demo/signatures", expected: everyone),
        Route(method: .post, uri: "/api/v1/agreements/spa-offtake-guidelines-demo/signatures", body: "US-SIGNATURE", expected: registrarOnly),
        Route(method: .get, uri: "/api/v1/reserves", expected: everyone),
        Route(method: .get, uri: "/api/v1/reserves/spa-reserve-initial-2026-02", expected: everyone),
        Route(method: .get, uri: "/api/v1/reserves/spa-reserve-initial-2026-02/windows?as-of=2026-06-01", expected: everyone),
        Route(method: .get, uri: "/reserves/spa-reserve-initial-2026-02", expected: everyone),
        Route(method: .post, uri: "/api/v1/offers", body: "OFFER", expected: registrarOnly),
        Route(method: .get, uri: "/api/v1/timeline?agreement=us-drc-spa-2025", expected: everyone),
        Route(method: .get, uri: "/timeline?kind=decision", expected: everyone),
        Route(method: .post, uri: "/api/v1/events", body: "EVENT", expected: registrarOnly),
        Route(method: .get, uri: "/api/v1/conflicts", expected: everyone),
        Route(method: .get, uri: "/conflicts", expected: everyone),
        Route(method: .post, uri: "/api/v1/claims", body: "CLAIM", expected: registrarOnly),
        Route(method: .post, uri: "/api/v1/check-grant",
              body: #"{"id":"probe","agreement":"us-drc-spa-2025","beneficiary":"us","rights":["extract"],"exclusivity":"exclusive","minerals":["lithium"],"area":{"provinces":["CD-TA"]}}"#,
              expected: everyone),
        Route(method: .get, uri: "/log/checkpoint", expected: everyone),
        Route(method: .get, uri: "/log/tile/0/000", expected: everyone),
        Route(method: .get, uri: "/log/proof/inclusion?index=3", expected: everyone),
        Route(method: .get, uri: "/log/receipt/3", expected: everyone),
        Route(method: .get, uri: "/feeds/entries.atom?party=gecamines", expected: everyone),
        Route(method: .get, uri: "/api/v1/exports/bods", expected: everyone),
        Route(method: .get, uri: "/api/v1/lookup/lot/KCC-HYD-2025-0001-B", expected: everyone),
        Route(method: .get, uri: "/log/index/checkpoint", expected: everyone),
        // Without a witness policy no checkpoint is called final, for anyone.
        Route(method: .get, uri: "/log/checkpoint/final", expected: [.public: .notFound, .auditor: .notFound, .operator: .notFound, .registrar: .notFound]),
        Route(method: .get, uri: "/api/v1/entries?lot=KCC-HYD-2025-0001-B", expected: everyone),
        Route(method: .get, uri: "/log/entry/3", expected: everyone),
        Route(method: .get, uri: "/api/v1/lots", expected: everyone),
        Route(method: .get, uri: "/api/v1/lots/KCC-HYD-2025-0001-A/trace", expected: everyone),
        Route(method: .get, uri: "/api/v1/lots/KCC-HYD-2025-0001-A/report", expected: everyone),
        Route(method: .get, uri: "/api/v1/flags", expected: everyone),
        Route(method: .get, uri: "/api/v1/keys", expected: everyone),
        Route(method: .get, uri: "/api/v1/reports/royalties", expected: everyone),
        Route(method: .get, uri: "/api/v1/reports/eiti?format=csv", expected: everyone),
        Route(method: .get, uri: "/lots/KCC-HYD-2025-0001-A", expected: everyone),
        // KCC's own event: the registrar (first in Role.allCases) records it; the operator's resubmission gets the same receipt.
        Route(method: .post, uri: "/api/v1/custody-events", body: "KCC-EVENT",
              expected: [.public: .unauthorized, .auditor: .forbidden, .operator: .ok, .registrar: .created]),
        Route(method: .post, uri: "/api/v1/keys", body: "KCC-KEY",
              expected: [.public: .unauthorized, .auditor: .forbidden, .operator: .created, .registrar: .created]),
        Route(method: .post, uri: "/api/v1/prices", body: "PRICE", expected: registrarOnly),
        Route(method: .post, uri: "/api/v1/custody-policy", body: #"{"lateWindowDays":36500}"#, expected: registrarOnly),
        Route(method: .post, uri: "/api/v1/payments", body: "KCC-PAYMENT",
              expected: [.public: .unauthorized, .auditor: .forbidden, .operator: .created, .registrar: .created]),
        Route(method: .get, uri: "/api/v1/control?site=rubaya&date=2024-06-01", expected: everyone),
        Route(method: .get, uri: "/api/v1/control/proposals", expected: everyone),
        Route(method: .get, uri: "/api/v1/reports/risk?lot=GOM-2024-B01", expected: everyone),
        // Every lot's flags a page at a time, and the reports and pages read from the registry's generations.
        Route(method: .get, uri: "/api/v1/reports/risk?limit=5", expected: everyone),
        Route(method: .get, uri: "/api/v1/reports/risk?after=GOM-2024-B01&limit=5", expected: everyone),
        Route(method: .get, uri: "/api/v1/reports/ownership", expected: everyone),
        Route(method: .get, uri: "/api/v1/reports/owners?from=2025-01-01&until=2025-03-01", expected: everyone),
        Route(method: .get, uri: "/api/v1/reports/collisions", expected: everyone),
        Route(method: .get, uri: "/parties/kcc", expected: everyone),
        Route(method: .get, uri: "/parties?after=a", expected: everyone),
        Route(method: .get, uri: "/lots", expected: everyone),
        Route(method: .get, uri: "/api/v1/reports/supply?from=2024-01-01&until=2025-06-01", expected: everyone),
        Route(method: .get, uri: "/map?date=2025-02-20", expected: everyone),
        Route(method: .get, uri: "/supply", expected: everyone),
        Route(method: .get, uri: "/map?province=CD-NK&layers=1&layer=held&layer=armed", expected: everyone),
        Route(method: .get, uri: "/assets/map.js", expected: everyone),
        Route(method: .get, uri: "/assets/provinces.svg", expected: everyone),
        Route(method: .get, uri: "/supply.csv?mineral=tin", expected: everyone),
        Route(method: .get, uri: "/supply/owners.csv", expected: everyone),
        Route(method: .get, uri: "/agreements/us-drc-security-mou-2025/balance.csv", expected: everyone),
        Route(method: .post, uri: "/api/v1/controls", body: "CONTROL", expected: registrarOnly),
        Route(method: .post, uri: "/api/v1/site-statuses", body: "STATUS", expected: registrarOnly),
        // Webhook subscriptions: registrars and auditors only (a receiver's URL is not public).
        Route(method: .post, uri: "/api/v1/subscriptions", body: #"{"url":"http://127.0.0.1:9/hook","match":{"party":"kcc"}}"#,
              expected: [.public: .unauthorized, .auditor: .created, .operator: .forbidden, .registrar: .created]),
        Route(method: .get, uri: "/api/v1/subscriptions", expected: [.public: .unauthorized, .auditor: .ok, .operator: .forbidden, .registrar: .ok]),
        Route(method: .delete, uri: "/api/v1/subscriptions/sub-none", expected: [.public: .unauthorized, .auditor: .notFound, .operator: .forbidden, .registrar: .notFound]),
        Route(method: .post, uri: "/api/v1/batch", body: "KCC-BATCH",
              expected: [.public: .unauthorized, .auditor: .forbidden, .operator: .ok, .registrar: .ok]),
    ]

    /// Bodies that must differ per request (ids, dates) or be signed.
    static func body(_ template: String, _ n: Int) -> String {
        switch template {
        case "PARTY": return party("m\(n)")
        case "KCC-KEY":
            let k = OperatorSigningKey(keyID: "kcc-matrix-\(n)", party: "kcc")
            return CanonicalJSON.string(.object(k.registration(validFrom: Timestamp(milliseconds: 1_735_689_600_000)).json))
        case "PRICE":
            return #"{"mineral":"tin","date":"2030-01-\#(String(format: "%02d", n % 28 + 1))","pricePerTonne":{"amount":"31000","currency":"USD"}}"#
        case "CONTROL":
            return #"{"id":"matrix-control-\#(n)","controller":"afc-m23","area":{"circle":{"latitude":"-1.5","longitude":"28.9","radiusKm":"3"}},"from":"2026-01-01","confidence":"low","citation":"matrix test"}"#
        case "STATUS":
            return #"{"site":"bisie","date":"2030-02-\#(String(format: "%02d", n % 28 + 1))","status":"halted","reason":"matrix test"}"#
        case "KCC-PAYMENT":
            return #"{"id":"matrix-pay-\#(n)","payer":"kcc","stream":"royalty","amount":{"amount":"10","currency":"USD"},"date":"2025-04-01","period":{"from":"2025-03-01","until":"2025-04-01"}}"#
        case "CLAIM":
            return #"{"id":"matrix-claim-\#(n)","subject":"ronny-jackson","field":"title","value":"Representative","source":"https://example.org/m","confidence":"low"}"#
        case "EVENT":
            return #"{"id":"matrix-event-\#(n)","kind":"call","date":"2026-11-20","title":"Matrix call","actors":["cd"],"participants":["us"],"synthetic":true}"#
        case "OFFER":
            return #"{"id":"matrix-offer-\#(n)","reserve":"spa-reserve-shortlist-2026-01","asset":"sokimo","beneficiary":"demo-us-investor","opens":"2026-11-20"}"#
        case "US-SIGNATURE":
            let sig = try! DemoSet.agreementKey("us")!.sign(agreement: DemoSet.agreementAwaitingSignature, at: try! Timestamp(iso: "2026-02-05T00:00:00.000Z", field: "t"))
            return CanonicalJSON.string(.object(sig.json))
        case "KCC-EVENT", "KCC-BATCH":
            let key = DemoSet.demoKey("kcc")!
            let signed = try! key.sign(json: .object(["id": .string(template == "KCC-EVENT" ? "matrix-weighing" : "matrix-batch-\(n)"), "kind": "weighing",
                                                      "time": "2025-03-01T00:00:00.000Z", "lot": "KCC-HYD-2025-0001-B", "massKg": "15000"]))
            return CanonicalJSON.string(.object(signed.json))
        default: return template
        }
    }

    @Test func theWholeMatrix() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let registrar = try await store.createToken(role: .registrar, party: nil).secret
        let auditor = try await store.createToken(role: .auditor, party: nil).secret
        let op = try await store.createToken(role: .operator, party: "kcc").secret
        let revoked = try await store.createToken(role: .registrar, party: nil)
        try await store.revokeToken(id: revoked.token.id)
        let tokens: [Role: String?] = [.public: nil, .auditor: auditor, .operator: op, .registrar: registrar]
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            // A confidential obligation, recorded by the registrar.
            var h = HTTPFields()
            h[.authorization] = "Bearer \(registrar)"
            let regHeaders = h
            try await client.execute(uri: "/api/v1/obligations", method: .post, headers: regHeaders, body: ByteBuffer(string:
                #"{"id":"secret-ob","agreement":"us-drc-security-mou-2025","obligor":"us","beneficiary":"cd","kind":"intelligence","description":"Named sources","value":{"amount":"5000000","currency":"USD"},"confidential":true}"#)) { r in
                #expect(r.status == .created)
            }
            var n = 0
            for route in Self.routes {
                for role in Role.allCases {
                    var headers = HTTPFields()
                    if let t = tokens[role] ?? nil { headers[.authorization] = "Bearer \(t)" }
                    n += 1
                    let body = route.body.map { Self.body($0, n) }
                    let status = try await client.execute(uri: route.uri, method: route.method, headers: headers,
                                                          body: body.map { ByteBuffer(string: $0) }) { $0.status }
                    // The status change can only happen once; later registrar attempts are refused as transitions.
                    let want = route.uri.hasSuffix("/status") && role == .registrar && status == .unprocessableContent ? status : route.expected[role]
                    #expect(status == want, "\(route.method) \(route.uri) as \(role.rawValue)")
                }
                var bad = HTTPFields()
                bad[.authorization] = "Bearer \(revoked.secret)"
                let status = try await client.execute(uri: route.uri, method: route.method, headers: bad,
                                                      body: route.body.map { ByteBuffer(string: Self.body($0, 999)) }) { $0.status }
                #expect(status == .unauthorized, "\(route.uri) with a revoked token")
            }
            // Confidential content: the public and operators see that it exists, auditors see it all.
            for (role, sees) in [(Role.public, false), (.operator, false), (.auditor, true), (.registrar, true)] {
                var headers = HTTPFields()
                if let t = tokens[role] ?? nil { headers[.authorization] = "Bearer \(t)" }
                let text = try await client.execute(uri: "/api/v1/obligations/secret-ob", method: .get, headers: headers) { String(buffer: $0.body) }
                #expect(text.contains("Named sources") == sees, "\(role.rawValue)")
                #expect(text.contains("\"redacted\":true") == !sees, "\(role.rawValue)")
                // A filter on the sealed description finds it only for those who may read it.
                let filtered = try await client.execute(uri: "/api/v1/obligations?description=Named%20sources", method: .get, headers: headers) {
                    String(buffer: $0.body)
                }
                #expect(filtered.contains("secret-ob") == sees, "filter as \(role.rawValue)")
            }
        }
    }

    @Test func writesAnswerWithAReceiptAndProblemsNameTheField() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let registrar = try await store.createToken(role: .registrar, party: nil).secret
        let key = try Ed25519NoteVerifier(verifierKey: store.verifierKey)
        let app = Application(router: AssayApplication.router(store: store))
        var headers = HTTPFields()
        headers[.authorization] = "Bearer \(registrar)"
        let h = headers
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/parties", method: .post, headers: h, body: ByteBuffer(string: Self.party("receipt-co"))) { r in
                #expect(r.status == .created)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
                let note = try SignedNote(try #require(body["checkpoint"] as? String))
                #expect(try note.verify(with: [key]).count == 1)
                let cp = try Checkpoint(body: note.text)
                let index = try #require(body["index"] as? Int)
                let proof = (body["inclusionProof"] as? [String] ?? []).compactMap(TreeHash.init(base64:))
                let entry = try #require(try await store.entries(Int64(index + 1)...Int64(index + 1)).first)
                #expect(MerkleVerifier.verifyInclusion(leaf: MerkleHasher.leaf(entry.bytes), index: index, size: cp.size, proof: proof, root: cp.root))
            }
            try await client.execute(uri: "/api/v1/parties", method: .post, headers: h, body: ByteBuffer(string: Self.party("receipt-co"))) { r in
                #expect(r.status == .conflict)
            }
            try await client.execute(uri: "/api/v1/parties", method: .post, headers: h,
                                     body: ByteBuffer(string: #"{"id":"x","name":"X","kind":"company","country":"ZZ"}"#)) { r in
                #expect(r.status == .unprocessableContent)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
                #expect(body["field"] as? String == "country" && r.headers[.contentType] == "application/problem+json")
            }
            try await client.execute(uri: "/api/v1/grants", method: .post, headers: h, body: ByteBuffer(string:
                #"{"id":"clash","agreement":"drc-kobold-2025","beneficiary":"us","rights":["extract"],"exclusivity":"exclusive","minerals":["lithium"],"area":{"provinces":["CD-TA"]}}"#)) { r in
                #expect(r.status == .conflict && String(buffer: r.body).contains("dathcom-pr-13359"))
            }
            try await client.execute(uri: "/api/v1/parties", method: .post, headers: h,
                                     body: ByteBuffer(string: String(repeating: "[", count: 100) + String(repeating: "]", count: 100))) { r in
                #expect(r.status == .badRequest && String(buffer: r.body).contains("nesting"))
            }
            try await client.execute(uri: "/api/v1/parties", method: .post, headers: h,
                                     body: ByteBuffer(string: "\"" + String(repeating: "a", count: 2 << 20) + "\"")) { r in
                #expect(r.status == .contentTooLarge)
            }
        }
    }
}
