import AssayDomain
import AssayIngest
import AssayStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
@testable import AssayServer

@Suite("Portal templates and list scans")
struct ServerInternalsTests {
    @Test func everyTemplateCompilesAndABrokenOneIsNamed() throws {
        let lib = try PortalTemplateOracle.compile()
        for (name, _) in PortalTemplateOracle.templates { #expect(lib.getTemplate(named: name) != nil, "\(name)") }
        do {
            _ = try PortalTemplateOracle.compile([("fine", "<p>{{x}}</p>"), ("broken", "<p>{{#open}}never closed</p>")])
            Issue.record("a template that does not compile was accepted")
        } catch let e as PortalTemplateOracle.TemplateError {
            #expect(e.name == "broken" && e.description.contains("broken"))
        }
    }

    @Test func aFilteredScanThatStopsEarlyAnswersACursorAndFollowingItFindsEverything() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        var limits = ServerLimits.unlimited
        limits.listScanLimit = 100
        let app = Application(router: AssayApplication.router(store: store, limits: limits))
        try await app.test(.router) { client in
            func page(_ uri: String) async throws -> (ids: [String], next: String?) {
                try await client.execute(uri: uri, method: .get) { r in
                    let body = try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
                    return ((body["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }, body["next"] as? String)
                }
            }
            // Every site, unfiltered, to know the answer.
            var all: [String] = [], after: String? = nil
            repeat {
                let p = try await page("/api/v1/sites?limit=1000" + (after.map { "&after=\($0)" } ?? ""))
                all += p.ids
                after = p.next
            } while after != nil
            #expect(all.count > 300)
            // Filtered: few matches spread over the whole list; a page may stop early with a cursor.
            var found: [String] = [], shortPagesWithCursor = 0, pages = 0
            after = nil
            repeat {
                let p = try await page("/api/v1/sites?kind=industrial-mine&limit=50" + (after.map { "&after=\($0)" } ?? ""))
                found += p.ids
                if p.ids.count < 50, p.next != nil { shortPagesWithCursor += 1 }
                if let n = p.next, let a = after { #expect(n > a) }
                after = p.next
                pages += 1
            } while after != nil && pages < 1000
            #expect(shortPagesWithCursor > 0, "the scan limit never cut a page short")
            // The answer: every site of that kind, in the store's order.
            var expected: [String] = []
            for id in all {
                guard let r = try await store.find(id), case .object(let m) = r.json, m["kind"] == .string("industrial-mine") else { continue }
                expected.append(id)
            }
            #expect(!expected.isEmpty && found == expected)
        }
    }
}
