import Foundation
import Testing

/// `assay export`: each format written with its signed checkpoint beside it, and valid against the standard's
/// published JSON Schema (OCDS 1.1.5 release, BODS 0.4, GeoJSON), checked by an independent validator
/// (scripts/validate-json-schema.py on Debian's python3-jsonschema). The NDJSON of the journal proves its
/// checkpoint: its entries hash to the checkpoint's root.
@Suite("Open-data exports on the command line", .serialized)
struct ExportCLITests {
    let cli = CLITests.sqliteOnly()
    func validate(_ schema: String, _ data: String, _ extra: [String] = []) throws -> (Int32, String) {
        try cli.python("scripts/validate-json-schema.py", [CLITests.repository.appendingPathComponent("Tests/Fixtures/schemas/" + schema).path, data] + extra)
    }

    @Test func everyFormatIsValidAndTakenAtItsCheckpoint() throws {
        #expect(try cli.run(["demo", "--db", "e.sqlite"]).status == 0)
        let vkey = try cli.run(["log", "vkey", "--db", "e.sqlite"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        for format in ["ocds", "bods", "geojson", "eiti", "ndjson"] {
            let r = try cli.run(["export", format, "--db", "e.sqlite", "-o", "x.\(format)"])
            #expect(r.status == 0 && r.out.contains("taken at checkpoint size"), "\(format): \(r.err)")
            let note = try cli.run(["log", "verify-note", "--vkey", vkey], stdin: try String(contentsOfFile: cli.dir + "/x.\(format).checkpoint", encoding: .utf8))
            #expect(note.status == 0, "\(format): \(note.out) \(note.err)")
        }
        // OCDS: every release against the release schema.
        let package = try cli.json(try String(contentsOfFile: cli.dir + "/x.ocds", encoding: .utf8))
        let releases = try #require(package["releases"] as? [[String: Any]])
        #expect(releases.count >= 20 && package["assayCheckpoint"] is [String: Any])
        try JSONSerialization.data(withJSONObject: releases).write(to: URL(fileURLWithPath: cli.dir + "/releases.json"))
        let ocds = try validate("ocds/release-schema.json", cli.dir + "/releases.json", ["--array"])
        #expect(ocds.0 == 0 && ocds.1.hasPrefix("ok \(releases.count) documents"), "\(ocds.1)")
        let spa = releases.first { $0["ocid"] as? String == "ocds-assay-us-drc-spa-2025" }
        #expect(((spa?["parties"] as? [[String: Any]])?.count ?? 0) >= 2)
        // BODS: the statements, an array, against the statement schema; GeoJSON against FeatureCollection.
        let bods = try validate("bods/statement.json", cli.dir + "/x.bods")
        #expect(bods.0 == 0, "\(bods.1)")
        let statements = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.dir + "/x.bods"))) as? [[String: Any]])
        #expect(statements.contains { $0["recordType"] as? String == "relationship" } && statements.contains { $0["recordType"] as? String == "entity" })
        let geo = try validate("geojson/FeatureCollection.json", cli.dir + "/x.geojson")
        #expect(geo.0 == 0, "\(geo.1)")
        let collection = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cli.dir + "/x.geojson"))) as? [String: Any])
        let kinds = Set((collection["features"] as? [[String: Any]] ?? []).compactMap { ($0["properties"] as? [String: Any])?["kind"] as? String })
        #expect(kinds.isSuperset(of: ["site", "title", "control-zone"]), "\(kinds)")
        // The validator is not a rubber stamp: a release without its required date fails.
        var broken = releases[0]
        broken["date"] = nil
        try JSONSerialization.data(withJSONObject: [broken]).write(to: URL(fileURLWithPath: cli.dir + "/broken.json"))
        #expect(try validate("ocds/release-schema.json", cli.dir + "/broken.json", ["--array"]).0 == 1)
        // NDJSON: as many lines as the checkpoint's size; the tree of those lines has the checkpoint's root.
        let lines = try String(contentsOfFile: cli.dir + "/x.ndjson", encoding: .utf8).split(separator: "\n")
        let size = Int(line(cli.dir + "/x.ndjson.checkpoint", 1) ?? "") ?? -1
        #expect(lines.count == size)
        let rootHex = (line(cli.dir + "/x.ndjson.checkpoint", 2).flatMap { Data(base64Encoded: $0) } ?? Data()).map { String(format: "%02x", $0) }.joined()
        let hashes = try cli.run(["log", "tree-hash", "--data"], stdin: lines.map { Data($0.utf8).map { String(format: "%02x", $0) }.joined() }.joined(separator: "\n") + "\n")
        #expect(hashes.status == 0 && !rootHex.isEmpty && hashes.out.contains(rootHex), "\(hashes.out) \(hashes.err)")
        #expect(try cli.run(["export", "xlsx", "--db", "e.sqlite"]).status == 2)
    }

    /// Line `n` (0-based) of a file: of a checkpoint, 1 is the size and 2 the root in base64.
    func line(_ path: String, _ n: Int) -> String? {
        (try? String(contentsOfFile: path, encoding: .utf8))?.split(separator: "\n").dropFirst(n).first.map(String.init)
    }
}
