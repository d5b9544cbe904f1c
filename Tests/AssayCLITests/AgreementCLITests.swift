import Foundation
import Testing

/// Agreements every party must sign, end to end on the built binary: keys made offline, the terms signed
/// offline by each party, a signature over altered terms refused, the agreement counting after the last.
@Suite("Agreement signatures on the command line", .serialized)
struct AgreementCLITests {
    let cli = CLITests()

    @Test func eachPartySignsOfflineAndTheLastSignatureCounts() throws {
        #expect(try cli.run(["demo", "--db", "a.sqlite"]).status == 0)
        let accord = #"{"type":"register-agreement","id":"cli-accord","title":"CLI accord","kind":"memorandum","status":"negotiating","requiresSignatures":true,"parties":[{"party":"cd","role":"grantor"},{"party":"us","role":"partner"}]}"#
        var lines = [accord]
        for party in ["cd", "us"] {
            let gen = try cli.run(["key", "generate", "--party", party, "--id", "\(party)-cli-1", "--out", "\(party).key", "--valid-from", "2025-01-01T00:00:00.000Z"])
            #expect(gen.status == 0, "\(gen.err)")
            lines.append(gen.out.trimmingCharacters(in: .newlines))
        }
        let setup = try cli.write("setup.ndjson", lines.joined(separator: "\n") + "\n")
        #expect(try cli.run(["ingest", setup, "--db", "a.sqlite"]).status == 0)
        let terms = try cli.write("accord.json", accord)

        // The DRC signs offline; the agreement does not count yet.
        let cd = try cli.run(["agreement", "sign", terms, "--key", "cd.key", "--time", "2026-01-10T09:00:00.000Z"])
        #expect(cd.status == 0, "\(cd.err)")
        #expect(cd.out.contains(#""type":"sign-agreement""#) && cd.err.contains("as cd with key cd-cli-1"))
        #expect(try cli.run(["ingest", try cli.write("cd.ndjson", cd.out), "--db", "a.sqlite"]).status == 0)
        var status = try cli.json(try cli.run(["agreement", "signatures", "cli-accord", "--db", "a.sqlite", "--json"]).out)
        #expect(status["status"] as? String == "negotiating" && status["missing"] as? [String] == ["us"])
        let table = try cli.run(["agreement", "signatures", "cli-accord", "--db", "a.sqlite"])
        #expect(table.out.contains("not signed") && table.out.contains("cd-cli-1"))

        // The United States signs altered terms (another title): refused, naming the field; nothing written.
        let altered = try cli.write("altered.json", accord.replacingOccurrences(of: "CLI accord", with: "CLI accord, as the US read it"))
        let wrong = try cli.run(["agreement", "sign", altered, "--key", "us.key", "--time", "2026-01-11T09:00:00.000Z"])
        #expect(wrong.status == 0)
        let refused = try cli.run(["ingest", try cli.write("wrong.ndjson", wrong.out), "--db", "a.sqlite", "--json"])
        #expect(refused.status == 1)
        let results = try cli.json(refused.out)["results"] as? [[String: Any]] ?? []
        #expect(results.first?["field"] as? String == "terms", "\(refused.out)")
        // A key file of a party not in the agreement cannot sign it at all.
        #expect(try cli.run(["key", "generate", "--party", "rw", "--id", "rw-cli-1", "--out", "rw.key"]).status == 0)
        let outsider = try cli.run(["agreement", "sign", terms, "--key", "rw.key"])
        #expect(outsider.status == 1 && outsider.err.contains("not a party"))

        // The genuine US signature, from the record the registry prints: now it counts.
        let record = try cli.write("record.json", try cli.run(["show", "cli-accord", "--db", "a.sqlite", "--json"]).out)
        let us = try cli.run(["agreement", "sign", record, "--key", "us.key", "--time", "2026-01-12T09:00:00.000Z"])
        #expect(us.status == 0, "\(us.err)")
        #expect(try cli.run(["ingest", try cli.write("us.ndjson", us.out), "--db", "a.sqlite"]).status == 0)
        status = try cli.json(try cli.run(["agreement", "signatures", "cli-accord", "--db", "a.sqlite", "--json"]).out)
        #expect(status["status"] as? String == "signed" && status["missing"] as? [String] == [])
        #expect((status["signatures"] as? [[String: Any]])?.map { $0["party"] as? String } == ["cd", "us"])
        #expect(try cli.run(["verify", "--db", "a.sqlite"]).status == 0)
        #expect(try cli.run(["agreement", "signatures", "nowhere", "--db", "a.sqlite"]).status == 1)
    }
}
