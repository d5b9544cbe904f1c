import AssayDomain
import AssayIngest
import AssayServer
import AssayStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The negotiation record, joint bodies, linked agreements and name variants, on the demo")
struct DealRecordAPITests {
    func ids(_ r: TestResponse) throws -> [String] { (try APITests.object(r)["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }

    @Test func theTimelineFiltersAndTheBalanceShowsLinkedObligations() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let registrar = try await APITests.registrarHeaders(store)
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            // Per agreement, oldest first; the decision names the joint body and the reserve it designated.
            try await client.execute(uri: "/api/v1/timeline?agreement=us-drc-spa-2025", method: .get) { r in
                let got = try ids(r)
                #expect(got == ["ev-2025-04-03-boulos", "ev-2026-01-shortlist", "ev-2026-02-04-designation"])
                let decision = (try APITests.object(r)["items"] as? [[String: Any]])?.last
                #expect(decision?["actors"] as? [String] == ["spa-joint-steering-committee"] && decision?["changes"] as? [String] == ["spa-reserve-initial-2026-02"])
            }
            try await client.execute(uri: "/api/v1/timeline?kind=lobbying", method: .get) { r in
                let got = try ids(r)
                #expect(got == ["ev-2025-02-21-lobbying", "ev-2025-03-denham-lobbying"])
            }
            try await client.execute(uri: "/api/v1/timeline?party=rw", method: .get) { r in let got = try ids(r)
                #expect(got == ["ev-2025-03-18-doha"]) }
            try await client.execute(uri: "/api/v1/timeline?party=massad-boulos&kind=meeting,statement&from=2025-04-02", method: .get) { r in
                let got = try ids(r)
                #expect(got == ["ev-2025-04-03-boulos"])
            }
            try await client.execute(uri: "/api/v1/timeline?until=2025-02-09", method: .get) { r in
                let got = try ids(r)
                #expect(got == ["ev-2025-01-prince", "ev-2025-02-08-letter"])
                let first = (try APITests.object(r)["items"] as? [[String: Any]])?.first
                #expect(first?["dateText"] as? String == "2025-01")
            }
            // The API refuses an empty value (the portal's form leaves empty fields out).
            try await client.execute(uri: "/api/v1/timeline?from=", method: .get) { r in
                let field = try APITests.object(r)["field"] as? String
                #expect(r.status == .badRequest && field == "from")
            }
            try await client.execute(uri: "/timeline?from=&party=&agreement=us-drc-spa-2025&lang=en", method: .get) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/api/v1/timeline?kind=gossip", method: .get) { r in
                let field = try APITests.object(r)["field"] as? String
                #expect(r.status == .badRequest && field == "kind")
            }
            // A decision by a party that is not a joint body is refused, naming the field.
            try await client.execute(uri: "/api/v1/events", method: .post, headers: registrar, body: ByteBuffer(string:
                #"{"id":"bad-decision","kind":"decision","date":"2026-03-01","title":"T","actors":["cd"],"synthetic":true}"#)) { r in
                let field = try APITests.object(r)["field"] as? String
                #expect(r.status == .unprocessableContent && field == "actors[0]")
            }
            // The portal's timeline, in both languages, filtered.
            for (lang, word) in [("en", "decision"), ("fr", "décision")] {
                try await client.execute(uri: "/timeline?agreement=us-drc-spa-2025&lang=\(lang)", method: .get) { r in
                    let page = String(buffer: r.body)
                    #expect(r.status == .ok && page.contains("id=\"event-ev-2026-02-04-designation\"") && page.contains(word) && !page.contains("event-ev-2025-03-18-doha"))
                    #expect(page.contains("Joint Steering Committee of the US–DRC Strategic Partnership Agreement"))
                }
            }
            // The partnership's balance shows what Rwanda owes under the peace agreement it is linked to through the Accords.
            try await client.execute(uri: "/api/v1/reports/balance?agreement=us-drc-spa-2025&as-of=2026-01-01", method: .get) { r in
                let linked = try APITests.object(r)["linked"] as? [[String: Any]] ?? []
                #expect(linked.map { $0["agreement"] as? String } == ["washington-accords-2025", "drc-rwanda-peace-2025"])
                #expect(linked.last?["relation"] as? String == "paired-with → implements")
                let withdrawal = (linked.last?["obligations"] as? [[String: Any]])?.first { $0["obligation"] as? String == "rw-troop-withdrawal-2025" }
                #expect(withdrawal?["overdue"] as? Bool == true)
            }
            try await client.execute(uri: "/agreements/us-drc-spa-2025?lang=en", method: .get) { r in
                let page = String(buffer: r.body)
                #expect(page.contains("id=\"linked\"") && page.contains("Disengagement and withdrawal of Rwandan") && page.contains("href=\"/timeline?agreement=us-drc-spa-2025&amp;lang=en\""))
            }
            // Sources that disagree: both sides, and what the registry uses.
            try await client.execute(uri: "/api/v1/conflicts", method: .get) { r in
                let groups = try APITests.object(r)["items"] as? [[String: Any]] ?? []
                #expect(groups.map { "\($0["subject"] as? String ?? "")/\($0["field"] as? String ?? "")" } == ["ev-2025-03-16-visit/date", "ronny-jackson/role"])
                #expect(groups.map { $0["used"] as? String } == ["claim-jackson-date-16", "claim-jackson-not-envoy"])
                #expect(groups.allSatisfy { ($0["claims"] as? [Any])?.count == 2 && $0["conflicting"] as? Bool == true })
            }
            try await client.execute(uri: "/conflicts?lang=fr", method: .get) { r in
                let page = String(buffer: r.body)
                #expect(page.contains("Special envoy of President Trump") && page.contains("Not a special envoy") && page.contains("retenue par le registre"))
            }
            try await client.execute(uri: "/api/v1/claims", method: .post, headers: registrar, body: ByteBuffer(string:
                #"{"id":"claim-x","subject":"ronny-jackson","field":"role","value":"Envoy","source":"https://example.org/x","confidence":"low","used":true,"reason":"r"}"#)) { r in
                let field = try APITests.object(r)["field"] as? String
                #expect(r.status == .unprocessableContent && field == "used")
            }
            try await client.execute(uri: "/api/v1/claims", method: .post, headers: registrar, body: ByteBuffer(string:
                #"{"id":"claim-y","subject":"nobody","field":"role","value":"Envoy","source":"https://example.org/x","confidence":"low"}"#)) { r in
                let field = try APITests.object(r)["field"] as? String
                #expect(r.status == .unprocessableContent && field == "subject")
            }
            // Aggregates say what they cover: cobalt's shares against the national total, with what is not registered.
            try await client.execute(uri: "/api/v1/reports/ownership?as-of=2026-06-01", method: .get) { r in
                let rows = try APITests.object(r)["capacity"] as? [[String: Any]] ?? []
                let cobalt = rows.first { $0["mineral"] as? String == "cobalt" }?["coverage"] as? [String: Any]
                #expect(cobalt?["nationalTonnes"] as? String == "170000" && cobalt?["year"] as? Int == 2023)
                let ofNational = cobalt?["countrySharesOfNational"] as? [String: String] ?? [:]
                #expect(ofNational["not registered"] != nil && (Double(ofNational["CN"] ?? "1") ?? 1) < 0.8, "\(ofNational)")
                let tin = rows.first { $0["mineral"] as? String == "tin" }?["coverage"] as? [String: Any]
                #expect((tin?["note"] as? String)?.contains("no national total") == true)
            }
            try await client.execute(uri: "/api/v1/reports/coverage?as-of=2026-06-01", method: .get) { r in
                let copper = (try APITests.object(r)["minerals"] as? [[String: Any]] ?? []).first { $0["mineral"] as? String == "copper" }
                // Kamoa-Kakula's 437,061 t and KCC's 270,000 t are registered now, against 2.9 Mt.
                #expect((Double(copper?["registeredTonnes"] as? String ?? "0") ?? 0) >= 707_061 && copper?["nationalTonnes"] as? String == "2900000")
            }
            // Supply at risk says it too, month by month: tantalum has no national total, so its coverage is unknown.
            try await client.execute(uri: "/api/v1/reports/supply?from=2025-01-01&until=2025-03-01", method: .get) { r in
                let body = try APITests.object(r)
                let ta = (body["tantalum"] as? [[String: Any]])?.first
                #expect((ta?["coverage"] as? String)?.contains("unknown") == true, "\(String(describing: ta))")
                // For 2025, the latest national total up to that year applies: copper's of 2024.
                let cu = (body["copper"] as? [[String: Any]])?.first
                #expect(cu?["nationalTonnes"] as? String == "2900000" && cu?["heldShareOfNational"] != nil, "\(String(describing: cu))")
            }
            for (lang, heading) in [("en", "What the registry covers"), ("fr", "Ce que couvre le registre")] {
                try await client.execute(uri: "/supply?lang=\(lang)", method: .get) { r in
                    let page = String(buffer: r.body)
                    #expect(page.contains(heading) && page.contains("id=\"coverage\"") && page.contains("2900000 t (2024)"), "\(lang)")
                }
            }
            // A joint body's page lists its members and links its record; a party's page its name variants.
            try await client.execute(uri: "/parties/spa-joint-steering-committee?lang=en", method: .get) { r in
                let page = String(buffer: r.body)
                #expect(page.contains("<th>members</th>") && page.contains("United States") && page.contains("/timeline?party=spa-joint-steering-committee&amp;lang=en"))
            }
            try await client.execute(uri: "/parties/pierre-kanda-kalambayi?lang=fr", method: .get) { r in
                #expect(String(buffer: r.body).contains("Pierre Kandi Kalambayi"))
            }
            // Name variants the sources use find the same party.
            for needle in ["Kandi", "Kanda", "Marc%20Rubio"] {
                try await client.execute(uri: "/search?q=\(needle)&lang=en", method: .get) { r in
                    let page = String(buffer: r.body)
                    #expect(page.contains(needle.hasPrefix("Marc") ? "marco-rubio" : "pierre-kanda-kalambayi"), "\(needle)")
                }
            }
        }
    }
}
