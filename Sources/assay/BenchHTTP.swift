import ArgumentParser
import AssayIngest
import AssayStore
import Foundation

/// `assay bench http`: starts this binary's server on a demo database and drives it with wrk (Debian)
/// over loopback, 64 connections, printing each route beside a trivial route of the same server.
struct BenchHTTP: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "http", abstract: "Drive the server with wrk over loopback (64 connections): route groups over many different ids, cold and warm, beside /healthz.")
    @Option(help: "Seconds per route.") var seconds: Int = 10
    @Option(help: "Connections.") var connections: Int = 64
    @Option(help: "Port for the server under test.") var port: Int = 18_900
    @OptionGroup var output: BenchOptions

    struct Figures { var rps: Double; var p50: Double; var p99: Double }

    func run() async throws {
        BenchOutput.configure(output)
        #if DEBUG
        BenchOutput.say("warning: this is a debug build; figures are for `swift run -c release assay bench http`")
        #endif
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
            throw InputFailure(message: "wrk is not installed: scripts/install-deps installs it (apt-get install wrk)")
        }
        let dir = NSTemporaryDirectory() + "assay-bench-http-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let db = dir + "/bench.sqlite"
        // The demo registry, and the ids every route group cycles through (never one cached URL).
        let store = try await Context.store(try GlobalOptions.parse(["--db", db]), create: true)
        _ = try await store.append(try DemoSet.commands(), author: "demo")
        let r = try await store.registry()
        let size = Int(try await store.journalSize())
        let lots = try await store.lots(after: nil, limit: 1000).map(\.id)
        let provinces = store.geography.provinces.map(\.code)
        await store.close()
        let words = ["cobalt", "tin", "kisanfu", "bisie", "gold", "manono", "kamoto", "ituri", "lithium", "tantalum", "kolwezi", "mining"]
        let groups: [(String, [String], String)] = [
            ("read a site by id (API)", r.sites.map { "/api/v1/sites/\($0.id)" }, "goal ≥ 20,000 req/s and ≥ 40% of trivial; p99 ≤ 10 ms"),
            ("inclusion proof", (0..<size).map { "/log/proof/inclusion?index=\($0)" }, "goal ≥ 20,000 req/s and ≥ 40% of trivial; p99 ≤ 10 ms"),
            ("entry bundle tile", (0..<max(1, size / 256)).map { "/log/tile/entries/\(Self.tileIndex($0))" }, "goal ≥ 30,000 req/s"),
            ("overview page /", ["/?lang=fr", "/?lang=en"], "goal ≥ 10,000 req/s, p99 ≤ 20 ms"),
            ("agreement pages", r.agreements.flatMap { ["/agreements/\($0.id)?lang=fr", "/agreements/\($0.id)?lang=en"] }, "goal p99 ≤ 20 ms"),
            ("site pages", r.sites.map { "/sites/\($0.id)" }, "goal ≥ 15,000 req/s, p99 ≤ 20 ms"),
            ("party pages", r.parties.map { "/parties/\($0.id)" }, "goal ≥ 15,000 req/s, p99 ≤ 20 ms"),
            ("lot pages", lots.map { "/lots/\($0)" }, "goal p99 ≤ 20 ms"),
            ("map by month", (0..<24).map { "/map?month=\($0)" }, "goal p99 ≤ 20 ms"),
            ("map by province and month", provinces.flatMap { p in (0..<24).map { "/map?province=\(p)&month=\($0)" } }, "goal p99 ≤ 20 ms"),
            ("title pages (with their mini-map)", r.concessions.map { "/concessions/\($0.id)?lang=fr" }, "goal p99 ≤ 20 ms"),
            ("chart data (CSV)", ["/supply.csv", "/supply/owners.csv"] + r.agreements.map { "/agreements/\($0.id)/balance.csv" }, "goal p99 ≤ 20 ms"),
            ("lists (agreements, parties, sites, titles, lots, supply)", ["/agreements", "/parties", "/sites", "/concessions", "/lots", "/supply"], "goal p99 ≤ 20 ms"),
            ("search", words.map { "/search?q=\($0)" }, "goal p99 ≤ 20 ms"),
        ]
        BenchOutput.say("demo registry: \(size) entries, \(r.sites.count) sites, \(r.parties.count) parties, \(r.agreements.count) agreements, \(lots.count) lots; \(connections) connections, \(seconds) s a pass")
        BenchOutput.say("each group: a fresh server (cold: nothing cached), a pass over its ids, then a second pass (warm)")
        var base: Figures?
        for (name, paths, goal) in groups {
            let script = dir + "/paths.lua"
            try Self.script(paths).write(toFile: script, atomically: true, encoding: .utf8)
            let server = try startServer(db)
            defer { server.terminate(); server.waitUntilExit() }
            if base == nil {
                let b = try wrk("/healthz", seconds: seconds, connections: connections)
                BenchOutput.say("baseline: trivial route /healthz: \(Int(b.rps)) requests/s, p50 \(f(b.p50)) ms, p99 \(f(b.p99)) ms")
                base = b
            }
            let cold = try BenchHTTP.wrk(port: port, "/", seconds: seconds, connections: connections, script: script)
            let warm = try BenchHTTP.wrk(port: port, "/", seconds: seconds, connections: connections, script: script)
            // The trivial route again on this server, after the passes (so it warms nothing they measure).
            let trivial = try wrk("/healthz", seconds: max(1, seconds / 2), connections: connections).rps
            BenchOutput.say("\(name), \(paths.count) different URLs (\(goal); trivial route on the same server \(Int(trivial)) req/s):")
            BenchOutput.say("  cold \(Int(cold.rps)) req/s = \(String(format: "%.0f%%", cold.rps / trivial * 100)) of trivial, p50 \(f(cold.p50)) ms, p99 \(f(cold.p99)) ms")
            BenchOutput.say("  warm \(Int(warm.rps)) req/s = \(String(format: "%.0f%%", warm.rps / trivial * 100)) of trivial, p50 \(f(warm.p50)) ms, p99 \(f(warm.p99)) ms")
            let limit = BenchLimit(name: "trivial route /healthz on the same server", value: trivial, unit: "req/s")
            for (pass, fig) in [("cold", cold), ("warm", warm)] {
                BenchOutput.figure("http", name, value: fig.rps, unit: "req/s", p50: fig.p50, p99: fig.p99, limit: limit, goal: goal,
                                   extra: ["pass": .string(pass), "urls": .int(Int64(paths.count)), "connections": .int(Int64(connections))])
            }
            server.terminate()
            server.waitUntilExit()
        }
    }

    /// A wrk script cycling through `paths`, each thread from its own offset.
    static func script(_ paths: [String]) -> String {
        let list = paths.map { "\"" + $0.replacingOccurrences(of: "\"", with: "%22") + "\"" }.joined(separator: ",\n")
        return """
        local paths = {
        \(list)
        }
        local n = 0
        local threads = 0
        function setup(thread) threads = threads + 1; thread:set("offset", threads * 7919) end
        function init(args) n = offset or 0 end
        function request()
          n = n + 1
          return wrk.format("GET", paths[(n % #paths) + 1])
        end
        """
    }

    /// A tile index as a C2SP path element (`000`, `x001/234`).
    static func tileIndex(_ i: Int) -> String {
        var parts: [String] = []
        var n = i
        repeat { parts.insert(String(format: "%03d", n % 1000), at: 0); n /= 1000 } while n > 0
        return parts.enumerated().map { $0.offset < parts.count - 1 ? "x" + $0.element : $0.element }.joined(separator: "/")
    }

    /// This binary's server on `db` (limits off: this measures the server, not its throttling), once /healthz answers.
    func startServer(_ db: String) throws -> Process {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        server.arguments = ["serve", "--db", db, "--port", String(port), "--write-rate", "0", "--address-write-rate", "0"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        for _ in 0..<200 {
            Thread.sleep(forTimeInterval: 0.1)
            if (try? wrk("/healthz", seconds: 1, connections: 1)) != nil { return server }
        }
        server.terminate()
        throw InputFailure(message: "the server did not start on port \(port)")
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
        if errors, connections > 1 { BenchOutput.say("  note: wrk reported errors or non-2xx answers on \(path)") }
        return fig
    }
}
