import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

extension CLITests {
    /// Runs `assay serve --db DB --key KEY --port P` followed by `extra` in the test's directory, waits until
    /// `/healthz` answers, runs `body` with the server's base URL, and stops the server whatever happens.
    func serving<T>(_ db: String, key: String, extra: [String] = [], _ body: (String) throws -> T) throws -> T {
        let port = 20_000 + Int(getpid() % 500) + Int.random(in: 0..<1400)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Self.binary)
        server.arguments = ["serve", "--db", db, "--key", key, "--port", String(port)] + extra
        server.currentDirectoryURL = URL(fileURLWithPath: dir)
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        let url = "http://127.0.0.1:\(port)"
        for _ in 0..<300 {
            if let d = try? Data(contentsOf: URL(string: url + "/healthz")!), String(decoding: d, as: UTF8.self) == "ok" { return try body(url) }
            usleep(100_000)
        }
        Issue.record("the server did not start on \(url)")
        return try body(url)
    }

    /// The repository's root (for `scripts/` and `Tests/Fixtures/`).
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// Runs one of the repository's Python scripts with Debian's python3 (where scripts/install-deps puts
    /// their packages): its exit status and its output, standard error included.
    func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [Self.repository.appendingPathComponent(script).path] + arguments
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let out = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, out)
    }
}
