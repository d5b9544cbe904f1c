import Foundation
import Testing

/// `assay bench … --json`: one JSON object per figure on standard output, each with its unit and the limit
/// measured in the same run; the sentences for people on standard error. Small sizes: this checks the
/// format, not the speed (no test asserts a time).
@Suite("Benchmarks print one JSON line per figure", .serialized)
struct BenchJSONTests {
    let cli = CLITests.sqliteOnly()

    /// The figures on standard output, each checked for the fields every line carries.
    func figures(_ args: [String]) throws -> (lines: [[String: Any]], err: String) {
        let r = try cli.run(args + ["--directory", cli.dir, "--json"])
        #expect(r.status == 0, "\(args): \(r.err)")
        var lines: [[String: Any]] = []
        for line in r.out.split(separator: "\n") {
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
            let o = try #require(object, "not a JSON object: \(line)")
            #expect(o["bench"] as? String == args[1])
            #expect((o["figure"] as? String)?.isEmpty == false)
            #expect(o["value"] is NSNumber, "\(line)")
            #expect((o["unit"] as? String)?.isEmpty == false)
            if let limit = o["limit"] as? [String: Any] {
                let value = try #require(o["value"] as? Double), lim = try #require(limit["value"] as? Double)
                #expect(limit["name"] is String && limit["unit"] is String)
                if lim > 0, let ratio = o["ratio"] as? Double {
                    #expect(abs(ratio - value / lim) <= 0.0001 + 0.001 * abs(ratio), "\(line)")
                }
            }
            if o["goal"] != nil { #expect(o["met"] is Bool || o["met"] == nil) }
            lines.append(o)
        }
        return (lines, r.err)
    }

    @Test func registryFiguresComeWithTheirLimit() throws {
        let (lines, err) = try figures(["bench", "registry", "--grants", "1000", "--concessions", "100", "--checks", "10"])
        #expect(lines.map { $0["figure"] as? String } == ["bulk import end to end", "collision check (dry run, 10,000-cell grant)", "rebuild (replay)"])
        for line in lines { #expect(line["limit"] != nil) }
        let importLine = try #require(lines.first)
        #expect(importLine["commands"] as? Int == 1100)
        #expect((importLine["limit"] as? [String: Any])?["name"] as? String == "raw SQLite row insert")
        let check = lines[1]
        #expect(check["p50"] is Double && check["p99"] is Double && check["latency_unit"] as? String == "ms")
        // The sentences still reach a person, on standard error.
        #expect(err.contains("baseline: raw SQLite row insert"))
        #expect(err.contains("rebuild: replayed"))
    }

    @Test func lookupIssuesReceiptsBesideTheSigningRate() throws {
        let (lines, err) = try figures(["bench", "lookup", "--entries", "300", "--receipts", "200", "--map-entries", "5000", "--map-keys", "500"])
        #expect(lines.map { $0["figure"] as? String } == ["index update when appending (2 keys an entry)", "index lookup proof (random keys)", "index proof size",
                                                         "COSE receipt issue (one per write, random entries)", "COSE receipt verification"])
        #expect(lines.first?["keys"] as? Int == 500 && (lines[2]["value"] as? Double ?? 0) > 32)
        let issue = try #require(lines.first { $0["figure"] as? String == "COSE receipt issue (one per write, random entries)" })
        #expect((issue["limit"] as? [String: Any])?["name"] as? String == "Ed25519 signatures of 60-byte messages")
        #expect(issue["p50"] is Double && issue["p99"] is Double && issue["latency_unit"] as? String == "µs")
        #expect((issue["bytes"] as? Int ?? 0) > 100 && issue["entries"] as? Int == 300)
        #expect(err.contains("baseline: Ed25519 signatures"))
    }

    @Test func scaleMeasuresEveryViewUnderAWriteLoad() throws {
        let (lines, err) = try figures(["bench", "scale", "--parties", "300", "--events", "40", "--seconds", "1", "--connections", "2",
                                        "--write-rate", "5", "--port", "18996"])
        let names = lines.compactMap { $0["figure"] as? String }
        #expect(names.filter { $0 == "import peak memory" }.count == 2)
        for view in ["overview /", "party pages", "search", "ownership report", "risk report pages (cursor)", "royalties and EITI reports", "map"] {
            #expect(names.contains(view), "\(view) was not measured")
        }
        #expect(names.last == "server peak memory")
        let memory = try #require(lines.last)
        #expect((memory["value"] as? Double ?? 0) > 0)
        #expect((memory["writes_failed"] as? Int) == 0)
        #expect((memory["writes_acknowledged"] as? Int ?? 0) > 0, "no write was acknowledged while the views were measured")
        #expect(err.contains("import of 300 party registrations"))
    }

    @Test func riskFiguresAndPlainTextWithoutTheFlag() throws {
        let args = ["bench", "risk", "--lots", "2000", "--sites", "100", "--assessments", "40"]
        let (lines, _) = try figures(args)
        #expect(lines.map { $0["figure"] as? String } == ["re-screening after a new assessment", "who held this cell on this day",
                                                          "monthly supply at risk, 10 years", "IPIS sample import"])
        #expect((lines[0]["limit"] as? [String: Any])?["unit"] as? String == "lots/s")
        #expect(lines[1]["latency_unit"] as? String == "µs")
        // Without --json: sentences on standard output, no JSON.
        let plain = try cli.run(args + ["--directory", cli.dir])
        #expect(plain.status == 0)
        #expect(plain.out.contains("re-screening 2000 lots"))
        #expect(!plain.out.split(separator: "\n").contains { $0.hasPrefix("{") })
    }
}
