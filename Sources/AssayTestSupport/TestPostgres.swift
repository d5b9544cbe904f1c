import Foundation

/// A throwaway PostgreSQL server for a test that needs its own (several processes on one database, a
/// server killed): started by `scripts/pg start` in a new temporary folder, stopped and removed by
/// ``stop()``. A server that does not start is an error with the script's output: tests fail, never skip.
public final class TestPostgres: Sendable {
    public let directory: String
    /// `postgres://postgres@127.0.0.1:PORT/assay`.
    public let url: String

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/pg").path

    public init() throws {
        directory = NSTemporaryDirectory() + "assay-pg-\(UUID().uuidString.prefix(8))"
        let (status, out) = try TestPostgres.run(["start", directory])
        guard status == 0, let line = out.split(separator: "\n").last, line.hasPrefix("postgres://") else {
            _ = try? TestPostgres.run(["stop", directory])
            throw TestDatabase.Failure(message: "scripts/pg start failed (exit \(status)); run scripts/install-deps:\n\(out)")
        }
        url = String(line)
    }

    /// A URL of a new empty database on this server.
    public func database(_ name: String) throws -> String {
        try TestDatabase.psql(url, "CREATE DATABASE \(name)")
        return TestDatabase.replacingDatabase(of: url, with: name)
    }

    /// Starts a streaming replica of this server (`scripts/pg replica`) and returns the URL of its
    /// `assay` database. It is stopped with the server.
    public func replica() throws -> String {
        let (status, out) = try TestPostgres.run(["replica", directory])
        guard status == 0, let line = out.split(separator: "\n").last, line.hasPrefix("postgres://") else {
            throw TestDatabase.Failure(message: "scripts/pg replica failed (exit \(status)):\n\(out)")
        }
        return String(line)
    }

    public func stop() {
        _ = try? TestPostgres.run(["stop", directory])
    }

    static func run(_ arguments: [String]) throws -> (Int32, String) { try TestScript.run(script, arguments) }
}

/// Runs one of the project's scripts with its output (stdout and stderr) in a file, not a pipe: the
/// servers such a script starts outlive it and must not hold a pipe of the test's open.
public enum TestScript {
    /// - Parameter environment: variables added to this process's environment for the script.
    public static func run(_ script: String, _ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, output: String) {
        let out = NSTemporaryDirectory() + "assay-script-\(UUID().uuidString)"
        FileManager.default.createFile(atPath: out, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: out) }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [script] + arguments
        if !environment.isEmpty { p.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardOutput = handle
        p.standardError = handle
        try p.run()
        p.waitUntilExit()
        try handle.close()
        return (p.terminationStatus, (try? String(contentsOfFile: out, encoding: .utf8)) ?? "")
    }
}
