import AssayDomain
import AssayIngest
import AssayReports
import AssayServer
import AssayStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TransparencyLog

@Suite("The custody API: events, batches, traces, buyer's reports, royalties")
struct CustodyAPITests {
    func json(_ r: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
    }

    static func signed(_ party: String, _ fields: [String: JSONValue]) throws -> String {
        CanonicalJSON.string(.object(try DemoSet.demoKey(party)!.sign(json: .object(fields)).json))
    }

    @Test func eventsAreIdempotentSignedAndOwnPartyOnly() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let kcc = try await store.createToken(role: .operator, party: "kcc").secret
        let app = Application(router: AssayApplication.router(store: store))
        var h = HTTPFields()
        h[.authorization] = "Bearer \(kcc)"
        let headers = h
        let event = try Self.signed("kcc", ["id": "api-w-1", "kind": "weighing", "time": "2025-03-01T00:00:00.000Z", "lot": "KCC-HYD-2025-0001-B", "massKg": "16000"])
        try await app.test(.router) { client in
            var entry = 0
            try await client.execute(uri: "/api/v1/custody-events", method: .post, headers: headers, body: ByteBuffer(string: event)) { r in
                #expect(r.status == .created)
                let body = try json(r)
                entry = body["entry"] as? Int ?? 0
                // 15,000 kg weighed as 16,000: over the 1% weighing tolerance.
                #expect((body["flags"] as? [[String: Any]])?.first?["rule"] as? String == "custody.mass-gain")
                #expect(body["alreadyRecorded"] as? Bool == false)
            }
            try await client.execute(uri: "/api/v1/custody-events", method: .post, headers: headers, body: ByteBuffer(string: event)) { r in
                #expect(r.status == .ok)
                let body = try json(r)
                #expect(body["entry"] as? Int == entry && body["alreadyRecorded"] as? Bool == true)
            }
            // Another party's event, even correctly signed by that party: not with KCC's token.
            let bisie = try Self.signed("alphamin-bisie", ["id": "api-w-2", "kind": "weighing", "time": "2025-03-13T00:00:00.000Z", "lot": "BIS-2025-0002", "massKg": "18000"])
            try await client.execute(uri: "/api/v1/custody-events", method: .post, headers: headers, body: ByteBuffer(string: bisie)) { r in
                #expect(r.status == .forbidden)
            }
            // KCC's token, KCC's party, but signed with another key: refused by the store, naming the field.
            var forged = try #require(try JSONParser.parse(bisie).objectMembers)
            var ev = try #require(forged["event"]?.objectMembers)
            ev["party"] = "kcc"; ev["key"] = "kcc-demo-key"; ev["lot"] = "KCC-HYD-2025-0001-B"
            forged["event"] = .object(ev)
            let size = try await store.journalSize()
            try await client.execute(uri: "/api/v1/custody-events", method: .post, headers: headers, body: ByteBuffer(string: CanonicalJSON.string(.object(forged)))) { r in
                #expect(r.status == .unprocessableContent)
                let body = try json(r)
                #expect((body["type"] as? String)?.hasSuffix("/bad-signature") == true && body["field"] as? String == "signature", "\(body)")
            }
            #expect(try await store.journalSize() == size)
            // A batch: good lines kept, bad ones reported by line, nothing stops.
            let good = try Self.signed("kcc", ["id": "api-w-3", "kind": "weighing", "time": "2025-03-02T00:00:00.000Z", "lot": "KCC-HYD-2025-0001-B", "massKg": "16010"])
            let reused = try Self.signed("kcc", ["id": "api-x-4", "kind": "extraction", "time": "2025-03-02T00:00:00.000Z", "site": "kamoto-kcc",
                                                 "lot": ["id": "KCC-2025-0001", "mineral": "cobalt", "massKg": "1"]])
            let batch = [good, "{not json", reused, event].joined(separator: "\n")
            try await client.execute(uri: "/api/v1/batch", method: .post, headers: headers, body: ByteBuffer(string: batch)) { r in
                #expect(r.status == .ok)
                let body = try json(r)
                let results = body["results"] as? [[String: Any]] ?? []
                #expect(results.map { $0["status"] as? String ?? "" } == ["accepted", "refused", "refused", "already-recorded"], "\(results)")
                #expect(results.map { $0["line"] as? Int ?? 0 } == [1, 2, 3, 4])
                #expect(results[2]["type"] as? String == "duplicate-tag" && results[2]["field"] as? String == "event.lot.id")
                #expect(body["accepted"] as? Int == 2 && body["refused"] as? Int == 2)
            }
        }
    }

    @Test func traceReportAndRoyaltiesCheckOut() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let app = Application(router: AssayApplication.router(store: store))
        let logKey = try Ed25519NoteVerifier(verifierKey: store.verifierKey)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/lots/GOM-2024-B01/trace", method: .get) { r in
                #expect(r.status == .ok)
                let body = try json(r)
                #expect(body["allSignaturesVerified"] as? Bool == true)
                let rules = Set((body["flags"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String })
                #expect(rules == ["custody.mass-gain", "custody.export-exceeds-receipts", "custody.untraceable-export-to-neighbour"])
                let origins = body["origins"] as? [[String: Any]] ?? []
                #expect(origins.count == 1 && origins[0]["site"] as? String == "rubaya" && origins[0]["concession"] == nil)
            }
            // The buyer's report: every event's bundle verifies against the signed checkpoint and carries that event.
            try await client.execute(uri: "/api/v1/lots/KCC-HYD-2025-0001-A/report", method: .get) { r in
                #expect(r.status == .ok)
                let body = try json(r)
                let proofs = body["proofs"] as? [[String: Any]] ?? []
                #expect(proofs.count == 5)
                for p in proofs {
                    let bundle = try ProofBundle(text: try #require(p["bundle"] as? String))
                    _ = try bundle.verify(logKey: logKey)
                    let entry = try JournalEntry(bytes: try #require(bundle.extra))
                    guard case .custodyEvent(let s) = entry.command else { Issue.record("not an event"); continue }
                    #expect(s.event.id == p["event"] as? String)
                }
                #expect((body["keyProofs"] as? [Any])?.count == 2)
                let royalties = body["royalties"] as? [[String: Any]] ?? []
                #expect(royalties.first?["status"] as? String == "paid")
                #expect(Set((body["flags"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }) == ["royalty.underpaid"])
            }
            try await client.execute(uri: "/api/v1/reports/royalties", method: .get) { r in
                let body = try json(r)
                let payers = body["byPayer"] as? [[String: Any]] ?? []
                let kcc = try #require(payers.first { $0["payer"] as? String == "kcc" })
                #expect((kcc["due"] as? [String: Any])?["amount"] as? String == "21000")
                #expect((kcc["gap"] as? [String: Any])?["amount"] as? String == "6000")
            }
            try await client.execute(uri: "/api/v1/reports/eiti?format=csv", method: .get) { r in
                let text = String(buffer: r.body)
                #expect(r.headers[.contentType]?.hasPrefix("text/csv") == true)
                #expect(text.contains("kcc,Kamoto Copper Company SA,royalty,kamoto-kcc,USD,15000,1,2025-03-10,2025-03-10"))
            }
            try await client.execute(uri: "/lots/GOM-2024-B01?lang=en", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(r.status == .ok)
                #expect(html.contains("<svg id=\"lot-graph\""))
                #expect(html.components(separatedBy: "class=\"lot").count - 1 == 3)
                #expect(html.contains("custody.untraceable-export-to-neighbour"))
                #expect(html.contains("no title registered"))
            }
            try await client.execute(uri: "/api/v1/lots/NO-SUCH-LOT/trace", method: .get) { r in #expect(r.status == .notFound) }
        }
    }
}

@Suite("The risk API and portal: who held the ground, red flags, supply at risk, the map on a day")
struct RiskAPITests {
    func json(_ r: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
    }

    @Test func everyLotsRiskComesAPageAtATime() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let whole = try await AssayReports.RiskReports.allLots(store)
        guard case .object(let m) = whole, case .array(let all)? = m["lots"] else { Issue.record("no lots in the report"); return }
        let expected = all.compactMap { v -> String? in if case .object(let o) = v, case .string(let id)? = o["lot"] { id } else { nil } }
        #expect(!expected.isEmpty)
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            var seen: [String] = [], after: String?, pages = 0, scanned = 0
            repeat {
                let uri = "/api/v1/reports/risk?limit=3" + (after.map { "&after=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? "")
                try await client.execute(uri: uri, method: .get) { r in
                    #expect(r.status == .ok)
                    let body = try json(r)
                    let n = body["scanned"] as? Int ?? 0
                    #expect(n <= 3)
                    scanned += n
                    seen += (body["lots"] as? [[String: Any]] ?? []).compactMap { $0["lot"] as? String }
                    after = body["next"] as? String
                }
                pages += 1
            } while after != nil && pages < 1000
            // Walking the pages gives exactly the whole report, in the same order.
            #expect(seen == expected)
            #expect(pages > 1)
            #expect(scanned == (try await store.lots(after: nil, limit: 100_000)).count)
            for bad in ["limit=0", "limit=1001", "limit=x", "after="] {
                try await client.execute(uri: "/api/v1/reports/risk?\(bad)", method: .get) { r in
                    #expect(r.status == .badRequest, "\(bad)")
                    #expect(String(buffer: r.body).contains(bad.hasPrefix("limit") ? "limit" : "after"))
                }
            }
        }
    }

    @Test func controlFlagsSupplyAndTheMapForADay() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/control?lat=-1.6741&lon=29.2285&date=2025-02-01", method: .get) { r in
                let holders = try json(r)["holders"] as? [[String: Any]] ?? []
                #expect(holders.first?["assessment"] as? String == "demo-m23-goma" && holders.first?["kind"] as? String == "non-state")
            }
            try await client.execute(uri: "/api/v1/control?lat=-1.6741&lon=29.2285&date=2025-01-20", method: .get) { r in
                let holders = try json(r)["holders"] as? [Any]
                #expect(holders?.isEmpty == true)
            }
            try await client.execute(uri: "/api/v1/control?lat=abc", method: .get) { r in #expect(r.status == .badRequest) }
            try await client.execute(uri: "/api/v1/reports/risk?lot=GOM-2024-B01", method: .get) { r in
                let rules = (try json(r)["flags"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
                // OECD, custody and royalty flags in one list.
                #expect(rules.contains("oecd.origin-nonstate-control") && rules.contains("custody.mass-gain") && rules.contains("royalty.underpaid"))
            }
            try await client.execute(uri: "/api/v1/reports/supply?from=2025-01-01&until=2025-06-01", method: .get) { r in
                let tin = try json(r)["tin"] as? [[String: Any]] ?? []
                #expect(tin.count == 5 && tin[2]["haltedTonnes"] as? String == "17300")
            }
            try await client.execute(uri: "/map?date=2025-02-20&lang=en", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("data-id=\"demo-m23-goma\"") && html.contains("data-id=\"demo-m23-bukavu\"") && !html.contains("data-id=\"demo-m23-walikale"))
                #expect(html.contains("type=\"range\" name=\"month\""))
            }
            try await client.execute(uri: "/map?date=2025-03-25", method: .get) { r in
                #expect(String(buffer: r.body).contains("data-id=\"demo-m23-walikale-centre\""))
            }
            try await client.execute(uri: "/map?month=9999", method: .get) { r in #expect(r.status == .badRequest) }
            // The lot's report and page carry its OECD flags with the rest; the site page its control and visits.
            try await client.execute(uri: "/api/v1/lots/GOM-2024-B01/report", method: .get) { r in
                let rules = (try json(r)["flags"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
                #expect(rules.first == "oecd.origin-nonstate-control" && rules.contains("custody.mass-gain"))
            }
            try await client.execute(uri: "/lots/GOM-2024-B01?lang=en", method: .get) { r in
                #expect(String(buffer: r.body).contains("oecd.origin-nonstate-control"))
            }
            try await client.execute(uri: "/parties/demo-comptoir-goma?lang=en", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("id=\"risk-flags\"") && html.contains("oecd.origin-nonstate-control"))
            }
            try await client.execute(uri: "/agreements/us-drc-spa-2025?lang=en", method: .get) { r in
                #expect(String(buffer: r.body).contains("id=\"exposure\""))
            }
            try await client.execute(uri: "/sites/rubaya?lang=en", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("id=\"control\"") && html.contains("demo-m23-rubaya") && html.contains("id=\"visits\"") && html.contains("id=\"risk-flags\""))
            }
            try await client.execute(uri: "/supply?lang=en", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("id=\"supply-tin\"") && html.contains("id=\"supply-tantalum\""))
            }
        }
    }
}

extension JSONValue {
    var objectMembers: [String: JSONValue]? { if case .object(let m) = self { m } else { nil } }
}
