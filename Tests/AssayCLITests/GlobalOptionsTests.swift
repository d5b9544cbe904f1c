import Foundation
import Testing

/// `assay [--db PATH] [--json] COMMAND`: the global options before the command work as they do after it,
/// for top-level and nested commands, and are refused clearly where a command does not take them.
@Suite("Global options before the command", .serialized)
struct GlobalOptionsTests {
    let cli = CLITests.sqliteOnly()

    @Test func initListReportAndCheckpointWithTheOptionsFirst() throws {
        let created = try cli.run(["--db", "g.sqlite", "init"])
        #expect(created.status == 0 && created.out.contains("g.sqlite: created an empty registry"), "\(created.err)")
        #expect(FileManager.default.fileExists(atPath: cli.dir + "/g.sqlite"))
        #expect(!FileManager.default.fileExists(atPath: cli.dir + "/assay.sqlite"))
        // `--db=PATH` and --json first; --key and --origin first for a new log.
        let json = try cli.run(["--db=h.sqlite", "--json", "--key", "h.key", "--origin", "example.org/h", "init"])
        #expect(json.status == 0, "\(json.err)")
        let summary = try cli.json(json.out)
        #expect(summary["created"] as? Bool == true && summary["db"] as? String == "h.sqlite")
        #expect((summary["vkey"] as? String)?.hasPrefix("example.org/h+") == true)
        #expect(FileManager.default.fileExists(atPath: cli.dir + "/h.key"))

        #expect(try cli.run(["--db", "d.sqlite", "demo"]).status == 0)
        let before = try cli.run(["--db", "d.sqlite", "list", "parties"])
        let after = try cli.run(["list", "parties", "--db", "d.sqlite"])
        #expect(before.status == 0 && before.out.contains("Kamoto Copper Company"), "\(before.err)")
        #expect(before.out == after.out)
        // Before, after, and split around the command.
        let report = try cli.run(["--db", "d.sqlite", "--json", "report", "balance", "--as-of", "2026-11-23"])
        #expect(report.status == 0, "\(report.err)")
        #expect(try cli.json(report.out)["obligations"] is [Any])
        let split = try cli.run(["--db", "d.sqlite", "report", "balance", "--as-of", "2026-11-23", "--json"])
        #expect(split.out == report.out)
        // Nested: `log checkpoint`, `token list`.
        let checkpoint = try cli.run(["--db", "d.sqlite", "log", "checkpoint"])
        #expect(checkpoint.status == 0 && checkpoint.out.hasPrefix("assay.local/registry\n"), "\(checkpoint.err)")
        #expect(checkpoint.out == (try cli.run(["log", "checkpoint", "--db", "d.sqlite"])).out)
        #expect(try cli.run(["--db=d.sqlite", "--json", "token", "list"]).status == 0)
    }

    @Test func commandsThatDoNotTakeThemRefuseThemClearly() throws {
        let toolOnly = try cli.run(["--db", "x.sqlite", "log", "tree-hash"], stdin: "")
        #expect(toolOnly.status == 2 && toolOnly.err.contains("`assay log tree-hash` does not take the global options (--db)"), "\(toolOnly.err)")
        // `witness init` has its own --key (the witness's): the log's --key before it is not silently taken for it.
        let witness = try cli.run(["--key", "log.key", "witness", "init", "--name", "w.example"])
        #expect(witness.status == 2 && witness.err.contains("`assay witness init` does not take the global options (--key)"), "\(witness.err)")
        #expect(!FileManager.default.fileExists(atPath: cli.dir + "/log.key"))
        let group = try cli.run(["--db", "x.sqlite", "log"])
        #expect(group.status == 2 && group.err.contains("`assay log` needs one of its commands"), "\(group.err)")
        let nothing = try cli.run(["--db", "x.sqlite"])
        #expect(nothing.status == 2 && nothing.err.contains("must be followed by a command"), "\(nothing.err)")
        let unknown = try cli.run(["--json", "frobnicate"])
        #expect(unknown.status == 2 && unknown.err.contains("\"frobnicate\" is not a command"), "\(unknown.err)")
        let noValue = try cli.run(["--db"])
        #expect(noValue.status == 2 && noValue.err.contains("--db needs a value"), "\(noValue.err)")
        #expect(!FileManager.default.fileExists(atPath: cli.dir + "/x.sqlite"))
    }
}

/// `assay list lots`: the page and filters of `GET /api/v1/lots`, as a table and as its JSON.
@Suite("assay list lots", .serialized)
struct ListLotsCLITests {
    let cli = CLITests()

    @Test func lotsArePagedFilteredAndPrintedAsTheAPIPrintsThem() throws {
        #expect(try cli.run(["demo", "--db", "d.sqlite"]).status == 0)
        let all = try cli.run(["list", "lots", "--db", "d.sqlite", "--json"])
        #expect(all.status == 0, "\(all.err)")
        let items = try #require(try cli.json(all.out)["items"] as? [[String: Any]])
        #expect(items.count > 3)
        let ids = items.compactMap { $0["id"] as? String }
        #expect(ids == ids.sorted() && ids.contains("GOM-2024-B01") && ids.contains("KCC-HYD-2025-0001-B"))
        // The API's item fields.
        let first = try #require(items.first)
        for key in ["id", "mineral", "form", "massKg", "holder", "status", "atOrigin", "createdBy", "created", "lastTime"] {
            #expect(first[key] != nil, "\(key)")
        }
        #expect(try cli.json(all.out)["next"] is NSNull)

        // Paging: two at a time, following `next`, gives the same ids.
        var paged: [String] = []
        var after: String?
        for _ in 0..<items.count {
            let page = try cli.json(try cli.run(["list", "lots", "--db", "d.sqlite", "--json", "--limit", "2"] + (after.map { ["--after", $0] } ?? [])).out)
            paged += (page["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
            after = page["next"] as? String
            if after == nil { break }
        }
        #expect(paged == ids)

        // Filters: by holder and by mineral (a name, as the API takes it).
        let holder = try #require(items.first { $0["id"] as? String == "KCC-HYD-2025-0001-B" }?["holder"] as? String)
        let held = try cli.json(try cli.run(["list", "lots", "--db", "d.sqlite", "--json", "--holder", holder]).out)["items"] as? [[String: Any]] ?? []
        #expect(!held.isEmpty && held.allSatisfy { $0["holder"] as? String == holder })
        #expect(held.count == items.filter { $0["holder"] as? String == holder }.count)
        let mineral = try #require(items.first { $0["id"] as? String == "GOM-2024-B01" }?["mineral"] as? String)
        let ofMineral = try cli.json(try cli.run(["list", "lots", "--db", "d.sqlite", "--json", "--mineral", mineral.uppercased()]).out)["items"] as? [[String: Any]] ?? []
        #expect(!ofMineral.isEmpty && ofMineral.count == items.filter { $0["mineral"] as? String == mineral }.count)

        // The table, with the paging hint.
        let table = try cli.run(["list", "lots", "--db", "d.sqlite", "--limit", "2"])
        #expect(table.status == 0 && table.out.hasPrefix("id ") && table.out.contains(ids[0]) && table.out.contains(ids[1]) && !table.out.contains(ids[2]))
        #expect(table.out.contains("add --after \(ids[1])"))
        #expect(try cli.run(["--db", "d.sqlite", "list", "lots"]).out == (try cli.run(["list", "lots", "--db", "d.sqlite"])).out)

        // Usage errors: an unknown mineral, a lot filter on another kind.
        let bad = try cli.run(["list", "lots", "--db", "d.sqlite", "--mineral", "kryptonite"])
        #expect(bad.status == 2 && bad.err.contains("unknown mineral"), "\(bad.err)")
        #expect(try cli.run(["list", "parties", "--db", "d.sqlite", "--holder", holder]).status == 2)
    }
}
