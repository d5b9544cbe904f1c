import ArgumentParser
import Foundation

/// `assay bench http`: starts this binary's server on a demo database and drives it with wrk (Debian)
/// over loopback, 64 connections, printing each route beside a trivial route of the same server.
struct BenchHTTP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http", abstract: "Drive the server with wrk over loopback (64 connections) and print each route beside /healthz.")
    @Option(help: "Seconds per route.") var seconds: Int = 10
    @Option(help: "Connections.") var connections: Int = 64
    @Option(help: "Port for the server under test.") var port: Int = 18_900

    struct Figures { var rps: Double; var p50: Double; var p99: Double }

    func run() async throws {
        #if DEBUG
        print("warning: this is a debug build; figures are for `swift run -c release assay bench http`")
        #endif
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
            throw InputFailure(message: "wrk is not installed: scripts/install-deps installs it (apt-get install wrk)")
        }
        let dir = NSTemporaryDirectory() + "assay-bench-http-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        server.arguments = ["serve", "--demo", "--db", dir + "/bench.sqlite", "--port", String(port), "--write-rate", "0", "--address-write-rate", "0"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        var up = false
        for _ in 0..<200 where !up {
            try await Task.sleep(for: .milliseconds(100))
            up = (try? wrk("/healthz", seconds: 1, connections: 1)) != nil
        }
        guard up else { throw InputFailure(message: "the server did not start on port \(port)") }
        let base = try wrk("/healthz", seconds: seconds, connections: connections)
        print("baseline: trivial route /healthz: \(Int(base.rps)) requests/s, p50 \(f(base.p50)) ms, p99 \(f(base.p99)) ms")
        let routes: [(String, String, String)] = [
            ("read a site by id", "/api/v1/sites/bisie", "goal ≥ 20,000 req/s and ≥ 40% of trivial; p99 ≤ 10 ms"),
            ("inclusion proof", "/log/proof/inclusion?index=100", "goal ≥ 20,000 req/s and ≥ 40% of trivial; p99 ≤ 10 ms"),
            ("full tile", "/log/tile/0/000", "goal ≥ 30,000 req/s"),
            ("agreement page HTML", "/agreements/us-drc-spa-2025", "goal p99 ≤ 20 ms"),
        ]
        for (name, path, goal) in routes {
            let r = try wrk(path, seconds: seconds, connections: connections)
            print("\(name) \(path): \(Int(r.rps)) requests/s = \(String(format: "%.0f%%", r.rps / base.rps * 100)) of trivial; p50 \(f(r.p50)) ms, p99 \(f(r.p99)) ms (\(goal))")
        }
    }

    func f(_ x: Double) -> String { String(format: "%.2f", x) }

    static func fmt(_ x: Double) -> String { String(format: "%.2f", x) }

    func wrk(_ path: String, seconds: Int, connections: Int) throws -> Figures {
        try BenchHTTP.wrk(port: port, path, seconds: seconds, connections: connections)
    }

    static func wrk(port: Int, _ path: String, seconds: Int, connections: Int, script: String? = nil) throws -> Figures {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/wrk")
        p.arguments = ["-t\(min(2, connections))", "-c\(connections)", "-d\(seconds)s", "--latency"] + (script.map { ["-s", $0] } ?? [])
            + ["http://127.0.0.1:\(port)\(path)"]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        func ms(_ s: Substring) -> Double? {
            if s.hasSuffix("us") { return Double(s.dropLast(2)).map { $0 / 1000 } }
            if s.hasSuffix("ms") { return Double(s.dropLast(2)) }
            if s.hasSuffix("s") { return Double(s.dropLast()).map { $0 * 1000 } }
            return nil
        }
        var fig = Figures(rps: 0, p50: 0, p99: 0)
        var errors = false
        for line in text.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            if line.contains("Requests/sec:"), let v = parts.last.flatMap({ Double($0) }) { fig.rps = v }
            if parts.first == "50%", let v = parts.last.flatMap(ms) { fig.p50 = v }
            if parts.first == "99%", let v = parts.last.flatMap(ms) { fig.p99 = v }
            if line.contains("Non-2xx") || line.contains("Socket errors") { errors = true }
        }
        guard p.terminationStatus == 0, fig.rps > 0 else { throw InputFailure(message: "wrk failed on \(path)") }
        if errors, connections > 1 { print("  note: wrk reported errors or non-2xx answers on \(path)") }
        return fig
    }
}
