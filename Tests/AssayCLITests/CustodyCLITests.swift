import Foundation
import Testing

/// The custody commands end to end on the built binary: a key made offline, events signed offline,
/// a bulk ingest with bad lines, the trace and the reports.
@Suite("Custody on the command line", .serialized)
struct CustodyCLITests {
    let cli = CLITests()

    @Test func keySignIngestTraceReport() throws {
        #expect(try cli.run(["demo", "--db", "c.sqlite"]).status == 0)
        // A new KCC key: the private half in a 0600 file, the register-key line on stdout.
        let gen = try cli.run(["key", "generate", "--party", "kcc", "--id", "kcc-cli-1", "--out", "kcc.key", "--valid-from", "2025-01-01T00:00:00.000Z"])
        #expect(gen.status == 0, "\(gen.err)")
        let attrs = try FileManager.default.attributesOfItem(atPath: cli.dir + "/kcc.key")
        #expect((attrs[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        #expect(gen.out.contains(#""type":"register-key""#) && !gen.out.contains("privateKey"))
        #expect(try cli.run(["key", "generate", "--party", "kcc", "--id", "kcc-cli-1", "--out", "kcc.key"]).status == 1)  // never overwritten
        // Events signed offline: key and party come from the key file.
        let events = try cli.write("events.ndjson", """
        {"id":"cli-w-1","kind":"weighing","time":"2026-01-01T00:00:00.000Z","lot":"KCC-HYD-2025-0001-B","massKg":"15010"}
        {"id":"cli-t-1","kind":"transport","time":"2026-01-02T00:00:00.000Z","lot":"KCC-HYD-2025-0001-B","to":"kasumbalesa-border"}
        """)
        let signed = try cli.run(["sign", events, "--key", "kcc.key"])
        #expect(signed.status == 0, "\(signed.err)")
        #expect(signed.out.split(separator: "\n").count == 2)
        // A bad event is refused by `sign` with its line and field.
        let bad = try cli.write("bad.json", #"{"id":"x","kind":"weighing","time":"yesterday","lot":"L","massKg":"1"}"#)
        let refused = try cli.run(["sign", bad, "--key", "kcc.key"])
        #expect(refused.status == 1 && refused.err.contains("bad.json:1: event.time"))
        // Ingest: the key registration, the two events, a forged line and a garbage line. Good lines stay.
        let forged = signed.out.split(separator: "\n")[0].replacingOccurrences(of: "15010", with: "15020").replacingOccurrences(of: "cli-w-1", with: "cli-w-9")
        let file = try cli.write("in.ndjson", gen.out.trimmingCharacters(in: .newlines) + "\n" + signed.out.trimmingCharacters(in: .newlines) + "\n" + forged + "\nnot json\n")
        let ingest = try cli.run(["ingest", file, "--db", "c.sqlite", "--json"])
        #expect(ingest.status == 1)
        let report = try cli.json(ingest.out)
        #expect(report["accepted"] as? Int == 3 && report["refused"] as? Int == 2)
        let results = report["results"] as? [[String: Any]] ?? []
        #expect(results.first { $0["line"] as? Int == 4 }?["field"] as? String == "signature")
        #expect(results.first { $0["line"] as? Int == 5 }?["status"] as? String == "refused")
        // Ingesting the same file again: already recorded, nothing new written.
        let again = try cli.json(try cli.run(["ingest", file, "--db", "c.sqlite", "--json"]).out)
        #expect(again["alreadyRecorded"] as? Int == 2)
        // The trace shows the new events, verified; the royalty for B fell due when it left the mine.
        let trace = try cli.json(try cli.run(["trace", "KCC-HYD-2025-0001-B", "--db", "c.sqlite", "--json"]).out)
        let chain = trace["custodyChain"] as? [[String: Any]] ?? []
        #expect(chain.contains { $0["id"] as? String == "cli-t-1" && $0["verified"] as? Bool == true })
        let text = try cli.run(["trace", "KCC-HYD-2025-0001-B", "--db", "c.sqlite"])
        #expect(text.out.contains("signatures all verified") && text.out.contains("Kamoto Copper Company"))
        let royalties = try cli.json(try cli.run(["report", "royalties", "--db", "c.sqlite", "--json", "--payer", "kcc"]).out)
        let lines = royalties["lines"] as? [[String: Any]] ?? []
        #expect(lines.contains { $0["lot"] as? String == "KCC-HYD-2025-0001-B" && $0["status"] as? String == "unpaid" })
        let eiti = try cli.run(["report", "eiti", "--db", "c.sqlite"])
        #expect(eiti.out.hasPrefix("company_id,company_name,revenue_stream,project,currency,amount"))
        let lotText = try cli.run(["report", "lot", "GOM-2024-B01", "--db", "c.sqlite"]).out
        let lot = try cli.json(lotText)
        #expect((lot["proofs"] as? [Any])?.count == 10)
        // Each proof bundle checks offline with the log's verifier key.
        let vkey = try cli.run(["log", "vkey", "--db", "c.sqlite"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let bundle = try #require((lot["proofs"] as? [[String: Any]])?.first?["bundle"] as? String)
        let path = try cli.write("proof.txt", bundle)
        let check = try cli.run(["log", "verify-proof", path, "--vkey", vkey])
        #expect(check.status == 0, "\(check.err)")
        // The whole report checks offline; a report whose event was altered does not.
        let reportPath = try cli.write("report.json", lotText)
        let whole = try cli.run(["log", "verify-report", reportPath, "--vkey", vkey])
        #expect(whole.status == 0 && whole.out.contains("valid: 10 events and 2 key registrations"), "\(whole.err)")
        let altered = try cli.write("altered.json", lotText.replacingOccurrences(of: #"c2sp.org/tlog-proof@v1\nextra "#, with: #"c2sp.org/tlog-proof@v1\nextra A"#))
        let alteredText = try String(contentsOfFile: altered, encoding: .utf8)
        #expect(alteredText != lotText)
        #expect(try cli.run(["log", "verify-report", altered, "--vkey", vkey]).status == 1)
        #expect(try cli.run(["verify", "--db", "c.sqlite"]).status == 0)
        #expect(try cli.run(["trace", "NOPE", "--db", "c.sqlite"]).status == 1)
    }
}
