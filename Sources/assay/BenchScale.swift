import ArgumentParser
import AssayBenchSupport
import AssayDomain
import AssayIngest
import AssayStore
import Foundation
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// `assay bench scale`: a registry of a million parties and a million custody events (by default), then
/// every portal page and report over many different ids under a steady signed write load, with the
/// server's memory; and the import's peak memory at two sizes (to see whether it grows with the file).
struct BenchScale: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scale",
        abstract: "A registry of 1,000,000 parties and 1,000,000 custody events: import time and peak memory, then every page and report under a steady write load, with the server's memory.")
    @Option(help: "Parties in the registry (imported with `assay import` from NDJSON).") var parties: Int = 1_000_000
    @Option(help: "Signed custody events (extractions, each a new lot) appended in-process.") var events: Int = 1_000_000
    @Option(help: "Seconds of wrk load per route group.") var seconds: Int = 5
    @Option(help: "Connections for wrk.") var connections: Int = 16
    @Option(help: "Signed custody events a second posted to the server while the routes are measured.") var writeRate: Int = 50
    @Option(help: "Port for the server under test.") var port: Int = 18_990
    @Option(help: "Where the temporary databases go.") var directory: String = NSTemporaryDirectory()
    @Flag(help: "Keep the registry afterwards (its path is printed), to look into it or serve it again.") var keep = false
    @OptionGroup var output: BenchOptions

    func validate() throws {
        guard parties >= 100, events >= 10, seconds >= 1, connections >= 1, writeRate >= 0, (1...65534).contains(port) else {
            throw ValidationError("use --parties ≥ 100, --events ≥ 10, --seconds ≥ 1, --connections ≥ 1, --write-rate ≥ 0 and a --port below 65535")
        }
    }

    func run() async throws {
        BenchOutput.configure(output)
        #if DEBUG
        BenchOutput.say("warning: this is a debug build; figures are for `swift run -c release assay bench scale`")
        #endif
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
            throw InputFailure(message: "wrk is not installed: scripts/install-deps installs it (apt-get install wrk)")
        }
        let dir = (directory as NSString).appendingPathComponent("assay-bench-scale-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(atPath: dir) } }
        let db = dir + "/scale.sqlite"
        if keep { BenchOutput.say("registry: \(db) (kept; its operator token is in \(dir)/token)") }
        let key = OperatorSigningKey(keyID: "scale-op-k1", party: "scale-op")

        // The demo registry (agreements, sites, titles, risk) and an operator with its key.
        let token: String
        do {
            let store = try await Context.store(try GlobalOptions.parse(["--db", db]), create: true)
            _ = try await store.append(try DemoSet.commands(), author: "demo")
            try await BenchCustody.registerOperator(store, key: key, party: "scale-op", site: "scale-pit")
            token = try await store.createToken(role: .operator, party: "scale-op").secret
            if keep { try token.write(toFile: dir + "/token", atomically: true, encoding: .utf8) }
            await store.close()
        }

        // 1. Import: a tenth of the parties into a scratch registry, then all of them into this one, each with
        // `assay import` in a process of its own, so its peak memory is the import's alone.
        let small = max(100, parties / 10)
        let smallRun = try importParties(count: small, into: dir + "/small.sqlite", file: dir + "/small.ndjson")
        let fullRun = try importParties(count: parties, into: db, file: dir + "/parties.ndjson")
        for (n, run) in [(small, smallRun), (parties, fullRun)] {
            BenchOutput.say("import of \(n) party registrations (assay import, NDJSON, one transaction): \(Int(Double(n) / run.seconds)) commands/s, peak memory \(mib(run.peakKB)) MiB")
            BenchOutput.figure("scale", "import peak memory", value: Double(run.peakKB) / 1024, unit: "MiB",
                               goal: "flat in the number of commands", extra: ["commands": .int(Int64(n)), "rate": BenchOutput.number(Double(n) / run.seconds)])
        }
        let growth = Double(fullRun.peakKB) / Double(max(1, smallRun.peakKB))
        BenchOutput.say("  import peak memory grew \(String(format: "%.1f", growth))× for \(parties / small)× the commands (goal: flat)")

        // 2. Custody events, signed on every core, appended in-process in batches of 10,000.
        var t = ContinuousClock.now
        let signed = await Self.sign(events, key: key)
        let signSeconds = BenchLog.secondsStatic(since: t)
        do {
            let store = try await Context.store(try GlobalOptions.parse(["--db", db]))
            t = ContinuousClock.now
            var start = 0
            while start < signed.count {
                let end = min(signed.count, start + 10_000)
                _ = try await store.append(Array(signed[start..<end]), author: "bench")
                start = end
            }
            let rate = Double(events) / BenchLog.secondsStatic(since: t)
            BenchOutput.say("custody events: \(events) signed in \(String(format: "%.1f", signSeconds)) s, appended in-process in batches of 10,000 at \(Int(rate)) events/s")
            await store.close()
        }

        // 3. The server on this registry, a steady signed write load, and each route group over many ids.
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        server.arguments = ["serve", "--db", db, "--port", String(port), "--write-rate", "0", "--address-write-rate", "0"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        t = ContinuousClock.now
        try server.run()
        defer {
            // A server still working through slow requests may take long to drain: 10 s, then SIGKILL.
            server.terminate()
            for _ in 0..<100 where server.isRunning { usleep(100_000) }
            if server.isRunning { kill(server.processIdentifier, SIGKILL) }
            server.waitUntilExit()
        }
        var up = false
        for _ in 0..<1200 where !up {
            var probe = SoakClient(port: port)
            up = probe.exchange(method: "GET", path: "/healthz", token: nil, body: nil).status == 200
            probe.close()
            if !up { try await Task.sleep(for: .milliseconds(100)) }
        }
        guard up else { throw InputFailure(message: "the server did not start on port \(port)") }
        let startSeconds = BenchLog.secondsStatic(since: t)
        let pid = server.processIdentifier
        BenchOutput.say("server: answering \(String(format: "%.1f", startSeconds)) s after start, \(mib(BenchSoak.residentKB(pid))) MiB resident")

        let load = WriteLoad(port: port, rate: writeRate, token: token, key: key)
        load.start()
        defer { load.stop() }

        var rng = SplitMix64(seed: 20_261_130)
        func someParties(_ n: Int) -> [Int] { (0..<n).map { _ in Int(rng.next() % UInt64(parties)) } }
        func someLots(_ n: Int) -> [Int] { (0..<n).map { _ in Int(rng.next() % UInt64(events)) } }
        let groups: [(String, [String])] = [
            ("overview /", ["/?lang=en", "/?lang=fr"]),
            ("party pages", someParties(2000).map { "/parties/\(Self.partyID($0))" }),
            ("party by id (API)", someParties(2000).map { "/api/v1/parties/\(Self.partyID($0))" }),
            ("party list pages (cursor)", someParties(500).map { "/parties?after=\(Self.partyID($0))" }),
            ("lot pages", someLots(2000).map { "/lots/\(Self.lotTag($0))" }),
            ("lot list", ["/lots"]),
            ("search", someParties(200).map { "/search?q=party%20\($0)" }),
            ("ownership report", ["/api/v1/reports/ownership"]),
            ("balance and collisions reports", ["/api/v1/reports/balance", "/api/v1/reports/collisions"]),
            ("supply at risk", ["/supply", "/api/v1/reports/supply"]),
            ("risk report pages (cursor)", someLots(200).map { "/api/v1/reports/risk?after=\(Self.lotTag($0))" }),
            ("royalties and EITI reports", ["/api/v1/reports/royalties", "/api/v1/reports/eiti"]),
            ("map", ["/map"]),
        ]
        var worst = 0.0
        for (name, paths) in groups {
            let script = dir + "/paths.lua"
            try BenchHTTP.script(paths).write(toFile: script, atomically: true, encoding: .utf8)
            let fig: BenchHTTP.Figures
            do { fig = try BenchHTTP.wrk(port: port, "/", seconds: seconds, connections: connections, script: script) } catch {
                // wrk gives up on a request after 2 s: none answered in time.
                BenchOutput.say("\(name): no answer within wrk's 2 s timeout in \(seconds) s under \(writeRate) writes/s (goal p99 ≤ 50 ms)")
                BenchOutput.figure("scale", name, value: 0, unit: "req/s", goal: "p99 ≤ 50 ms", met: false,
                                   extra: ["urls": .int(Int64(Set(paths).count)), "timed_out": .bool(true), "parties": .int(Int64(parties)),
                                           "events": .int(Int64(events)), "write_rate": .int(Int64(writeRate))])
                worst = .infinity
                continue
            }
            let rss = BenchSoak.residentKB(pid)
            guard fig.p99 > 0 else {
                // A few answers, but too few for wrk to print a latency distribution.
                BenchOutput.say("\(name): \(String(format: "%.1f", fig.rps)) req/s, too few answers for percentiles (wrk's timeout is 2 s); server \(mib(rss)) MiB (goal p99 ≤ 50 ms)")
                BenchOutput.figure("scale", name, value: fig.rps, unit: "req/s", goal: "p99 ≤ 50 ms", met: false,
                                   extra: ["urls": .int(Int64(Set(paths).count)), "timed_out": .bool(true), "parties": .int(Int64(parties)),
                                           "events": .int(Int64(events)), "write_rate": .int(Int64(writeRate)), "server_rss_mib": BenchOutput.number(Double(rss) / 1024)])
                worst = .infinity
                continue
            }
            worst = max(worst, fig.p99)
            BenchOutput.say("\(name), \(Set(paths).count) different URLs under \(writeRate) writes/s: \(Int(fig.rps)) req/s, p50 \(BenchHTTP.fmt(fig.p50)) ms, p99 \(BenchHTTP.fmt(fig.p99)) ms (goal p99 ≤ 50 ms); server \(mib(rss)) MiB")
            BenchOutput.figure("scale", name, value: fig.rps, unit: "req/s", p50: fig.p50, p99: fig.p99, goal: "p99 ≤ 50 ms", met: fig.p99 <= 50,
                               extra: ["urls": .int(Int64(Set(paths).count)), "parties": .int(Int64(parties)), "events": .int(Int64(events)),
                                       "write_rate": .int(Int64(writeRate)), "server_rss_mib": BenchOutput.number(Double(rss) / 1024)])
        }
        let (acks, failures) = load.stop()
        let peak = Self.peakKB(pid)
        BenchOutput.say("steady writes while measuring: \(acks) acknowledged, \(failures) failed; server peak memory \(mib(peak)) MiB (goal ≤ 300 MiB); worst p99 \(BenchHTTP.fmt(worst)) ms")
        BenchOutput.figure("scale", "server peak memory", value: Double(peak) / 1024, unit: "MiB", goal: "≤ 300 MiB", met: peak <= 300 * 1024,
                           extra: ["parties": .int(Int64(parties)), "events": .int(Int64(events)), "writes_acknowledged": .int(Int64(acks)),
                                   "writes_failed": .int(Int64(failures))])
    }

    static func partyID(_ n: Int) -> String { "scale-p\(n)" }
    static func lotTag(_ n: Int) -> String { "SCALE-\(n)" }

    func mib(_ kb: Int) -> String { String(format: "%.0f", Double(kb) / 1024) }

    /// Writes `count` party registrations as NDJSON and imports them with `assay import` in a child process:
    /// its wall time and peak resident memory (the child's `ru_maxrss`).
    func importParties(count: Int, into db: String, file: String) throws -> (seconds: Double, peakKB: Int) {
        FileManager.default.createFile(atPath: file, contents: nil)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: file))
        var chunk = ""
        for i in 0..<count {
            chunk += #"{"type":"register-party","id":"\#(Self.partyID(i))","name":"Scale party \#(i)","kind":"company","country":"CD","synthetic":true}"# + "\n"
            if chunk.utf8.count > 1 << 20 { handle.write(Data(chunk.utf8)); chunk = "" }
        }
        handle.write(Data(chunk.utf8))
        try handle.close()
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        p.arguments = ["import", file, "--db", db, "--author", "bench"]
        p.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        p.standardError = err
        let t = ContinuousClock.now
        try p.run()
        let errText = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        let seconds = BenchLog.secondsStatic(since: t)
        guard p.terminationStatus == 0 else { throw InputFailure(message: "assay import failed: \(errText)") }
        try? FileManager.default.removeItem(atPath: file)
        // The largest resident set of any child waited for so far: this import is the largest so far
        // (the smaller one ran first), so this is its peak.
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_CHILDREN.rawValue), &usage)
        return (seconds, Int(usage.ru_maxrss))
    }

    /// `count` extraction events, each of a new lot, signed on every core.
    static func sign(_ count: Int, key: OperatorSigningKey) async -> [Command] {
        let now = RelationalStore.systemClock().milliseconds - 3_600_000
        let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)
        let per = (count + cores - 1) / cores
        return await withTaskGroup(of: (Int, [Command]).self) { g in
            for c in 0..<cores {
                g.addTask {
                    let range = (c * per)..<min(count, (c + 1) * per)
                    return (c, range.map { i in
                        .custodyEvent(key.sign(CustodyEvent(id: "scale-e\(i)", time: Timestamp(milliseconds: now + Int64(i % 3_000_000)), party: "scale-op",
                                                            key: key.keyID, body: .extraction(site: "scale-pit", lot: LotSpec(id: lotTag(i), mineral: .tantalum,
                                                                                                                               form: .ore, mass: Mass(grams: 50_000))))))
                    })
                }
            }
            var parts: [(Int, [Command])] = []
            for await p in g { parts.append(p) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// The largest resident set of a running process (VmHWM), in KiB.
    static func peakKB(_ pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}

/// Signed custody events posted at a steady rate on one keep-alive connection (a thread of its own), so
/// every view is measured while the log grows.
final class WriteLoad: Sendable {
    let port: Int
    let rate: Int
    let token: String
    let key: OperatorSigningKey
    private let state = Mutex<(running: Bool, acks: Int, failures: Int, finished: Bool)>((false, 0, 0, true))

    init(port: Int, rate: Int, token: String, key: OperatorSigningKey) {
        self.port = port; self.rate = rate; self.token = token; self.key = key
    }

    func start() {
        guard rate > 0 else { return }
        let thread = Thread { [self] in
            var client = SoakClient(port: port)
            let t0 = ContinuousClock.now
            let base = RelationalStore.systemClock().milliseconds - 60_000
            var n = 0
            while state.withLock({ $0.running }) {
                let due = t0 + .milliseconds(Int64(Double(n) * 1000 / Double(rate)))
                let wait = due - ContinuousClock.now
                if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18) }
                let e = CustodyEvent(id: "scale-load-\(n)", time: Timestamp(milliseconds: base + Int64(n)), party: "scale-op", key: key.keyID,
                                     body: .extraction(site: "scale-pit", lot: LotSpec(id: "SCALE-LOAD-\(n)", mineral: .tantalum, form: .ore, mass: Mass(grams: 50_000))))
                let (status, _) = client.exchange(method: "POST", path: "/api/v1/custody-events", token: token,
                                                  body: CanonicalJSON.encode(.object(key.sign(e).json)))
                state.withLock { if status == 201 { $0.acks += 1 } else { $0.failures += 1 } }
                n += 1
            }
            client.close()
            state.withLock { $0.finished = true }
        }
        state.withLock { $0.running = true; $0.finished = false }
        thread.start()
    }

    /// Stops the load (if running) and returns what it saw.
    @discardableResult
    func stop() -> (acks: Int, failures: Int) {
        state.withLock { $0.running = false }
        while !state.withLock({ $0.finished }) { Thread.sleep(forTimeInterval: 0.01) }
        return state.withLock { ($0.acks, $0.failures) }
    }
}
