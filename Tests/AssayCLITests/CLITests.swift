import AssayTestSupport
import Foundation
import Synchronization
import Testing

/// Runs the built `assay` binary as a user would and checks its output and exit codes.
@Suite("The assay command line, run as a user runs it", .serialized)
struct CLITests {
    struct Result { var status: Int32; var out: String; var err: String }

    static let binary: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/assay").path
    }()

    let dir: String = {
        let d = NSTemporaryDirectory() + "assay-cli-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    /// Databases this test's commands name (`--db NAME.sqlite`), on this run's backend: with
    /// `ASSAY_TEST_BACKEND=postgres` each file name stands for a new PostgreSQL database of its own (same
    /// name, same database, for the whole test), and the log's key sits beside it in the folder. Suites
    /// about SQLite's files make their runner with ``sqliteOnly()``.
    final class Databases: Sendable {
        let postgres: Bool
        let names = Mutex<[String: String]>([:])
        init(postgres: Bool) { self.postgres = postgres }
        deinit { for url in names.withLock({ Array($0.values) }) { TestDatabase.remove(url) } }
    }
    var databases = Databases(postgres: TestDatabase.isPostgres)

    /// A runner whose `--db` files stay SQLite files whatever the backend: for what only SQLite has
    /// (its files, WAL, backups, crash and durability traces).
    static func sqliteOnly() -> CLITests {
        var cli = CLITests()
        cli.databases = Databases(postgres: false)
        return cli
    }

    /// The arguments with `--db FILE.sqlite` (and `--read-db`) mapped to this run's backend.
    func mapped(_ args: [String]) throws -> [String] {
        guard databases.postgres else { return args }
        var out: [String] = []
        var key: String?
        var i = 0
        while i < args.count {
            let a = args[i]
            if a == "--db", i + 1 < args.count, args[i + 1].hasSuffix(".sqlite") {
                let name = (args[i + 1] as NSString).lastPathComponent
                let url = try databases.names.withLock { names in
                    if let u = names[name] { return u }
                    let u = try TestDatabase.fresh("cli")
                    names[name] = u
                    return u
                }
                out += [a, url]
                key = key ?? dir + "/" + name + ".key"
                i += 2
                continue
            }
            out.append(a)
            i += 1
        }
        if let key, !args.contains("--key") { out += ["--key", key] }
        return out
    }

    /// Removes the database a test named `NAME.sqlite` (the file, or its PostgreSQL database).
    func removeDatabase(_ name: String) throws {
        if databases.postgres, let url = databases.names.withLock({ $0.removeValue(forKey: name) }) {
            TestDatabase.remove(url)
        } else {
            try FileManager.default.removeItem(atPath: dir + "/" + name)
        }
    }

    /// Changes the database `NAME.sqlite` behind Assay's back, as someone with access to it could: `sqlite`
    /// on the file (through Python's sqlite3), or `postgres` on its PostgreSQL database.
    func tamper(_ name: String, sqlite: String, postgres: String) throws {
        if databases.postgres, let url = databases.names.withLock({ $0[name] }) {
            try TestDatabase.execute(url, postgres)
            return
        }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()", dir + "/" + name, sqlite]
        try p.run()
        p.waitUntilExit()
        try #require(p.terminationStatus == 0, "could not change \(name)")
    }

    @discardableResult
    func run(_ args: [String], stdin: String? = nil) throws -> Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = try mapped(args)
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let out = Pipe(), err = Pipe(), inp = Pipe()
        p.standardOutput = out
        p.standardError = err
        p.standardInput = inp
        try p.run()
        if let stdin { inp.fileHandleForWriting.write(Data(stdin.utf8)) }
        try inp.fileHandleForWriting.close()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return Result(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }

    func write(_ name: String, _ text: String) throws -> String {
        let path = dir + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    @Test func binaryIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "build the package first: \(Self.binary)")
    }

    @Test func demoListShowAndReports() throws {
        let demo = try run(["demo", "--db", "d.sqlite", "--json"])
        #expect(demo.status == 0, "\(demo.err)")
        let summary = try json(demo.out)
        #expect(summary["agreements"] as? Int == 26)  // the 25 of the reference data and one synthetic (signatures)
        #expect(summary["provinces"] as? Int == 26)
        #expect((summary["sites"] as? Int ?? 0) > 600)

        let again = try run(["demo", "--db", "d.sqlite"])
        #expect(again.status == 0 && again.out.contains("already in "), "\(again.out)")
        #expect(try run(["init", "--db", "other.sqlite"]).status == 0)
        let party = try write("p.ndjson", #"{"type":"register-party","id":"x","name":"X","kind":"company"}"#)
        #expect(try run(["import", party, "--db", "other.sqlite"]).status == 0)
        let refused = try run(["demo", "--db", "other.sqlite"])
        #expect(refused.status == 1 && refused.err.contains("already has other entries"))

        let list = try run(["list", "agreements", "--db", "d.sqlite"])
        #expect(list.status == 0 && list.out.contains("us-drc-spa-2025") && list.out.contains("sicomines-2008"))

        let show = try run(["show", "kfm-pe-661", "--db", "d.sqlite", "--as-of", "2025-06-01", "--json"])
        #expect(show.status == 0)
        let related = try #require(try json(show.out)["related"] as? [String: Any])
        let countries = try #require(related["countryShares"] as? [String: String])
        #expect(countries["CN"] == "0.9500" && countries["CD"] == "0.0500")

        let spa = try run(["show", "us-drc-spa-2025", "--db", "d.sqlite"])
        #expect(spa.out.contains("first-offer") && spa.out.contains("CONTESTED"))

        let balance = try run(["report", "balance", "--db", "d.sqlite", "--as-of", "2026-11-23", "--json"])
        let b = try json(balance.out)
        let overdue = (b["obligations"] as? [[String: Any]] ?? []).filter { $0["overdue"] as? Bool == true }.compactMap { $0["obligation"] as? String }
        #expect(overdue.contains("sicomines-2024-infrastructure-2024"))

        let owners = try run(["report", "ownership", "--db", "d.sqlite"])
        #expect(owners.status == 0 && owners.out.contains("kfm-pe-661") && owners.out.contains("CN 95.00%"))

        let collisions = try run(["report", "collisions", "--db", "d.sqlite"])
        #expect(collisions.out.contains("manono-lithium-pr-15775") && collisions.out.contains("dathcom-pr-13359"))

        let provinces = try run(["list", "provinces", "--db", "d.sqlite"])
        #expect(provinces.out.contains("CD-NK") && provinces.out.contains("Nord-Kivu"))

        let rebuild = try run(["rebuild", "--db", "d.sqlite", "--json"])
        #expect(rebuild.status == 0)
        #expect((try json(rebuild.out))["entries"] as? Int == summary["entries"] as? Int)
    }

    @Test func largeImportsStreamAcrossChunksAllOrNothing() throws {
        // 25,000 lines: three chunks of the streamed import (10,000 commands each).
        let lines = (0..<25_000).map { #"{"type":"register-party","id":"p\#($0)","name":"Party \#($0)","kind":"company","country":"CD"}"# }
        // A refusal in the third chunk (a duplicate id) names its line, and nothing is written.
        let refused = try write("refused-big.ndjson", (lines + [lines[3]]).joined(separator: "\n"))
        let r = try run(["import", refused, "--db", "big.sqlite"])
        #expect(r.status == 1)
        #expect(r.err.contains("refused-big.ndjson:25001: id: \"p3\" is already used by a party"), "\(r.err)")
        #expect(r.err.contains("nothing was imported"))
        let empty = try run(["list", "parties", "--db", "big.sqlite", "--json"])
        #expect(empty.status == 0 && !empty.out.contains("\"p3\"") && !empty.out.contains("\"p0\""), "\(empty.out.prefix(300))")
        let good = try write("big.ndjson", lines.joined(separator: "\n"))
        let ok = try run(["import", good, "--db", "big.sqlite", "--json"])
        #expect(ok.status == 0, "\(ok.err)")
        let summary = try json(ok.out)
        #expect(summary["imported"] as? Int == 25_000)
        #expect((summary["last"] as? Int ?? 0) - (summary["first"] as? Int ?? 0) == 24_999)
        let verify = try run(["verify", "--db", "big.sqlite"])
        #expect(verify.status == 0, "\(verify.err)")
    }

    @Test func badImportsExitOneNameLineAndFieldAndWriteNothing() throws {
        #expect(try run(["init", "--db", "r.sqlite"]).status == 0)
        let good = try write("parties.ndjson", """
        {"type":"register-party","id":"cd","name":"DRC","kind":"state","country":"CD"}
        {"type":"register-party","id":"avz","name":"AVZ Minerals","kind":"company","country":"AU"}
        """)
        let ok = try run(["import", good, "--db", "r.sqlite"])
        #expect(ok.status == 0 && ok.out.contains("imported 2"), "\(ok.err)")

        let bad = try write("bad.ndjson", """
        {"type":"register-party","id":"zijin","name":"Zijin","kind":"company","country":"CN"}
        {"type":"register-party","id":"x","name":"X","kind":"company","country":"ZZ"}
        {"type":"record-ownership","id":"o","subject":"avz","interestedParty":"zijin","share":{"exact":"150"}}
        """)
        let r = try run(["import", bad, "--db", "r.sqlite"])
        #expect(r.status == 1)
        #expect(r.err.contains("bad.ndjson:2: country: \"ZZ\" is not an ISO 3166-1 alpha-2 country code"))
        #expect(r.err.contains("bad.ndjson:3: share.exact:"))
        #expect(r.err.contains("nothing was imported"))

        // Valid lines that the registry refuses (unknown reference) are reported too, and nothing is written.
        let refused = try write("refused.ndjson", """
        {"type":"register-party","id":"zijin","name":"Zijin","kind":"company","country":"CN"}
        {"type":"record-ownership","id":"o","subject":"avz","interestedParty":"ghost","share":{"exact":"60"}}
        """)
        let rr = try run(["import", refused, "--db", "r.sqlite"])
        #expect(rr.status == 1 && rr.err.contains("refused.ndjson:2: interestedParty: no party \"ghost\""))
        let parties = try run(["list", "parties", "--db", "r.sqlite", "--json"])
        let items = try #require(try json(parties.out)["items"] as? [[String: Any]])
        #expect(items.count == 2)

        let csv = try write("sites.csv", "id,name,kind,latitude,longitude,minerals\nok,Ok,port,-4.3,15.3,copper\nbad,Bad,port,-4.3,east,copper\n")
        let c = try run(["import", csv, "--db", "r.sqlite"])
        #expect(c.status == 1 && c.err.contains("sites.csv:3: longitude: expected a decimal number"))
    }

    @Test func checkGrantIsADryRun() throws {
        #expect(try run(["demo", "--db", "g.sqlite"]).status == 0)
        let colliding = try write("grant.json", """
        {"id":"new-lithium","agreement":"us-drc-spa-2025","beneficiary":"us","rights":["extract"],"exclusivity":"exclusive",
         "minerals":["lithium"],"area":{"provinces":["CD-TA"]},"from":"2026-01-01"}
        """)
        let r = try run(["check-grant", colliding, "--db", "g.sqlite"])
        #expect(r.status == 1)
        #expect(r.out.contains("would collide") && r.out.contains("dathcom-pr-13359"))
        let free = try write("free.json", """
        {"id":"new-gold","agreement":"us-drc-spa-2025","beneficiary":"us","rights":["extract"],"exclusivity":"non-exclusive",
         "minerals":["germanium"],"area":{"provinces":["CD-KN"]}}
        """)
        let f = try run(["check-grant", free, "--db", "g.sqlite", "--json"])
        #expect(f.status == 0)
        #expect(try json(f.out)["collides"] as? Bool == false)
        #expect(try run(["show", "new-lithium", "--db", "g.sqlite"]).status == 1)  // nothing was written
    }

    @Test func usageErrorsExitTwo() throws {
        #expect(try run(["list", "spaceships"]).status == 2)
        #expect(try run(["frobnicate"]).status == 2)
        #expect(try run(["report"]).status == 2)
        let missing = try run(["list", "parties", "--db", "nowhere.sqlite"])
        #expect(missing.status == 1 && missing.err.contains("assay init"))
    }
}
