import AssayDomain
@testable import AssayServer
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The map that zooms, the mini-maps, the charts with their CSV, and every word in the reader's
/// language, as the server renders them (the browser tests drive the same pages in chromium).
@Suite("Portal map, charts and languages")
struct MapPageTests {
    static func get(_ client: some TestClientProtocol, _ uri: String) async throws -> (HTTPResponse.Status, String, HTTPFields) {
        try await client.execute(uri: uri, method: .get) { r in (r.status, String(buffer: r.body), r.headers) }
    }

    /// The four numbers of `data-box="x0 y0 x1 y1"` or of a `viewBox` attribute after `marker`.
    static func numbers(after marker: String, in html: String) -> [Double]? {
        guard let r = html.range(of: marker) else { return nil }
        let rest = html[r.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        let ns = rest[..<end].split(separator: " ").compactMap { Double($0) }
        return ns.count == 4 ? ns : nil
    }

    @Test func theGomaZoneShowsAtNorthKivuZoomOnTheDayItWasHeldAndNotBefore() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            let (status, held, _) = try await Self.get(client, "/map?province=CD-NK&date=2025-01-30&lang=en")
            #expect(status == .ok)
            #expect(held.contains("data-id=\"demo-m23-goma\""), "captured on 27 January 2025")
            // Drawn inside the zoomed frame, and after (above) the sites.
            let view = try #require(Self.numbers(after: "class=\"map\" viewBox=\"", in: held))
            let box = try #require(Self.numbers(after: "data-id=\"demo-m23-goma\" data-box=\"", in: held))
            #expect(box[0] >= view[0] && box[2] <= view[0] + view[2] && box[1] >= view[1] && box[3] <= view[1] + view[3], "\(box) in \(view)")
            let sites = try #require(held.range(of: "class=\"layer-sites\""))
            let zones = try #require(held.range(of: "class=\"layer-held\""))
            #expect(sites.lowerBound < zones.lowerBound)
            // The source is on hover and focus.
            #expect(held.contains("tabindex=\"0\" role=\"img\" aria-label=\"") && held.contains("Source:"))
            // North Kivu is the current province; the others are links that zoom, keeping the day and language.
            #expect(held.contains("class=\"province current\" data-province=\"CD-NK\""))
            #expect(held.contains("href=\"/map?province=CD-SK&amp;lang=en&amp;date=2025-01-30\""))
            let (_, before, _) = try await Self.get(client, "/map?province=CD-NK&date=2025-01-01&lang=en")
            #expect(!before.contains("data-id=\"demo-m23-goma\""))
            // A legend names every mark.
            #expect(held.contains("class=\"legend\""))
            // Pan and zoom come from Assay's own script, never a CDN.
            #expect(held.contains("<script src=\"/assets/map.js\"") && !held.contains("src=\"http"))
            let (jsStatus, js, jsHeaders) = try await Self.get(client, "/assets/map.js")
            #expect(jsStatus == .ok && jsHeaders[.contentType]?.contains("javascript") == true && js.contains("viewBox"))
            // The borders are referred to, not carried: one versioned document the browser keeps.
            let href = try #require(held.range(of: "href=\"/assets/provinces.svg?v=").map { r in held[r.lowerBound...].dropFirst(6).prefix { $0 != "#" } })
            let (svgStatus, svg, svgHeaders) = try await Self.get(client, String(href))
            #expect(svgStatus == .ok && svgHeaders[.contentType] == "image/svg+xml" && svgHeaders[.cacheControl]?.contains("immutable") == true)
            #expect(svg.contains("<path id=\"p-CD-NK\"") && svg.components(separatedBy: "<path id=\"p-").count - 1 == 26)
            #expect(held.count < 250_000, "\(held.count) bytes")
        }
    }

    @Test func layersSwitchWithoutJavaScriptAndBadParametersAreNamed() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            let (_, all, _) = try await Self.get(client, "/map?date=2025-03-25&lang=en")
            #expect(all.contains("class=\"layer-sites\"") && all.contains("class=\"layer-held\"") && !all.contains("class=\"layer-armed\""))
            let (_, heldOnly, _) = try await Self.get(client, "/map?date=2025-03-25&layers=1&layer=held&lang=en")
            #expect(!heldOnly.contains("class=\"layer-sites\"") && heldOnly.contains("class=\"layer-held\""))
            let (_, armed, _) = try await Self.get(client, "/map?layers=1&layer=armed&layer=sites&lang=en")
            #expect(armed.contains("class=\"layer-armed\"") && armed.contains("class=\"layer-sites\"") && !armed.contains("class=\"layer-held\""))
            let (_, box, _) = try await Self.get(client, "/map?bbox=28.9,-1.8,29.4,-1.4&lang=en")
            #expect(box.contains("class=\"map\" viewBox="))
            for (uri, field) in [("/map?province=CD-XX", "province"), ("/map?bbox=1,2,3", "bbox"), ("/map?bbox=30,-1,29,0", "bbox"),
                                 ("/map?province=CD-NK&bbox=28,-2,29,-1", "bbox"), ("/map?layer=rivers", "layer"), ("/map?date=2025-13-01", "date"),
                                 ("/supply.csv?mineral=unobtainium", "mineral"), ("/supply/owners.csv?mineral=", "mineral")] {
                let (status, body, _) = try await Self.get(client, uri)
                #expect(status == .badRequest, "\(uri)")
                #expect(body.contains("\"field\":\"\(field)\""), "\(uri): \(body)")
            }
        }
    }

    @Test func siteTitleAndAgreementPagesLocateThemOnAMiniMap() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            for uri in ["/sites/bisie?lang=fr", "/concessions/kfm-pe-661?lang=en", "/agreements/sicomines-2024-amendment?lang=en"] {
                let (status, html, _) = try await Self.get(client, uri)
                #expect(status == .ok, "\(uri)")
                #expect(html.contains("<figure class=\"mini-map\""), "\(uri)")
                #expect(html.contains("class=\"focus\""), "\(uri): the thing is marked")
                #expect(html.contains("href=\"/map?"), "\(uri): a link opens it on the big map")
            }
        }
    }

    @Test func chartsHaveAxisTitlesValuesATableAndTheirCSV() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            let (_, supply, _) = try await Self.get(client, "/supply?lang=en")
            #expect(supply.contains("id=\"supply-tin\"") && supply.contains("id=\"owner-countries\"") && supply.contains("id=\"owners-cobalt\""))
            #expect(supply.contains("class=\"axis-title\"") && supply.contains("Share of capacity"))
            #expect(supply.contains("<g class=\"col\" tabindex=\"0\""), "values on focus")
            #expect(supply.contains("<details class=\"chart-table\"><summary>The numbers as a table</summary><table>"))
            #expect(supply.contains("href=\"/supply.csv?mineral=tin\" download"))
            // The CSV has the numbers the chart drew: the tin chart's held share in its table matches the CSV's.
            let (status, csv, headers) = try await Self.get(client, "/supply.csv?mineral=tin")
            #expect(status == .ok && headers[.contentType] == "text/csv; charset=utf-8" && headers[.contentDisposition]?.contains("attachment") == true)
            let lines = csv.split(separator: "\n").map(String.init)
            #expect(lines.first == "month,mineral,capacity_tonnes_per_year,held_tonnes_per_year,halted_tonnes_per_year,held_share,halted_share,held_sites")
            #expect(lines.count > 12 && lines.dropFirst().allSatisfy { $0.split(separator: ",", omittingEmptySubsequences: false)[1] == "tin" })
            let halted = lines.dropFirst().filter { $0.hasPrefix("2025-03,") }.compactMap { Double($0.split(separator: ",", omittingEmptySubsequences: false)[6]) }
            #expect(halted == [1], "Bisie, the tin capacity, was halted in March 2025")
            let (_, coltan, _) = try await Self.get(client, "/supply.csv?mineral=tantalum")
            let held = coltan.split(separator: "\n").dropFirst().filter { $0.hasPrefix("2024-05,") }.compactMap { Double($0.split(separator: ",", omittingEmptySubsequences: false)[5]) }
            #expect(held.count == 1 && held[0] > 0, "Rubaya's coltan was on held ground from April 2024")
            let (_, owners, _) = try await Self.get(client, "/supply/owners.csv?mineral=cobalt")
            #expect(owners.hasPrefix("month,mineral,owner_country,capacity_tonnes_per_year,share\n") && owners.contains(",cobalt,CN,"))
            // Shares of one month add up to 1.
            let rows = owners.split(separator: "\n").dropFirst().map { $0.split(separator: ",").map(String.init) }
            let firstDate = try #require(rows.first?[0])
            let total = rows.filter { $0[0] == firstDate }.compactMap { Double($0[4]) }.reduce(0, +)
            #expect(abs(total - 1) < 0.001, "\(total)")
            // The agreement's balance: chart, table and CSV.
            let (_, agreement, _) = try await Self.get(client, "/agreements/sicomines-2024-amendment?lang=fr")
            #expect(agreement.contains("id=\"balance-chart\"") && agreement.contains("Dû et livré, en cumul"))
            #expect(agreement.contains("href=\"/agreements/sicomines-2024-amendment/balance.csv\" download"))
            let (bStatus, balance, _) = try await Self.get(client, "/agreements/sicomines-2024-amendment/balance.csv")
            #expect(bStatus == .ok && balance.hasPrefix("month,currency,due_cumulative,delivered_cumulative\n") && balance.split(separator: "\n").count > 2)
            let (missing, _, _) = try await Self.get(client, "/agreements/nothing/balance.csv")
            #expect(missing == .notFound)
        }
    }

    /// French pages carry no English interface text: flag explanations, statuses, kinds, confidence and
    /// fact labels all come from the catalogue.
    @Test func frenchPagesCarryNoEnglishInterfaceText() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            let pages = ["/", "/agreements", "/agreements/us-drc-spa-2025", "/agreements/sicomines-2024-amendment", "/sites/rubaya", "/sites/bisie",
                         "/concessions/kfm-pe-661", "/parties/kcc", "/parties", "/sites", "/concessions", "/lots", "/lots/GOM-2024-B01",
                         "/lots/KCC-HYD-2025-0001-A", "/map?date=2025-03-25", "/map?province=CD-NK&date=2025-01-30", "/supply", "/log"]
            // English words of the catalogue that differ in French, as whole words in element text.
            let english = Set((Language.table.values.map(\.0) + Vocabulary.table.values.map(\.0)).filter { w in
                !(Language.table.values.map(\.1) + Vocabulary.table.values.map(\.1)).contains(w) && w.count > 3
            })
            let sentences = ["is on ground held by", "the visit of", "km from", "would have produced", "owes ", "non-state)", "high confidence",
                             "low confidence", "medium confidence", "(disengage)", "(mitigate)", "(suspend)", "(high)", "(medium)", "(low)",
                             ">state-owned-enterprise<", ">artisanal-site<", ">industrial-mine<", ">in-force<", ">granted<", ">t/year<", ">holder<", ">country<"]
            for p in pages {
                let (status, html, _) = try await Self.get(client, p + (p.contains("?") ? "&" : "?") + "lang=fr")
                #expect(status == .ok, "\(p)")
                for s in sentences { #expect(!html.contains(s), "\(p) carries \"\(s)\"") }
                // Text between tags equal to an English catalogue entry.
                #expect(Self.elementTexts(html).count > 20, "\(p): the page's texts were read")
                for text in Self.elementTexts(html) where english.contains(text) {
                    Issue.record("\(p) shows the English \"\(text)\"")
                }
            }
            let (_, rubaya, _) = try await Self.get(client, "/sites/rubaya?lang=fr")
            #expect(rubaya.contains("est sur un terrain tenu par") && rubaya.contains("non étatique") && rubaya.contains("confiance"))
        }
    }

    /// Every catalogue entry has both languages, and every value of the enums pages show has a word.
    @Test func everyKeyHasBothLanguages() {
        for (k, v) in Language.table { #expect(!v.0.isEmpty && !v.1.isEmpty, "\(k)") }
        for (k, v) in Vocabulary.table { #expect(!v.0.isEmpty && !v.1.isEmpty, "\(k)") }
        func covers<E: CaseIterable & RawRepresentable>(_ group: String, _: E.Type) where E.RawValue == String {
            for c in E.allCases { #expect(Vocabulary.table["\(group).\(c.rawValue)"] != nil, "\(group).\(c.rawValue) lacks a word") }
        }
        covers("party", PartyKind.self); covers("site", SiteKind.self); covers("title", ConcessionStatus.self)
        covers("agreement", AgreementStatus.self); covers("agreement-kind", AgreementKind.self); covers("role", AgreementRole.self)
        covers("relation", AgreementRelation.self); covers("obligation", ObligationKind.self); covers("custody", CustodyEventKind.self)
        covers("form", ProductForm.self); covers("response", OECDResponse.self); covers("severity", FlagSeverity.self)
        covers("controller", ControllerKind.self)
        for c in Confidence.allCases { #expect(!Language.fr.confidence(c).isEmpty && Language.fr.confidence(c) != Language.en.confidence(c)) }
        for r in AgreementRelation.allCases { #expect(Vocabulary.table["relation.\(r.inverseName)"] != nil, "relation.\(r.inverseName)") }
        // Every rule has a French sentence that is not the English explanation.
        for rule in RiskFlag.Rule.allCases.map(\.rawValue) + CustodyFlag.Rule.allCases.map(\.rawValue) + [RoyaltyFlag.rule, "risk.grant-area-held", "obligation.overdue"] {
            let fr = FlagWording.explain(rule: rule, evidence: [:], explanation: "ENGLISH", language: .fr)
            #expect(fr != "ENGLISH" && !fr.isEmpty, "\(rule)")
        }
    }

    @Test func sourcesAreListedOnceWithTheirPublisherAndDate() {
        let links = SourceLink.list(["https://www.reuters.com/world/africa/2025/06/27/drc-rwanda-sign/", "http://reuters.com/world/africa/2025/06/27/drc-rwanda-sign",
                                     "https://example.org/report-2024-11-05.pdf", "https://ipisresearch.be/mapping/", "https://www.reuters.com/world/africa/2025/06/27/drc-rwanda-sign/#top"])
        #expect(links.count == 3)
        #expect(links[0].publisher == "Reuters" && links[0].date == "2025-06-27")
        #expect(links[1].publisher == "example.org" && links[1].date == "2024-11-05")
        #expect(links[2].publisher == "IPIS" && links[2].date == nil)
    }

    @Test func mapNumbersAndEscapingAreExact() {
        #expect(SVG.fixed2(0) == "0.00" && SVG.fixed2(-1.5) == "-1.50" && SVG.fixed2(12.345678) == "12.35" && SVG.fixed2(-0.001) == "0.00")
        #expect(SVG.fixed2(899.999) == "900.00" && SVG.fixed2(0.07) == "0.07" && SVG.fixed2(-1234.5) == "-1234.50")
        var g = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let v = Double.random(in: -5_000...5_000, using: &g)
            let text = SVG.fixed2(v)
            #expect(abs((Double(text) ?? .nan) - v) <= 0.005 + 1e-9, "\(v) → \(text)")
            #expect(text.split(separator: ".").last?.count == 2)
        }
        #expect(SVG.escape("Rubaya & <Goma> \"M23\" — é") == "Rubaya &amp; &lt;Goma&gt; &quot;M23&quot; — é")
        #expect(SVG.escape("plain text") == "plain text")
    }

    /// The text nodes of a page's elements, trimmed, outside `<script>` and `<style>`.
    static func elementTexts(_ html: String) -> [String] {
        var out: [String] = []
        var body = html
        for tag in ["script", "style"] {
            while let a = body.range(of: "<\(tag)"), let b = body.range(of: "</\(tag)>", range: a.upperBound..<body.endIndex) { body.removeSubrange(a.lowerBound..<b.upperBound) }
        }
        for part in body.split(separator: ">") {
            let text = part.split(separator: "<", maxSplits: 1, omittingEmptySubsequences: false).first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) } ?? ""
            if !text.isEmpty { out.append(text) }
        }
        return out
    }
}
