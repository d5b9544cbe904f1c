import Foundation
import Testing

/// `assay log rotate-key` as an operator runs it: the key file gains the new key (mode 0600), the log
/// names it, both keys sign during the transition, and `verify` and the offline tools accept either key.
@Suite("Rotating the log's key from the command line", .serialized)
struct KeyRotationCLITests {
    let cli = CLITests()

    @Test func rotateShowVerify() throws {
        #expect(try cli.run(["demo", "--db", "k.sqlite"]).status == 0)
        let k0 = try cli.run(["log", "vkey", "--db", "k.sqlite"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let rotate = try cli.run(["--db", "k.sqlite", "log", "rotate-key", "--transition-days", "7"])
        #expect(rotate.status == 0, "\(rotate.err)")
        let k1 = rotate.out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(k1 != k0 && k1.hasPrefix(k0.split(separator: "+")[0] + "+"))
        #expect(rotate.err.contains("both keys sign until"))
        // The key file holds both private keys, readable by its owner only.
        let keyPath = cli.dir + "/k.sqlite.key"
        let lines = try String(contentsOfFile: keyPath, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2 && lines.allSatisfy { $0.hasPrefix("PRIVATE+KEY+") })
        let mode = (try FileManager.default.attributesOfItem(atPath: keyPath)[.posixPermissions] as? NSNumber)?.intValue
        #expect(mode == 0o600)
        #expect(try cli.run(["log", "vkey", "--db", "k.sqlite"]).out.trimmingCharacters(in: .whitespacesAndNewlines) == k1)
        let history = try cli.run(["log", "vkey", "--history", "--db", "k.sqlite"]).out
        #expect(history.contains(k0) && history.contains(k1) && history.contains("from entry"))
        let keys = try cli.json(try cli.run(["log", "keys", "--json", "--db", "k.sqlite"]).out)
        #expect(keys["current"] as? String == k1 && (keys["history"] as? [Any])?.count == 2)
        // The newest checkpoint carries both signatures; either key verifies the whole log.
        let checkpoint = try cli.run(["log", "checkpoint", "--db", "k.sqlite"]).out
        #expect(checkpoint.split(separator: "\n").filter { $0.hasPrefix("— ") }.count == 2)
        for key in [k0, k1] {
            let v = try cli.run(["verify", "--db", "k.sqlite", "--vkey", key])
            #expect(v.status == 0, "verify --vkey \(key): \(v.err)")
        }
        // A proof bundle made now verifies offline with the old key (transition) and with the new one.
        #expect(try cli.run(["proof", "--seq", "5", "--db", "k.sqlite", "--output", "p.txt"]).status == 0)
        for key in [k0, k1] { #expect(try cli.run(["log", "verify-proof", "p.txt", "--vkey", key]).status == 0) }
        // Rotating to the same log again works; a damaged key file is refused with its line.
        #expect(try cli.run(["log", "rotate-key", "--db", "k.sqlite", "--transition-days", "1"]).status == 0)
        try "not a key\n".write(toFile: cli.dir + "/bad.key", atomically: true, encoding: .utf8)
        let bad = try cli.run(["log", "vkey", "--db", "k.sqlite", "--key", "bad.key"])
        #expect(bad.status == 1 && bad.err.contains("bad.key:1"))
        let zero = try cli.run(["log", "rotate-key", "--db", "k.sqlite", "--transition-days", "0"])
        #expect(zero.status == 2)
    }
}
