import AssayDomain
import AssayServer
import AssayStore
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Hummingbird
import HummingbirdTesting
import Testing

/// Anyone can watch: the Atom feed and the JSON list of entries, filtered by the keys they touch.
@Suite("Feeds of entries, filtered")
struct FeedAPITests {
    /// The feed parsed as XML, checked for what RFC 4287 requires of a feed and its entries.
    static func atom(_ text: String) throws -> [(id: String, title: String, categories: [String])] {
        let doc = try XMLDocument(xmlString: text, options: [])
        let feed = try #require(doc.rootElement())
        #expect(feed.name == "feed" && feed.uri == "http://www.w3.org/2005/Atom")
        for required in ["id", "title", "updated", "author"] { #expect(feed.elements(forName: required).count == 1, "feed/\(required)") }
        var out: [(String, String, [String])] = []
        for entry in feed.elements(forName: "entry") {
            for required in ["id", "title", "updated", "content"] { #expect(entry.elements(forName: required).count == 1, "entry/\(required)") }
            let updated = entry.elements(forName: "updated").first?.stringValue ?? ""
            #expect(updated.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"#, options: .regularExpression) != nil, "\(updated)")
            let content = entry.elements(forName: "content").first?.stringValue ?? ""
            #expect((try? JSONParser.parse(content)) != nil, "the content is the command's JSON")
            out.append((entry.elements(forName: "id").first?.stringValue ?? "", entry.elements(forName: "title").first?.stringValue ?? "",
                        entry.elements(forName: "category").compactMap { c in c.attributes?.first { $0.name == "term" }?.stringValue }))
        }
        return out
    }

    @Test func feedsFilterPageAndFollowWrites() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let headers = try await APITests.registrarHeaders(store)
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            var firstPage: [String] = []
            var next = 0
            try await client.execute(uri: "/feeds/entries.atom?party=gecamines&limit=3", method: .get) { r in
                #expect(r.status == .ok && r.headers[.contentType] == "application/atom+xml; charset=utf-8")
                let text = String(buffer: r.body)
                let entries = try Self.atom(text)
                #expect(entries.count == 3)
                for e in entries { #expect(e.categories.contains("party:gecamines"), "\(e)") }
                firstPage = entries.map(\.id)
                let m = text.range(of: #"before=(\d+)"#, options: .regularExpression).map { String(text[$0].dropFirst(7)) }
                next = Int(m ?? "") ?? 0
            }
            #expect(next > 0)
            try await client.execute(uri: "/feeds/entries.atom?party=gecamines&limit=3&before=\(next)", method: .get) { r in
                let entries = try Self.atom(String(buffer: r.body))
                #expect(!entries.isEmpty && Set(entries.map(\.id)).isDisjoint(with: firstPage))
                for e in entries { #expect(Int(e.id.split(separator: ":").last ?? "") ?? .max < next) }
            }
            // Several filters: every one must hold. The province comes from where the registry places the site.
            try await client.execute(uri: "/api/v1/entries?type=register-site&province=CD-LU&mineral=cobalt&limit=200", method: .get) { r in
                let items = try APITests.object(r)["items"] as? [[String: Any]] ?? []
                let ids = items.compactMap { ($0["command"] as? [String: Any])?["id"] as? String }
                #expect(ids.contains("kisanfu") && ids.contains("tenke-fungurume"), "\(ids)")
                #expect(!ids.contains("bisie") && !ids.contains("rubaya"))
                for i in items { #expect((i["keys"] as? [String])?.contains("mineral:cobalt") == true) }
            }
            try await client.execute(uri: "/api/v1/entries?province=CD-NK&type=register-site&limit=200", method: .get) { r in
                let ids = (try APITests.object(r)["items"] as? [[String: Any]] ?? []).compactMap { ($0["command"] as? [String: Any])?["id"] as? String }
                #expect(ids.contains("bisie") && !ids.contains("kisanfu"), "\(ids)")
            }
            // A new write is at the top of its feed at once.
            try await client.execute(uri: "/api/v1/parties", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"id":"feed-co","name":"Feed Co","kind":"company","country":"CD"}"#)) { r in #expect(r.status == .created) }
            try await client.execute(uri: "/feeds/entries.atom?limit=1", method: .get) { r in
                let entries = try Self.atom(String(buffer: r.body))
                #expect(entries.first?.title == "register-party feed-co")
            }
            try await client.execute(uri: "/api/v1/entries?party=feed-co", method: .get) { r in
                let items = try APITests.object(r)["items"] as? [[String: Any]] ?? []
                #expect(items.count == 1)
            }
            // Bad filters: named.
            for (query, field) in [("limit=0", "limit"), ("limit=x", "limit"), ("before=-1", "before"), ("color=red", "color"), ("party=", "party"),
                                   // 150 characters but 300 code points (each o with a combining accent): JSON Schema counts code points.
                                   ("party=" + String(repeating: "o%CC%81", count: 150), "party")] {
                try await client.execute(uri: "/api/v1/entries?\(query)", method: .get) { r in
                    let f = try APITests.object(r)["field"] as? String
                    #expect(r.status == .badRequest && f == field, "\(query)")
                }
            }
        }
    }
}
