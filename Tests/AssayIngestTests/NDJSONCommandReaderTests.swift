import AssayDomain
import AssayIngest
import Foundation
import Testing

/// Reading NDJSON a chunk at a time: the same commands and skipped lines as reading it whole, line
/// numbers kept, and every bad line reported at the end.
@Suite("NDJSON read a chunk at a time")
struct NDJSONCommandReaderTests {
    func file(_ text: String) throws -> String {
        let path = NSTemporaryDirectory() + "assay-ndjson-\(UUID().uuidString).ndjson"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func party(_ id: String) -> String { #"{"type":"register-party","id":"\#(id)","name":"P \#(id)","kind":"company","country":"CD"}"# }

    @Test func chunksMatchTheWholeRead() throws {
        let text = [party("a"), "", "# a comment", party("b") + "\r", "   ", party("c"), party("d"), party("e")].joined(separator: "\n")
        let path = try file(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try NDJSONCommandReader(path: path, file: "p.ndjson")
        var chunks: [[Command]] = []
        while let c = try reader.next(limit: 2) { chunks.append(c) }
        #expect(chunks.map(\.count) == [2, 2, 1])
        let whole = try CommandImporter.ndjson(text, file: "p.ndjson")
        #expect(chunks.flatMap { $0 }.map(\.subjectID) == whole.map(\.command.subjectID))
        #expect((0..<5).map { reader.line(ofCommand: $0) } == whole.map(\.line))
        #expect((0..<5).map { reader.line(ofCommand: $0) } == [1, 4, 6, 7, 8])
    }

    @Test func everyBadLineIsReportedAtTheEnd() throws {
        let text = [party("a"), #"{"type":"register-party","id":"x","name":"X","kind":"company","country":"ZZ"}"#, party("b"), "{not json", party("c")]
            .joined(separator: "\n")
        let path = try file(text)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let reader = try NDJSONCommandReader(path: path, file: "bad.ndjson")
        var returned = 0
        do {
            while let c = try reader.next(limit: 1) { returned += c.count }
            Issue.record("no error thrown")
        } catch let e as ImportErrors {
            #expect(e.errors.map(\.line) == [2, 4])
            #expect(e.description.contains("bad.ndjson:2: country:"))
        }
        // Only what came before the first bad line was handed out: nothing after it is worth writing.
        #expect(returned == 1)
    }

    @Test func aMissingFileIsNamed() {
        #expect(throws: ImportError.self) { try NDJSONCommandReader(path: "/nonexistent/x.ndjson", file: "x.ndjson") }
    }
}
