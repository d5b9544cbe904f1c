import Foundation
import Testing

/// Starts `assay serve --demo` on a free port and drives Debian's chromium headless over the portal:
/// every page loads with no console error, the DOM shows what the data says, and screenshots are
/// written to `screenshots/` at the package root for a person to look at.
@Suite("The portal in a real headless browser", .serialized)
struct BrowserTests {
    let cli = CLITests.sqliteOnly()
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    func chromium(_ args: [String]) throws -> CLITests.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/chromium")
        p.arguments = ["--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLITests.Result(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }

    /// Runs `body` with `assay serve --demo` answering on a free loopback port, stopped after.
    func serving(_ offset: Int, _ body: (Int) throws -> Void) throws {
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "scripts/install-deps installs chromium")
        let port = 18_500 + offset * 400 + Int(getpid() % 400)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CLITests.binary)
        server.arguments = ["serve", "--demo", "--db", "portal-\(offset).sqlite", "--port", String(port)]
        server.currentDirectoryURL = URL(fileURLWithPath: cli.dir)
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        // Wait until it answers.
        var up = false
        for _ in 0..<100 where !up {
            usleep(100_000)
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = ["-sf", "http://127.0.0.1:\(port)/healthz"]
            curl.standardOutput = FileHandle.nullDevice
            curl.standardError = FileHandle.nullDevice
            try curl.run()
            curl.waitUntilExit()
            up = curl.terminationStatus == 0
        }
        #expect(up, "the server did not start")
        try body(port)
    }

    @Test func everyPageLoadsAndShowsTheData() throws {
        try serving(0) { port in
            let shots = Self.root.appendingPathComponent("screenshots").path
            try FileManager.default.createDirectory(atPath: shots, withIntermediateDirectories: true)
            let pages: [(String, String, [String])] = [
                ("overview", "/?lang=en", ["Recent entries", "Latest checkpoint"]),
                ("agreements", "/agreements?lang=fr", ["Accords", "Strategic Partnership Agreement"]),
                ("agreement-sicomines", "/agreements/sicomines-2024-amendment?lang=en", ["class=\"obligation\"", "balance-chart"]),
                ("agreement-us-drc", "/agreements/us-drc-spa-2025?lang=fr", ["Contesté", "first-offer"]),
                ("map", "/map?lang=en", ["<circle class=\"site", "Nord-Kivu"]),
                ("log", "/log?lang=fr", ["Clé de vérification", "verify-proof"]),
                ("concession-kfm", "/concessions/kfm-pe-661?lang=en", ["ownership-chain", "CN: 95.00%"]),
                ("site-bisie", "/sites/bisie?lang=fr", ["Cassitérite", "Nord-Kivu"]),
                ("parties", "/parties?lang=en", ["CMOC Group", "Gécamines"]),
                ("lots", "/lots?lang=fr", ["GOM-2024-B01", "KCC-HYD-2025-0001-A"]),
                ("map-2025-02-20", "/map?date=2025-02-20&lang=en", ["demo-m23-goma", "demo-m23-bukavu", "type=\"range\""]),
                ("map-2025-03-25", "/map?date=2025-03-25&lang=fr", ["demo-m23-walikale-centre"]),
                ("supply", "/supply?lang=en", ["id=\"supply-tin\"", "id=\"supply-tantalum\"", "id=\"owners-cobalt\"", "class=\"axis-title\"", "id=\"coverage\"", "not registered"]),
                ("map-nord-kivu-2025-01-30", "/map?province=CD-NK&date=2025-01-30&lang=fr", ["data-id=\"demo-m23-goma\"", "province current"]),
                ("map-nord-kivu-2025-01-01", "/map?province=CD-NK&date=2025-01-01&lang=en", ["province current"]),
                ("map-held-layer-only", "/map?date=2025-03-25&layers=1&layer=held&layer=armed&lang=en", ["layer-held", "layer-armed"]),
                ("site-rubaya", "/sites/rubaya?lang=fr", ["mini-map", "est sur un terrain tenu par", "non étatique"]),
                ("supply-fr", "/supply?lang=fr", ["Part de la capacité", "Télécharger les chiffres (CSV)"]),
                ("party-kcc", "/parties/kcc?lang=fr", ["ownership-chain", "royalty.underpaid", "redevances"]),
                ("sites-list", "/sites?lang=fr", ["site artisanal"]),
                ("concessions-list", "/concessions?lang=en", ["Mining titles"]),
                ("search", "/search?q=cobalt&lang=en", ["id=\"results\""]),
                ("log-entry", "/log/entries/3?lang=fr", ["id=\"entry\"", "identifiant"]),
                ("reserve-sealed", "/reserves/spa-reserve-initial-2026-02?lang=fr&as-of=2026-06-01", ["id=\"timeline\"", "class=\"window open\"", "Liste confidentielle.", "renouvelée 2026-05-04"]),
                ("timeline", "/timeline?agreement=us-drc-spa-2025&lang=en", ["event-ev-2026-02-04-designation", "Joint Steering Committee"]),
                ("conflicts", "/conflicts?lang=en", ["Not a special envoy", "used by the registry"]),
                ("agreement-signatures", "/agreements/spa-offtake-guidelines-demo?lang=fr", ["id=\"signatures\"", "non signé"]),
                ("lot-rubaya-blend", "/lots/GOM-2024-B01?lang=en", ["lot-graph", "custody.untraceable-export-to-neighbour", "every signature verified"]),
                ("lot-kcc-hydroxide", "/lots/KCC-HYD-2025-0001-A?lang=fr", ["lot-graph", "Kamoto Copper Company", "royalty.underpaid"]),
            ]
            for (name, path, expected) in pages {
                let url = "http://127.0.0.1:\(port)\(path)"
                let dom = try chromium(["--dump-dom", url])
                #expect(dom.status == 0, "\(name): chromium exited \(dom.status)")
                for text in expected { #expect(dom.out.contains(text), "\(name): the DOM lacks \(text)") }
                let consoleErrors = dom.err.split(separator: "\n").filter { $0.contains("CONSOLE") && $0.contains("ERROR") }
                #expect(consoleErrors.isEmpty, "\(name): \(consoleErrors)")
                _ = try chromium(["--window-size=1280,1400", "--screenshot=\(shots)/\(name).png", url])
                #expect(FileManager.default.fileExists(atPath: "\(shots)/\(name).png"), "\(name): no screenshot")
            }
            // The public never sees the asset of the confidential reserve that was not offered.
            let sealed = try chromium(["--dump-dom", "http://127.0.0.1:\(port)/reserves/spa-reserve-initial-2026-02?lang=en"]).out
            #expect(sealed.contains("Mutoshi copper-cobalt") && !sealed.contains("Kisenge manganese"))
            // The map has a circle per site and the agreement page lists its obligations.
            let map = try chromium(["--dump-dom", "http://127.0.0.1:\(port)/map"]).out
            #expect(map.components(separatedBy: "<circle class=\"site").count - 1 == 691)
            let sicomines = try chromium(["--dump-dom", "http://127.0.0.1:\(port)/agreements/sicomines-2024-amendment"]).out
            #expect(sicomines.components(separatedBy: "class=\"obligation\"").count - 1 == 3)
            // The buyer's report prints: chromium's own print-to-PDF gives a PDF without the navigation.
            let pdf = "\(shots)/lot-rubaya-blend.pdf"
            try? FileManager.default.removeItem(atPath: pdf)
            _ = try chromium(["--no-pdf-header-footer", "--print-to-pdf=\(pdf)", "http://127.0.0.1:\(port)/lots/GOM-2024-B01?lang=en"])
            let bytes = try #require(FileManager.default.contents(atPath: pdf))
            #expect(bytes.starts(with: Array("%PDF".utf8)) && bytes.count > 10_000)
            // Page objects: "/Type /Page" not followed by "s" (the page tree is "/Type /Pages").
            let pdfText = String(decoding: bytes, as: UTF8.self)
            let pageCount = pdfText.components(separatedBy: "/Type /Page").count - 1 - (pdfText.components(separatedBy: "/Type /Pages").count - 1)
            #expect(pageCount >= 1 && pageCount <= 6, "\(pageCount) pages")
        }
    }
}

extension BrowserTests {
    /// The map zoomed to North Kivu as chromium runs it, script and all: the Goma zone is drawn and in
    /// view on 30 January 2025 (the script lists the held zones inside the view) and absent on
    /// 1 January; the layers switch; a mini-map and a chart's CSV are there to click.
    @Test func theMapZoomsAndTheChartsDownloadInTheBrowser() throws {
        try serving(1) { port in
            let base = "http://127.0.0.1:\(port)"
            let zoomed = try chromium(["--dump-dom", "--virtual-time-budget=3000", "\(base)/map?province=CD-NK&date=2025-01-30&lang=en"])
            #expect(zoomed.out.contains("data-id=\"demo-m23-goma\""))
            // map.js ran (under the portal's CSP) and found held zones inside the view.
            let inView = zoomed.out.range(of: "data-in-view=\"").map { zoomed.out[$0.upperBound...].prefix { $0 != "\"" } }
            #expect(inView?.split(separator: " ").contains("demo-m23-goma") == true, "data-in-view: \(String(describing: inView))")
            let before = try chromium(["--dump-dom", "--virtual-time-budget=3000", "\(base)/map?province=CD-NK&date=2025-01-01&lang=en"])
            #expect(!before.out.contains("data-id=\"demo-m23-goma\""))
            let layers = try chromium(["--dump-dom", "\(base)/map?date=2025-03-25&layers=1&layer=held&lang=en"])
            #expect(layers.out.contains("layer-held") && !layers.out.contains("class=\"layer-sites\""))
            let site = try chromium(["--dump-dom", "\(base)/sites/rubaya?lang=en"])
            #expect(site.out.contains("<figure class=\"mini-map\"") && site.out.contains("class=\"focus\""))
            // The CSV link of a chart answers with the numbers.
            let supply = try chromium(["--dump-dom", "\(base)/supply?lang=en"]).out
            let href = try #require(supply.range(of: "href=\"/supply.csv?mineral=").map { r in supply[r.lowerBound...].dropFirst(6).prefix { $0 != "\"" } })
            let curl = Process()
            curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
            curl.arguments = ["-sf", base + href.replacingOccurrences(of: "&amp;", with: "&")]
            let out = Pipe()
            curl.standardOutput = out
            try curl.run()
            let csv = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            curl.waitUntilExit()
            #expect(curl.terminationStatus == 0 && csv.hasPrefix("month,mineral,") && csv.split(separator: "\n").count > 12)
        }
    }

    /// axe-core (PyPI's axe-selenium-python, in Debian's chromium through chromium-driver) over every
    /// page type, in both languages where the words differ: no violation.
    @Test func axeFindsNoViolationOnAnyPageType() throws {
        let python = Self.root.appendingPathComponent(".build/axe-venv/bin/python").path
        #expect(FileManager.default.isExecutableFile(atPath: python), "scripts/install-deps installs axe-selenium-python into .build/axe-venv")
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromedriver"), "scripts/install-deps installs chromium-driver")
        try serving(2) { port in
            let paths = ["/?lang=en", "/?lang=fr", "/agreements?lang=fr", "/agreements/sicomines-2024-amendment?lang=en", "/agreements/us-drc-spa-2025?lang=fr",
                         "/map?lang=en", "/map?province=CD-NK&date=2025-01-30&lang=fr", "/map?date=2025-03-25&layers=1&layer=held&layer=armed&lang=en",
                         "/supply?lang=fr", "/log?lang=fr", "/log/entries/3?lang=en", "/concessions/kfm-pe-661?lang=en", "/sites/rubaya?lang=fr",
                         "/parties/kcc?lang=en", "/parties?lang=en", "/sites?lang=fr", "/concessions?lang=en", "/lots?lang=fr", "/lots/GOM-2024-B01?lang=en",
                         "/reserves/spa-reserve-initial-2026-02?lang=fr", "/timeline?agreement=us-drc-spa-2025&lang=en", "/conflicts?lang=en",
                         "/search?q=cobalt&lang=fr", "/agreements/spa-offtake-guidelines-demo?lang=fr"]
            let p = Process()
            p.executableURL = URL(fileURLWithPath: python)
            p.arguments = [Self.root.appendingPathComponent("scripts/axe-check.py").path, "http://127.0.0.1:\(port)"] + paths
            let out = Pipe(), err = Pipe()
            p.standardOutput = out
            p.standardError = err
            try p.run()
            let o = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            let e = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            p.waitUntilExit()
            let lines = o.split(separator: "\n")
            #expect(lines.count == paths.count, "every page checked: \(e.suffix(2000))")
            for line in lines where !line.contains("\"violations\": []") { Issue.record("axe: \(line)") }
            #expect(lines.allSatisfy { $0.contains("\"passes\": ") && !$0.contains("\"passes\": 0,") }, "axe ran its rules")
            #expect(p.terminationStatus == 0, "\(e.suffix(2000))")
        }
    }
}
