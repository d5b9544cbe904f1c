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

    @Test func everyPageLoadsAndShowsTheData() throws {
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"), "scripts/install-deps installs chromium")
        let port = 18_500 + Int(getpid() % 400)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CLITests.binary)
        server.arguments = ["serve", "--demo", "--db", "portal.sqlite", "--port", String(port)]
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
            ("supply", "/supply?lang=en", ["data-mineral=\"tin\"", "data-mineral=\"tantalum\"", "held-share", "id=\"coverage\"", "not registered"]),
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
