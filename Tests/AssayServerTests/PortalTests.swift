import AssayServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@Suite("The portal, rendered on the server")
struct PortalTests {
    @Test func pagesRenderInFrenchAndEnglishWithTheData() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            try await client.execute(uri: "/", method: .get, headers: [.acceptLanguage: "en-GB,en;q=0.9"]) { r in
                let html = String(buffer: r.body)
                #expect(r.status == .ok && r.headers[.contentLanguage] == "en")
                #expect(html.contains("Recent entries") && html.contains("assay.local") == false && html.contains("api.local/registry"))
            }
            try await client.execute(uri: "/", method: .get) { r in
                #expect(r.headers[.contentLanguage] == "fr" && String(buffer: r.body).contains("Entrées récentes"))
            }
            try await client.execute(uri: "/agreements/sicomines-2024-amendment?lang=en", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(html.components(separatedBy: "class=\"obligation\"").count - 1 == 3)
                #expect(html.contains("role=\"progressbar\"") && html.contains("id=\"balance-chart\"") && html.contains("overdue"))
                #expect(html.contains("synthetic (illustrative"))
            }
            try await client.execute(uri: "/agreements/us-drc-spa-2025", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("Contesté") && html.contains("drc-kobold-roche-dure"))
            }
            try await client.execute(uri: "/map", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(html.components(separatedBy: "<circle class=\"site").count - 1 == 691)
                #expect(html.components(separatedBy: "class=\"province\"").count - 1 == 26)
            }
            try await client.execute(uri: "/search?q=manono", method: .get) { r in
                #expect(String(buffer: r.body).contains("dathcom-jv-manono"))
            }
            try await client.execute(uri: "/concessions/kfm-pe-661?lang=en", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("id=\"ownership-chain\"") && html.contains("CN: 95.00%") && html.contains("CD: 5.00%"))
            }
            try await client.execute(uri: "/parties/kcc", method: .get) { r in
                #expect(String(buffer: r.body).contains("Glencore"))
            }
            try await client.execute(uri: "/sites/bisie?lang=fr", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(html.contains("Cassitérite") && html.contains("Nord-Kivu (CD-NK)"))
            }
            try await client.execute(uri: "/agreements/nothing", method: .get) { r in #expect(r.status == .notFound) }
            // Text from the data is escaped.
            try await client.execute(uri: "/search?q=%3Cscript%3E", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(!html.contains("<script>") && html.contains("&lt;script&gt;"))
            }
        }
    }
}
