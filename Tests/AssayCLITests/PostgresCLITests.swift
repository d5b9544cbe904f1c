import AssayTestSupport
import Foundation
import Testing

/// The registry on a live PostgreSQL, through the command line: several writer processes on one log,
/// one killed mid-load, and moving a registry between backends. Each test starts its own server.
@Suite("Several Assay processes on one PostgreSQL log", .serialized)
struct PostgresCLITests {
    let cli = CLITests()

    /// Starts `assay ARGS` with its output in a file; returns the process and the file.
    func start(_ args: [String]) throws -> (Process, String) {
        let out = cli.dir + "/out-\(UUID().uuidString.prefix(6))"
        FileManager.default.createFile(atPath: out, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLITests.binary)
        p.arguments = args
        p.currentDirectoryURL = URL(fileURLWithPath: cli.dir)
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = FileHandle.nullDevice
        try p.run()
        return (p, out)
    }

    /// The `ack SEQ` and `cp SIZE ROOT` lines a writer printed.
    func parse(_ file: String) throws -> (acks: [Int64], checkpoints: [(Int, String)]) {
        let text = try String(contentsOfFile: file, encoding: .utf8)
        var acks: [Int64] = [], cps: [(Int, String)] = []
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ")
            if f.count == 2, f[0] == "ack", let n = Int64(f[1]) { acks.append(n) }
            if f.count == 3, f[0] == "cp", let n = Int(f[1]) { cps.append((n, String(f[2]))) }
        }
        return (acks, cps)
    }

    @Test func twoWritersShareOneLogWithoutForkAndAKilledOneLosesNothing() throws {
        let pg = try TestPostgres()
        defer { pg.stop() }
        let db = try pg.database("shared")
        let key = cli.dir + "/log.key"
        #expect(try cli.run(["init", "--db", db, "--key", key]).status == 0)
        // Two writer processes, eight tasks each, on the same log; one is killed without warning mid-load.
        let (a, outA) = try start(["bench", "append-loop", "--db", db, "--key", key, "--tasks", "8"])
        let (b, outB) = try start(["bench", "append-loop", "--db", db, "--key", key, "--tasks", "8"])
        usleep(2_500_000)
        kill(a.processIdentifier, SIGKILL)
        a.waitUntilExit()
        usleep(1_500_000)
        kill(b.processIdentifier, SIGKILL)
        b.waitUntilExit()
        let ra = try parse(outA), rb = try parse(outB)
        #expect(ra.acks.count > 20 && rb.acks.count > 20, "both writers wrote: \(ra.acks.count), \(rb.acks.count)")
        // Every index was handed out once: the two processes never got the same sequence number.
        #expect(Set(ra.acks).isDisjoint(with: Set(rb.acks)))
        // No size was ever signed with two different roots, across both processes.
        var roots: [Int: String] = [:]
        for (size, root) in ra.checkpoints + rb.checkpoints {
            if let seen = roots[size] { #expect(seen == root, "two roots at size \(size)") }
            roots[size] = root
        }
        #expect(roots.count > 10)
        // Every acknowledged entry is in the log, and the whole log verifies.
        let verify = try cli.run(["verify", "--db", db, "--key", key, "--json"])
        #expect(verify.status == 0, "\(verify.err)")
        let entries = Int64(try cli.json(verify.out)["entries"] as? Int ?? 0)
        #expect(entries >= (ra.acks + rb.acks).max() ?? 0)
        // Writes resume after the crash, at the next index.
        let (c, outC) = try start(["bench", "append-loop", "--db", db, "--key", key, "--tasks", "2", "--count", "5"])
        c.waitUntilExit()
        let rc = try parse(outC)
        #expect(c.terminationStatus == 0 && rc.acks.count == 10 && (rc.acks.min() ?? 0) > entries)
    }

    @Test func aRegistryMovesToPostgreSQLAndBackWithTheSameRoot() throws {
        let pg = try TestPostgres()
        defer { pg.stop() }
        let sqlite = cli.dir + "/demo.sqlite"
        #expect(try cli.run(["demo", "--db", sqlite]).status == 0)
        let before = try cli.json(try cli.run(["verify", "--db", sqlite, "--json"]).out)
        let onPostgres = try pg.database("moved")
        let there = try cli.run(["migrate", "--from", sqlite, "--to", onPostgres, "--json"])
        #expect(there.status == 0, "\(there.err)")
        #expect(try cli.json(there.out)["root"] as? String == before["root"] as? String)
        // Reads and writes work on the copy, and it moves back to a new SQLite file.
        #expect(try cli.run(["show", "us-drc-spa-2025", "--db", onPostgres, "--key", sqlite + ".key"]).status == 0)
        let back = try cli.run(["migrate", "--from", onPostgres, "--to", cli.dir + "/back.sqlite", "--key", sqlite + ".key", "--json"])
        #expect(back.status == 0, "\(back.err)")
        #expect(try cli.json(back.out)["root"] as? String == before["root"] as? String)
        // A non-empty target is refused, naming why.
        let again = try cli.run(["migrate", "--from", sqlite, "--to", onPostgres])
        #expect(again.status == 1 && again.err.contains("empty"))
    }
}
