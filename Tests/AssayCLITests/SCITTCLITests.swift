import Foundation
import Testing

/// SCITT on the command line: an event signed offline as a COSE_Sign1 statement, ingested, then proven with
/// a COSE receipt that `assay log verify-receipt` and an independent Python verifier both accept.
@Suite("SCITT statements and receipts on the command line", .serialized)
struct SCITTCLITests {
    let cli = CLITests()

    @Test func signAsStatementIngestAndProveWithAReceipt() throws {
        #expect(try cli.run(["demo", "--db", "s.sqlite"]).status == 0)
        let gen = try cli.run(["key", "generate", "--party", "kcc", "--id", "kcc-cose-1", "--out", "kcc.key", "--valid-from", "2025-01-01T00:00:00.000Z"])
        #expect(gen.status == 0, "\(gen.err)")
        let event = try cli.write("w.json", #"{"id":"cose-w-1","kind":"weighing","time":"2026-01-01T00:00:00.000Z","lot":"KCC-HYD-2025-0001-B","massKg":"15010"}"#)
        let signed = try cli.run(["sign", event, "--key", "kcc.key", "--cose", "w.cose"])
        #expect(signed.status == 0 && signed.out.contains("\"coseProtected\""), "\(signed.err)")
        let statement = try #require(FileManager.default.contents(atPath: cli.dir + "/w.cose"))
        #expect(statement.first == 0xD2)  // tag 18: COSE_Sign1
        // Two events cannot go in one statement.
        let two = try cli.write("two.ndjson", "{\"id\":\"a\"}\n{\"id\":\"b\"}\n")
        #expect(try cli.run(["sign", two, "--key", "kcc.key", "--cose", "x.cose"]).status == 1)
        let file = try cli.write("in.ndjson", gen.out.trimmingCharacters(in: .newlines) + "\n" + signed.out)
        let ingest = try cli.run(["ingest", file, "--db", "s.sqlite", "--json"])
        #expect(ingest.status == 0, "\(ingest.out) \(ingest.err)")
        let results = try cli.json(ingest.out)["results"] as? [[String: Any]] ?? []
        let seq = try #require(results.first { $0["line"] as? Int == 2 }?["seq"] as? Int)
        // The receipt and the entry it proves; checked offline with the key from a file.
        let proof = try cli.run(["proof", "--seq", "\(seq)", "--db", "s.sqlite", "-o", "w.proof", "--receipt", "w.receipt", "--entry-out", "w.entry"])
        #expect(proof.status == 0 && proof.err.contains("verify-receipt"), "\(proof.err)")
        #expect(try cli.run(["log", "vkey", "--db", "s.sqlite", "-o", "log.vkey"]).status == 0)
        let ok = try cli.run(["log", "verify-receipt", "w.receipt", "--entry", "w.entry", "--vkey-file", "log.vkey"])
        #expect(ok.status == 0 && ok.out.hasPrefix("valid: journal entry") && ok.out.contains("custody-event cose-w-1"), "\(ok.out) \(ok.err)")
        // The entry keeps what rebuilds the statement: its protected header and signature over the same payload.
        let entry = try cli.json(String(decoding: try #require(FileManager.default.contents(atPath: cli.dir + "/w.entry")), as: UTF8.self))
        let command = entry["command"] as? [String: Any] ?? entry
        #expect(command["coseProtected"] is String, "\(entry)")
        // Another entry's bytes, a missing key: refused.
        let other = try cli.write("other.entry", "{}")
        #expect(try cli.run(["log", "verify-receipt", "w.receipt", "--entry", other, "--vkey-file", "log.vkey"]).status == 1)
        #expect(try cli.run(["log", "verify-receipt", "w.receipt", "--entry", "w.entry"]).status != 0)
        // The independent verifier (Python, cbor2 + cryptography) agrees.
        let vkey = try cli.run(["log", "vkey", "--db", "s.sqlite"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let raw = try #require(Data(base64Encoded: String(vkey.split(separator: "+", maxSplits: 2)[2])))
        let pub = raw.dropFirst().map { String(format: "%02x", $0) }.joined()
        let (status, out) = try cli.python("scripts/verify-cose-receipt.py", [cli.dir + "/w.receipt", cli.dir + "/w.entry", pub])
        #expect(status == 0 && out.hasPrefix("ok index="), "\(out)")
        #expect(try cli.run(["verify", "--db", "s.sqlite"]).status == 0)
    }
}
