import Foundation
import Logging
import PostgresNIO

/// A throwaway PostgreSQL cluster made by `scripts/pg start` in a fresh temporary directory and removed by
/// `scripts/pg stop`. Failing to start is an error carrying the script's output, so tests fail, never skip.
struct PostgresCluster: Sendable {
    /// Could not start or use the cluster; the message holds the script's output.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    let directory: String
    let url: String

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/pg").path

    /// Runs `body` against a fresh cluster and always stops it afterwards, whether `body` succeeds or throws.
    static func with<R>(_ body: (PostgresCluster) async throws -> R) async throws -> R {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("assay-pg-\(UUID().uuidString)").path
        let (status, out, err) = try await run(["start", dir])
        guard status == 0, let url = out.split(separator: "\n").last.map(String.init), url.hasPrefix("postgres://") else {
            _ = try? await run(["stop", dir])
            throw Failure(description: "could not start PostgreSQL with scripts/pg start (exit \(status)); run scripts/install-deps. Output:\n\(out)\(err)")
        }
        let cluster = PostgresCluster(directory: dir, url: url)
        do {
            let result = try await body(cluster)
            try await cluster.stop()
            return result
        } catch {
            try? await cluster.stop()
            throw error
        }
    }

    func stop() async throws {
        let (status, out, err) = try await PostgresCluster.run(["stop", directory])
        guard status == 0 else { throw Failure(description: "scripts/pg stop \(directory) failed (exit \(status)):\n\(out)\(err)") }
    }

    /// Runs the script on a dispatch thread: waiting for a process must not block Swift's few cooperative threads.
    static func run(_ arguments: [String]) async throws -> (Int32, String, String) {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try runBlocking(arguments) })
            }
        }
    }

    static func runBlocking(_ arguments: [String]) throws -> (Int32, String, String) {
        // Output goes to files, not pipes: the server the script starts must not keep a pipe of ours open.
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("assay-pg-out-\(UUID().uuidString)").path
        FileManager.default.createFile(atPath: base + ".out", contents: nil)
        FileManager.default.createFile(atPath: base + ".err", contents: nil)
        defer { try? FileManager.default.removeItem(atPath: base + ".out"); try? FileManager.default.removeItem(atPath: base + ".err") }
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/bash")
        p.arguments = [script] + arguments
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle(forWritingAtPath: base + ".out")
        p.standardError = FileHandle(forWritingAtPath: base + ".err")
        try p.run()
        p.waitUntilExit()
        let o = (try? String(contentsOfFile: base + ".out", encoding: .utf8)) ?? ""
        let e = (try? String(contentsOfFile: base + ".err", encoding: .utf8)) ?? ""
        return (p.terminationStatus, o, e)
    }

    /// Runs `body` with a plain PostgresNIO client on the cluster's database (to look under the log).
    func withClient<R: Sendable>(_ body: (PostgresClient) async throws -> R) async throws -> R {
        guard let c = URLComponents(string: url), let host = c.host, let port = c.port, let user = c.user else {
            throw Failure(description: "scripts/pg printed an unexpected URL: \(url)")
        }
        let client = PostgresClient(configuration: .init(host: host, port: port, username: user, password: nil, database: "assay", tls: .disable),
                                    backgroundLogger: Logger(label: "test"))
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        return try await body(client)
    }
}
