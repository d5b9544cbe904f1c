import Foundation
import Testing

/// `assay monitor` against live servers: it follows a log, prints what matches, and alarms (exit 3) when it
/// is served a fork — another history under the same key — a checkpoint smaller than one it saw, or a
/// checkpoint the key did not sign.
@Suite("The monitor follows a log and alarms on a fork", .serialized)
struct MonitorCLITests {
    let cli = CLITests.sqliteOnly()

    func party(_ id: String) throws -> String {
        try cli.write("\(id).ndjson", #"{"type":"register-party","id":"\#(id)","name":"\#(id)","kind":"company","country":"CD"}"# + "\n")
    }

    @Test func followsPrintsAndAlarmsOnAForkABackwardsStepAndAForeignKey() throws {
        #expect(try cli.run(["demo", "--db", "a.sqlite"]).status == 0)
        let key = "a.sqlite.key"
        let vkey = try cli.run(["log", "vkey", "--db", "a.sqlite"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        // Two copies of the same history: b will fork from a, c stays behind.
        #expect(try cli.run(["backup", "--db", "a.sqlite", "--to", "b.sqlite"]).status == 0)
        #expect(try cli.run(["backup", "--db", "a.sqlite", "--to", "c.sqlite"]).status == 0)
        let first = try cli.serving("a.sqlite", key: key) { url in try cli.run(["monitor", url, "--vkey", vkey, "--state", "m1", "--once"]) }
        #expect(first.status == 0 && first.out.contains("entries verified"), "\(first.err)")

        // a and b each append a different entry: same size, same key, two roots.
        #expect(try cli.run(["ingest", try party("fork-a"), "--db", "a.sqlite", "--key", key]).status == 0)
        #expect(try cli.run(["ingest", try party("fork-b"), "--db", "b.sqlite", "--key", key]).status == 0)
        let grown = try cli.serving("a.sqlite", key: key) { url in
            try cli.run(["monitor", url, "--vkey", vkey, "--state", "m1", "--once", "--match", "party=fork-a"])
        }
        #expect(grown.status == 0 && grown.out.contains("register-party fork-a") && grown.out.contains("1 entries verified, 1 matched"), "\(grown.out) \(grown.err)")
        // The same size with another root: a fork.
        let fork = try cli.serving("b.sqlite", key: key) { url in try cli.run(["monitor", url, "--vkey", vkey, "--state", "m1", "--once"]) }
        #expect(fork.status == 3 && fork.err.contains("ALARM: fork: two roots for size"), "\(fork.out) \(fork.err)")
        // The fork grows past it: the consistency proof from a's checkpoint cannot hold.
        #expect(try cli.run(["ingest", try party("fork-b2"), "--db", "b.sqlite", "--key", key]).status == 0)
        let grownFork = try cli.serving("b.sqlite", key: key) { url in try cli.run(["monitor", url, "--vkey", vkey, "--state", "m1", "--once"]) }
        #expect(grownFork.status == 3 && grownFork.err.contains("ALARM: fork:") && grownFork.err.contains("not consistent"), "\(grownFork.err)")
        // The state did not move: the monitor still holds a's checkpoint, and a still checks out.
        let again = try cli.serving("a.sqlite", key: key) { url in try cli.run(["monitor", url, "--vkey", vkey, "--state", "m1", "--once"]) }
        #expect(again.status == 0 && again.out.contains("unchanged"), "\(again.err)")
        // An older copy: the checkpoint went backwards.
        let back = try cli.serving("c.sqlite", key: key) { url in try cli.run(["monitor", url, "--vkey", vkey, "--state", "m1", "--once"]) }
        #expect(back.status == 3 && back.err.contains("went backwards"), "\(back.err)")
        // Another key's verifier: the checkpoint is not signed by it.
        #expect(try cli.run(["init", "--db", "other.sqlite"]).status == 0)
        let other = try cli.run(["log", "vkey", "--db", "other.sqlite"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let foreign = try cli.serving("a.sqlite", key: key) { url in try cli.run(["monitor", url, "--vkey", other, "--state", "m2", "--once"]) }
        #expect(foreign.status == 3 && foreign.err.contains("not signed by"), "\(foreign.err)")
        // Bad input is refused before anything is fetched.
        #expect(try cli.run(["monitor", "ftp://x", "--vkey", vkey, "--state", "m3", "--once"]).status == 2)
        #expect(try cli.run(["monitor", "http://127.0.0.1:1", "--vkey", vkey, "--state", "m3", "--once", "--match", "colour=red"]).status == 2)
    }
}
