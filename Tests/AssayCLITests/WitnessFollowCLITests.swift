import Foundation
import Testing

/// Two registries witness each other over HTTP on loopback (`assay witness follow`), each keeps the other's
/// cosignatures, and a checkpoint is final only when the log's policy is met (here 2 of 2 witnesses for A,
/// 1 of 1 for B). When A serves a fork, B's witness refuses it, says so, and cosigns nothing.
@Suite("Registries witness each other, with a k-of-n policy, and refuse a fork", .serialized)
struct WitnessFollowCLITests {
    let cli = CLITests.sqliteOnly()

    /// GET `path`: status and body.
    func get(_ url: String) -> (Int, String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["-s", "-o", "-", "-w", "\n%{http_code}", "--max-time", "10", url]
        let pipe = Pipe()
        p.standardOutput = pipe
        try? p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let status = Int(out.split(separator: "\n").last ?? "") ?? 0
        return (status, String(out.dropLast(String(status).count + 1)))
    }

    @Test func mutualWitnessingQuorumAndARefusedFork() throws {
        #expect(try cli.run(["demo", "--db", "a.sqlite"]).status == 0)
        #expect(try cli.run(["init", "--db", "b.sqlite"]).status == 0)
        let seed = try cli.write("b.ndjson", #"{"type":"register-party","id":"b-ministry","name":"B ministry","kind":"agency","country":"US"}"# + "\n")
        #expect(try cli.run(["ingest", seed, "--db", "b.sqlite"]).status == 0)
        let vA = try cli.run(["log", "vkey", "--db", "a.sqlite"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let vB = try cli.run(["log", "vkey", "--db", "b.sqlite"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        // Witness keys: B's operators witness A (wb), A's witness B (wa), an NGO witnesses A too (ngo).
        var w: [String: String] = [:]
        for name in ["wa", "wb", "ngo"] {
            let r = try cli.run(["witness", "init", "--name", "\(name).example/witness", "--key", "\(name).key"])
            #expect(r.status == 0, "\(r.err)")
            w[name] = r.out.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        _ = try cli.write("a.policy", "# A is final once both B's witness and the NGO cosigned\nwitness wb \(w["wb"]!)\nwitness ngo \(w["ngo"]!)\ngroup both all wb ngo\nquorum both\n")
        _ = try cli.write("b.policy", "witness wa \(w["wa"]!)\nquorum wa\n")
        #expect(try cli.run(["backup", "--db", "a.sqlite", "--to", "fork.sqlite"]).status == 0)

        try cli.serving("a.sqlite", key: "a.sqlite.key", extra: ["--witness-policy", "a.policy", "--no-webhooks"]) { a in
            #expect(get(a + "/log/checkpoint/final").0 == 404)
            let byB = try cli.run(["witness", "follow", a, "--log-vkey", vA, "--key", "wb.key", "--state", "wb-on-a.state", "--once"])
            #expect(byB.status == 0 && byB.out.contains("cosigned as wb.example/witness and posted"), "\(byB.out) \(byB.err)")
            // One of two: not final yet.
            #expect(get(a + "/log/checkpoint/final").0 == 404)
            let byNGO = try cli.run(["witness", "follow", a, "--log-vkey", vA, "--key", "ngo.key", "--state", "ngo-on-a.state", "--once"])
            #expect(byNGO.status == 0, "\(byNGO.err)")
            let (status, final) = get(a + "/log/checkpoint/final")
            #expect(status == 200 && final.contains("— wb.example/witness ") && final.contains("— ngo.example/witness "), "\(final)")
            // Again: nothing new to cosign.
            #expect(try cli.run(["witness", "follow", a, "--log-vkey", vA, "--key", "wb.key", "--state", "wb-on-a.state", "--once"]).out.contains("already cosigned"))
            // A cosignature by a witness outside the policy is refused.
            let stranger = try cli.run(["witness", "follow", a, "--log-vkey", vA, "--key", "wa.key", "--state", "wa-on-a.state", "--once"])
            #expect(stranger.status == 1 && stranger.err.contains("403"), "\(stranger.err)")
        }
        // A witnesses B.
        try cli.serving("b.sqlite", key: "b.sqlite.key", extra: ["--witness-policy", "b.policy", "--no-webhooks"]) { b in
            let byA = try cli.run(["witness", "follow", b, "--log-vkey", vB, "--key", "wa.key", "--state", "wa-on-b.state", "--once"])
            #expect(byA.status == 0, "\(byA.err)")
            #expect(get(b + "/log/checkpoint/final").0 == 200)
        }
        // A grows and B's witness cosigns it; then a fork of A — another entry at the same place, under the same
        // key — is served at the same address.
        let party = try cli.write("p.ndjson", #"{"type":"register-party","id":"grow-a","name":"Grow A","kind":"company","country":"CD"}"# + "\n")
        let other = try cli.write("q.ndjson", #"{"type":"register-party","id":"fork-x","name":"Fork X","kind":"company","country":"CD"}"# + "\n")
        #expect(try cli.run(["ingest", party, "--db", "a.sqlite"]).status == 0)
        try cli.serving("a.sqlite", key: "a.sqlite.key", extra: ["--witness-policy", "a.policy", "--no-webhooks"]) { a in
            let grown = try cli.run(["witness", "follow", a, "--log-vkey", vA, "--key", "wb.key", "--state", "wb-on-a.state", "--once"])
            #expect(grown.status == 0 && grown.out.contains("cosigned"), "\(grown.err)")
        }
        #expect(try cli.run(["ingest", other, "--db", "fork.sqlite", "--key", "a.sqlite.key"]).status == 0)
        #expect(try cli.run(["ingest", party, "--db", "fork.sqlite", "--key", "a.sqlite.key"]).status == 0)
        try cli.serving("fork.sqlite", key: "a.sqlite.key", extra: ["--witness-policy", "a.policy", "--no-webhooks"]) { fork in
            let refused = try cli.run(["witness", "follow", fork, "--log-vkey", vA, "--key", "wb.key", "--state", "wb-on-a.state", "--once"])
            #expect(refused.status == 3 && refused.err.contains("REFUSED:") && refused.err.contains("inconsistent"), "\(refused.out) \(refused.err)")
            // The fork holds no cosignature, so none of its checkpoints is final.
            #expect(get(fork + "/log/checkpoint/final").0 == 404)
        }
        // The witness still holds A's checkpoint: A checks out.
        try cli.serving("a.sqlite", key: "a.sqlite.key", extra: ["--witness-policy", "a.policy", "--no-webhooks"]) { a in
            let again = try cli.run(["witness", "follow", a, "--log-vkey", vA, "--key", "wb.key", "--state", "wb-on-a.state", "--once"])
            #expect(again.status == 0 && again.out.contains("already cosigned"), "\(again.err)")
        }
    }
}
