import Foundation
import Testing

/// `assay [--db PATH] [--json] COMMAND`: the global options before the command work as they do after it,
/// for top-level and nested commands, and are refused clearly where a command does not take them.
@Suite("Global options before the command", .serialized)
struct GlobalOptionsTests {
    let cli = CLITests()

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
