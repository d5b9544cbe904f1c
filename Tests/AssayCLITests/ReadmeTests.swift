import Foundation
import Testing

/// The README is a contract: the commands its first pages tell a new user to try run as written.
@Suite("The README's commands run as written", .serialized)
struct ReadmeTests {
    let cli = CLITests.sqliteOnly()

    static let readme: String = {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        return (try? String(contentsOf: root.appendingPathComponent("README.md"), encoding: .utf8)) ?? ""
    }()

    /// Every `swift run assay …` line of the README's shell blocks (not the benchmarks', which are built with
    /// `-c release` and run for minutes), without its comment.
    static func tryLines() -> [String] {
        var inShell = false
        var out: [String] = []
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") { inShell = line.hasPrefix("```sh") && !inShell; continue }
            guard inShell, line.hasPrefix("swift run assay ") else { continue }
            let command = line.split(separator: "#", maxSplits: 1).first.map(String.init) ?? String(line)
            out.append(command.trimmingCharacters(in: .whitespaces))
        }
        return out
    }

    @Test func theTwoCommandsExist() {
        for script in ["scripts/serve", "scripts/test", ".ci/run"] {
            let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            #expect(FileManager.default.isExecutableFile(atPath: root.appendingPathComponent(script).path), "\(script)")
        }
        #expect(Self.readme.contains("scripts/serve") && Self.readme.contains("scripts/test"))
    }

    @Test func everyTryCommandRunsOnTheDemo() throws {
        let lines = Self.tryLines()
        #expect(lines.count >= 10, "the README's first commands were not found")
        // As `scripts/demo` does: the demo set in ./assay.sqlite, which the commands use by default.
        let demo = try cli.run(["demo"])
        #expect(demo.status == 0, "\(demo.err)")
        for line in lines {
            // `swift run assay ARGS` is the built binary with ARGS; the README's lines hold no quotes.
            let args = line.dropFirst("swift run assay ".count).split(separator: " ").map(String.init)
            let r = try cli.run(args)
            #expect(r.status == 0, "\(line): \(r.err)")
            #expect(!r.out.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(line) printed nothing")
        }
    }
}
