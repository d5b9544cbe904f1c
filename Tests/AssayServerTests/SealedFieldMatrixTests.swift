import AssayDomain
import AssayIngest
import AssayServer
import AssayStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TransparencyLog

/// Every read route × every role × every sealed field: what the public and operators may not read never
/// leaves the server, not in a record, a list, a filter's answer, a search, a report, an export or a
/// page; auditors and registrars read it.
@Suite("Sealed fields: every read route × every role")
struct SealedFieldMatrixTests {
    /// Distinct markers, one per sealed field, that appear nowhere else in the registry.
    static let markers: [String: String] = [
        "obligation.description": "SEALED-DESC-7d1f",
        "obligation.quantity": "drones-XQ",
        "obligation.value": "4242424",
        "obligation.sources": "sealed-src.example",
        "delivery.note": "SEALED-NOTE-9b2",
        "delivery.evidence": String(repeating: "e7", count: 32),
        "document.url": "sealed-doc.example",
        "document.title": "SEALED-TITLE-31c",
    ]

    static let secretCommands: [(String, String)] = [
        ("/api/v1/obligations", #"{"id":"sealed-ob","agreement":"us-drc-security-mou-2025","obligor":"us","beneficiary":"cd","kind":"equipment","description":"SEALED-DESC-7d1f","quantity":{"amount":"17","unit":"drones-XQ"},"value":{"amount":"4242424","currency":"USD"},"due":"2026-01-01","sources":["https://sealed-src.example/a"],"confidential":true}"#),
        ("/api/v1/deliveries", #"{"id":"sealed-del","obligation":"sealed-ob","date":"2025-12-01","quantity":{"amount":"5","unit":"drones-XQ"},"note":"SEALED-NOTE-9b2","evidence":["\#(String(repeating: "e7", count: 32))"]}"#),
        ("/api/v1/agreements", #"{"id":"sealed-deal","title":"An annex","kind":"minerals-for-security","status":"signed","signed":"2025-12-04","parties":[{"party":"cd","role":"grantor"},{"party":"us","role":"grantee"}],"documents":[{"sha256":"\#(String(repeating: "ab", count: 32))","url":"https://sealed-doc.example/annex.pdf","title":"SEALED-TITLE-31c","confidential":true}]}"#),
    ]

    /// Read routes, and for each the markers an auditor must see there (the public must see none anywhere).
    static let routes: [(uri: String, auditorSees: [String])] = [
        ("/api/v1/obligations?limit=1000", ["obligation.description", "obligation.value"]),
        ("/api/v1/obligations/sealed-ob", ["obligation.description", "obligation.quantity", "obligation.value", "obligation.sources"]),
        ("/api/v1/obligations?description=SEALED-DESC-7d1f", ["obligation.description"]),
        ("/api/v1/obligations?sources=https://sealed-src.example/a", ["obligation.sources"]),
        ("/api/v1/obligations?confidential=true", ["obligation.description"]),
        ("/api/v1/deliveries?limit=1000", ["delivery.note"]),
        ("/api/v1/deliveries/sealed-del", ["delivery.note", "delivery.evidence", "obligation.quantity"]),
        ("/api/v1/deliveries?obligation=sealed-ob", ["delivery.note"]),
        ("/api/v1/deliveries?note=SEALED-NOTE-9b2", ["delivery.note"]),
        ("/api/v1/deliveries?evidence=\(String(repeating: "e7", count: 32))", ["delivery.evidence"]),
        ("/api/v1/agreements?limit=1000", ["document.url", "document.title"]),
        ("/api/v1/agreements/sealed-deal", ["document.url", "document.title"]),
        ("/api/v1/agreements?documents=x", []),
        ("/api/v1/reports/balance?as-of=2026-11-30", ["obligation.value"]),
        ("/api/v1/reports/balance?agreement=us-drc-security-mou-2025&as-of=2026-11-30", ["obligation.value"]),
        ("/api/v1/reports/risk?agreement=us-drc-security-mou-2025&as-of=2026-11-30", []),
        ("/api/v1/reports/risk?limit=1000", []),
        ("/api/v1/reports/owners?from=2025-01-01&until=2025-03-01", []),
        ("/api/v1/reports/eiti?format=csv", []),
        ("/api/v1/reports/eiti", []),
        ("/api/v1/reports/ownership", []),
        ("/agreements/us-drc-security-mou-2025?lang=en", ["obligation.description"]),
        ("/agreements/sealed-deal?lang=en", []),
        ("/agreements/us-drc-security-mou-2025/balance.csv", ["obligation.value"]),
        ("/supply/owners.csv", []),
        ("/agreements", []),
        ("/", []),
        ("/search?q=SEALED", []),
        ("/search?q=sealed", []),
        ("/parties/us?lang=en", []),
        ("/parties?lang=en", []),
        ("/lots", []),
        ("/log", []),
    ]

    @Test func nothingSealedLeavesTheServerForThoseWhoMayNotReadIt() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let registrar = try await store.createToken(role: .registrar, party: nil).secret
        let auditor = try await store.createToken(role: .auditor, party: nil).secret
        let op = try await store.createToken(role: .operator, party: "kcc").secret
        let tokens: [Role: String?] = [.public: nil, .auditor: auditor, .operator: op, .registrar: registrar]
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            var reg = HTTPFields()
            reg[.authorization] = "Bearer \(registrar)"
            let regHeaders = reg
            var entries: [Int] = []
            for (uri, body) in Self.secretCommands {
                try await client.execute(uri: uri, method: .post, headers: regHeaders, body: ByteBuffer(string: body)) { r in
                    #expect(r.status == .created, "\(uri): \(String(buffer: r.body))")
                    let json = try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any]
                    if let e = json?["entry"] as? Int { entries.append(e) }
                }
            }
            #expect(entries.count == 3)
            // The log's own pages show the public entries: sealed, so they too must hold no marker.
            let routes = Self.routes + entries.map { ("/log/entries/\($0)", []) }
            for (uri, auditorSees) in routes {
                for role in Role.allCases {
                    var headers = HTTPFields()
                    if let t = tokens[role] ?? nil { headers[.authorization] = "Bearer \(t)" }
                    let (status, text) = try await client.execute(uri: uri, method: .get, headers: headers) { ($0.status, String(buffer: $0.body)) }
                    #expect(status == .ok, "GET \(uri) as \(role.rawValue): \(status)")
                    if Disclosure.seesSealed(role) {
                        for field in auditorSees {
                            #expect(text.contains(Self.markers[field] ?? "?"), "GET \(uri) as \(role.rawValue) should show \(field)")
                        }
                    } else {
                        for (field, marker) in Self.markers {
                            #expect(!text.contains(marker), "GET \(uri) as \(role.rawValue) leaks \(field)")
                        }
                    }
                }
            }
            // A filter on a sealed value answers nothing to those who may not read it (no confirming a guess).
            for uri in ["/api/v1/obligations?description=SEALED-DESC-7d1f", "/api/v1/deliveries?note=SEALED-NOTE-9b2",
                        "/api/v1/obligations?sources=https://sealed-src.example/a"] {
                for role in Role.allCases {
                    var headers = HTTPFields()
                    if let t = tokens[role] ?? nil { headers[.authorization] = "Bearer \(t)" }
                    let count = try await client.execute(uri: uri, method: .get, headers: headers) { r in
                        ((try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])?["items"] as? [Any])?.count
                    }
                    #expect(count == (Disclosure.seesSealed(role) ? 1 : 0), "GET \(uri) as \(role.rawValue)")
                }
            }
            // The public still sees that the delivery exists, against which obligation, and that it is redacted.
            let publicDelivery = try await client.execute(uri: "/api/v1/deliveries?obligation=sealed-ob", method: .get) { String(buffer: $0.body) }
            #expect(publicDelivery.contains("sealed-del") && publicDelivery.contains("\"redacted\":true"))
        }
    }

    @Test func listsReturnACursorInsteadOfStoppingSilently() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            // A filter that matches nothing: following `next` must reach the end (next null) and every
            // page's cursor must move forward.
            var after: String? = nil
            var pages = 0
            repeat {
                let uri = "/api/v1/sites?kind=no-such-kind&limit=5" + (after.map { "&after=\($0)" } ?? "")
                let body = try await client.execute(uri: uri, method: .get) { r in
                    try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
                }
                #expect((body["items"] as? [Any])?.isEmpty == true)
                let next = body["next"] as? String
                if let next, let after { #expect(next > after) }
                after = next
                pages += 1
            } while after != nil && pages < 100
            #expect(after == nil)
        }
    }
}
