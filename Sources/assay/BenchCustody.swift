import ArgumentParser
import AssayDomain
import AssayIngest
import AssayPostgres
@_spi(Benchmarks) import AssayStore
import Foundation

/// `assay bench custody`: signed events over HTTP, lineage and origin queries at 10 million events,
/// and royalty computation, each beside the Ed25519 verification rate of both cores (every event needs
/// one verification) measured in the same run.
struct BenchCustody: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "custody",
        abstract: "Signed events over HTTP (64 clients, durable acks), lineage and origins at 10M events, royalties — beside the Ed25519 verify rate of both cores.")
    @Option(help: "Seconds of HTTP load.") var seconds: Int = 10
    @Option(help: "Concurrent HTTP clients.") var connections: Int = 64
    @Option(help: "Port for the server under test.") var port: Int = 18_950
    @Option(help: "Events for the lineage store (chains × 10 steps).") var lineageEvents: Int = 10_000_000
    @Option(help: "Royalty bases (lots leaving their site) for the royalty computation.") var royaltyEvents: Int = 2_000_000
    @Option(help: "Where the temporary databases go.") var directory: String = NSTemporaryDirectory()
    @Option(help: "Measure on PostgreSQL instead (postgres://USER@HOST:PORT/DATABASE): new databases are made on that server and dropped afterwards, and the HTTP load goes to two `assay serve` processes on one database (ports --port and --port + 1).")
    var db: String?
    @Option(help: "`assay serve` processes on the one database, sharing the clients (default: 1 on SQLite, 2 on PostgreSQL; more than 1 needs --db).")
    var servers: Int?
    @OptionGroup var output: BenchOptions

    /// Where one part of the benchmark keeps its registry: a file in the run's folder, or a new
    /// PostgreSQL database (made and dropped here) with its key in the folder.
    struct Target {
        var options: GlobalOptions
        var scratch: PostgresScratchDatabase?
        func drop() async { await scratch?.drop() }
    }

    func target(_ dir: String, _ name: String) async throws -> Target {
        guard let db else { return Target(options: try GlobalOptions.parse(["--db", dir + "/\(name).sqlite"]), scratch: nil) }
        let scratch = try await PostgresScratchDatabase.create(url: db, label: name)
        return Target(options: try GlobalOptions.parse(["--db", scratch.url, "--key", dir + "/\(name).key"]), scratch: scratch)
    }

    func validate() throws {
        if let db, !PostgresURL.isPostgres(db) { throw ValidationError("--db takes a postgres:// URL here (the SQLite run makes its own files)") }
        guard seconds >= 1, connections >= 2, (1...65534).contains(port) else { throw ValidationError("use --seconds ≥ 1, --connections ≥ 2 and a --port below 65535") }
    }

    func run() async throws {
        BenchOutput.configure(output)
        #if DEBUG
        BenchOutput.say("warning: this is a debug build; figures are for `swift run -c release assay bench custody`")
        #endif
        let dir = (directory as NSString).appendingPathComponent("assay-bench-custody-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }

        // Baseline: Ed25519 verifications per second on every core.
        let key = OperatorSigningKey(keyID: "bench-op-k1", party: "bench-op")
        let reg = key.registration(validFrom: Timestamp(milliseconds: 0))
        let samples = (0..<2000).map { i -> ([UInt8], [UInt8]) in let m = Array("bench message \(i)".utf8); return (m, key.signature(m)) }
        let cores = ProcessInfo.processInfo.activeProcessorCount
        let t = ContinuousClock.now
        let perCore = 20_000
        let ok = await withTaskGroup(of: Int.self) { g in
            for _ in 0..<cores { g.addTask { var n = 0; for i in 0..<perCore { let s = samples[i % samples.count]; if reg.verifies(s.1, of: s.0) { n += 1 } }; return n } }
            var total = 0
            for await n in g { total += n }
            return total
        }
        let verifyRate = Double(ok) / BenchLog.secondsStatic(since: t)
        BenchOutput.say("baseline: Ed25519 signature verifications on \(cores) cores: \(Int(verifyRate))/s (the limit: every event needs one)")

        try await direct(dir: dir, key: key, verifyRate: verifyRate)
        try await http(dir: dir, key: key, verifyRate: verifyRate)
        try await lineage(dir: dir)
        royalties()
    }

    /// Registers a synthetic operator, its artisanal tantalum pit and its signing key (for benchmarks).
    static func registerOperator(_ store: RelationalStore, key: OperatorSigningKey, party: String, site: String) async throws {
        _ = try await store.append(try [
            #"{"type":"register-party","id":"\#(party)","name":"Benchmark operator \#(party)","kind":"company","country":"CD","synthetic":true}"#,
            #"{"type":"register-site","id":"\#(site)","name":"Benchmark pit \#(site)","kind":"artisanal-site","latitude":"-1.5","longitude":"28.9","minerals":["tantalum"],"synthetic":true}"#,
        ].map { try Command(jsonText: $0) } + [.registerKey(key.registration(validFrom: Timestamp(milliseconds: 0)))], author: "bench")
    }

    /// The same events appended in-process by 64 concurrent tasks (no HTTP): where the store's own limit is.
    func direct(dir: String, key: OperatorSigningKey, verifyRate: Double) async throws {
        let target = try await target(dir, "direct")
        let store = try await Context.store(target.options, create: true)
        defer { Task { await store.close(); await target.drop() } }
        try await BenchCustody.registerOperator(store, key: key, party: "bench-op", site: "bench-pit")
        let tasks = connections, per = 500
        let now = RelationalStore.systemClock().milliseconds - 3_600_000
        let events: [[Command]] = (0..<tasks).map { th in
            (0..<per).map { i in
                .custodyEvent(key.sign(CustodyEvent(id: "d\(th)-\(i)", time: Timestamp(milliseconds: now + Int64(i)), party: "bench-op", key: key.keyID,
                                                    body: .extraction(site: "bench-pit", lot: LotSpec(id: "D\(th)-\(i)", mineral: .tantalum, form: .ore,
                                                                                                       mass: Mass(grams: 50_000))))))
            }
        }
        let t = ContinuousClock.now
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { g in
            for th in 0..<tasks {
                g.addTask {
                    var out: [Double] = []
                    for c in events[th] {
                        let s = ContinuousClock.now
                        _ = try await store.append([c], author: "bench")
                        out.append(BenchLog.secondsStatic(since: s) * 1000)
                    }
                    return out
                }
            }
            var all: [Double] = []
            for try await l in g { all += l }
            return all.sorted()
        }
        let rate = Double(tasks * per) / BenchLog.secondsStatic(since: t)
        let stats = await store.groupCommitStats()
        BenchOutput.say("the same signed events appended in-process by \(tasks) tasks (no HTTP), each after a durable commit: \(Int(rate)) events/s = \(String(format: "%.0f%%", rate / verifyRate * 100)) of the limit; p50 \(BenchHTTP.fmt(latencies[latencies.count / 2])) ms, p99 \(BenchHTTP.fmt(latencies[latencies.count * 99 / 100])) ms; \(String(format: "%.1f", Double(stats.requests) / Double(max(1, stats.batches)))) appends a transaction")
        BenchOutput.figure("custody", "signed events appended in-process (no HTTP)", value: rate, unit: "events/s",
                           p50: latencies[latencies.count / 2], p99: latencies[latencies.count * 99 / 100],
                           limit: BenchLimit(name: "Ed25519 verifications on all cores", value: verifyRate, unit: "verifies/s"),
                           extra: ["tasks": .int(Int64(tasks)), "backend": .string(db == nil ? "sqlite" : "postgres")])
    }

    /// 64 clients POST distinct signed extraction events; each answer comes after a durable commit.
    func http(dir: String, key: OperatorSigningKey, verifyRate: Double) async throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/wrk") else {
            throw InputFailure(message: "wrk is not installed: scripts/install-deps installs it (apt-get install wrk)")
        }
        let target = try await target(dir, "http")
        let options = target.options
        let token: String
        let before: Int64
        do {
            let store = try await Context.store(options, create: true)
            _ = try await store.append(try DemoSet.commands(), author: "demo")
            try await BenchCustody.registerOperator(store, key: key, party: "bench-op", site: "bench-pit")
            token = try await store.createToken(role: .operator, party: "bench-op").secret
            before = try await store.journalSize()
            await store.close()
        }
        // SQLite: one server. PostgreSQL: two on one database, each taking half the clients.
        let servers = self.servers ?? (self.db == nil ? 1 : 2)
        guard servers >= 1, servers <= 8, servers == 1 || self.db != nil else {
            throw InputFailure(message: "--servers: give 1 to 8, and more than 1 only with --db postgres://… (SQLite has one writer process)")
        }
        // Distinct signed events, one body a line, a file per wrk thread (signed on every core).
        let threads = 2 * servers
        let perThread = max(20_000, 40_000 * seconds)
        let now = RelationalStore.systemClock().milliseconds - 3_600_000
        try await withThrowingTaskGroup(of: Void.self) { g in
            for th in 0..<threads {
                g.addTask {
                    var text = ""
                    text.reserveCapacity(perThread * 400)
                    for i in 0..<perThread {
                        let e = CustodyEvent(id: "b\(th)-\(i)", time: Timestamp(milliseconds: now + Int64(i)), party: "bench-op", key: key.keyID,
                                             body: .extraction(site: "bench-pit", lot: LotSpec(id: "B\(th)-\(i)", mineral: .tantalum, form: .ore,
                                                                                                mass: Mass(grams: 50_000 + Int64(i % 1000)))))
                        text += CanonicalJSON.string(.object(key.sign(e).json)) + "\n"
                    }
                    try text.write(toFile: dir + "/bodies-\(th + 1).txt", atomically: false, encoding: .utf8)
                }
            }
            try await g.waitForAll()
        }
        for server in 0..<servers {
        let script = """
        local n = \(server * 2)
        function setup(thread) n = n + 1; thread:set("id", n) end
        local bodies = {}
        local i = 0
        function init(args)
          for line in io.lines("\(dir)/bodies-" .. id .. ".txt") do bodies[#bodies + 1] = line end
        end
        function request()
          i = i + 1
          if i > #bodies then i = 1 end
          return wrk.format("POST", "/api/v1/custody-events", {["Content-Type"] = "application/json", ["Authorization"] = "Bearer \(token)"}, bodies[i])
        end
        """
        try script.write(toFile: dir + "/post-\(server).lua", atomically: true, encoding: .utf8)
        }
        var processes: [Process] = []
        defer { for p in processes where p.isRunning { p.terminate(); p.waitUntilExit() } }
        for server in 0..<servers {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
            // Limits off: this measures the server itself, not its throttling.
            p.arguments = ["serve", "--db", options.db, "--key", options.keyPath, "--port", String(port + server), "--write-rate", "0", "--address-write-rate", "0"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            processes.append(p)
            var up = false
            for _ in 0..<200 where !up {
                try await Task.sleep(for: .milliseconds(100))
                up = (try? BenchHTTP.wrk(port: port + server, "/healthz", seconds: 1, connections: 1)) != nil
            }
            guard up else { throw InputFailure(message: "the server did not start on port \(port + server)") }
        }
        let t = ContinuousClock.now
        let (port, seconds, connections) = (self.port, self.seconds, self.connections)
        let figures = try await withThrowingTaskGroup(of: BenchHTTP.Figures.self) { g in
            for server in 0..<servers {
                g.addTask {
                    try BenchHTTP.wrk(port: port + server, "/api/v1/custody-events", seconds: seconds, connections: connections / servers,
                                      script: dir + "/post-\(server).lua")
                }
            }
            var all: [BenchHTTP.Figures] = []
            for try await f in g { all.append(f) }
            return all
        }
        // Percentiles of two runs cannot be merged: the worse of the two is reported.
        let fig = BenchHTTP.Figures(rps: figures.map(\.rps).reduce(0, +), p50: figures.map(\.p50).max() ?? 0, p99: figures.map(\.p99).max() ?? 0)
        let elapsed = BenchLog.secondsStatic(since: t)
        let metrics = Process()
        metrics.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        metrics.arguments = ["-s", "http://127.0.0.1:\(port)/metrics"]
        let out = Pipe()
        metrics.standardOutput = out
        try? metrics.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        metrics.waitUntilExit()
        func gauge(_ name: String) -> Double? {
            text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") }
        }
        for p in processes { p.terminate(); p.waitUntilExit() }
        let check = try await Context.store(options)
        let after = try await check.journalSize()
        await check.close()
        await target.drop()
        let recorded = Double(after - before)
        let rate = recorded / Double(seconds)
        let servedBy = db == nil ? "one server" : servers == 1 ? "one server on PostgreSQL" : "\(servers) servers on one PostgreSQL database"
        BenchOutput.say("signed events over HTTP, \(connections) clients, \(servedBy), each acknowledged after a durable commit: \(Int(rate)) events/s recorded (\(Int(recorded)) new journal entries in \(seconds) s; wrk saw \(Int(fig.rps)) answers/s over \(String(format: "%.1f", elapsed)) s)")
        let goal = db == nil ? "goal ≥ 12,000 events/s and ≥ 40% of the limit; p99 ≤ 50 ms" : "goal on PostgreSQL with two servers ≥ 8,000 events/s, p99 ≤ 100 ms"
        BenchOutput.say("  = \(String(format: "%.0f%%", rate / verifyRate * 100)) of the Ed25519 limit; latency p50 \(BenchHTTP.fmt(fig.p50)) ms, p99 \(BenchHTTP.fmt(fig.p99)) ms\(servers > 1 ? " (the worse server's)" : "") (\(goal))")
        BenchOutput.figure("custody", "signed events over HTTP", value: rate, unit: "events/s", p50: fig.p50, p99: fig.p99,
                           limit: BenchLimit(name: "Ed25519 verifications on all cores", value: verifyRate, unit: "verifies/s"), goal: goal,
                           met: db == nil ? rate >= 12_000 && rate >= 0.4 * verifyRate && fig.p99 <= 50 : servers >= 2 && rate >= 8_000 && fig.p99 <= 100,
                           extra: ["servers": .int(Int64(servers)), "connections": .int(Int64(connections)),
                                   "backend": .string(db == nil ? "sqlite" : "postgres")])
        if let b = gauge("assay_group_commit_batches"), let a = gauge("assay_group_commit_appends"), b > 0 {
            BenchOutput.say("  group commit: \(Int(b)) durable transactions carried \(Int(a)) appends (\(String(format: "%.1f", a / b)) a transaction)")
        }
        if recorded * 1.02 < fig.rps * Double(seconds) { BenchOutput.say("  note: some answers were not new entries (refusals or resubmissions): see wrk's non-2xx count") }
    }

    /// Lineage and origin queries in a store holding `lineageEvents` processing steps.
    func lineage(dir: String) async throws {
        let target = try await target(dir, "lineage")
        let store = try await Context.store(target.options, create: true)
        defer { Task { await store.close(); await target.drop() } }
        let depth = 10
        // The lineage tables are filled one statement a row: on PostgreSQL (a round trip each) at most 200,000.
        let events = db == nil ? lineageEvents : min(lineageEvents, 200_000)
        let chains = max(1, events / depth)
        var t = ContinuousClock.now
        try await store.benchFillLineage(chains: chains, depth: depth)
        BenchOutput.say("lineage store: \(chains * depth) processing events (\(chains) chains of \(depth) steps) written straight into the lineage tables in \(String(format: "%.0f", BenchLog.secondsStatic(since: t))) s")
        var rng = SystemRandomNumberGenerator()
        var lat: [Double] = []
        var found = 0
        for _ in 0..<2000 {
            let c = Int.random(in: 0..<chains, using: &rng)
            t = ContinuousClock.now
            let l = try await store.lineage("c\(c)-\(depth)")
            lat.append(BenchLog.secondsStatic(since: t) * 1000)
            found += l.ancestors.count
        }
        lat.sort()
        BenchOutput.say("lineage of a lot \(depth) levels deep (\(found / 2000) ancestors each): p50 \(String(format: "%.3f", lat[lat.count / 2])) ms, p99 \(String(format: "%.3f", lat[lat.count * 99 / 100])) ms (goal p99 ≤ 2 ms)")
        BenchOutput.figure("custody", "lineage of a lot 10 levels deep", value: lat[lat.count * 99 / 100], unit: "ms (p99)",
                           p50: lat[lat.count / 2], p99: lat[lat.count * 99 / 100], goal: "p99 ≤ 2 ms", met: lat[lat.count * 99 / 100] <= 2,
                           extra: ["events": .int(Int64(chains * depth)), "lots": .int(2000), "backend": .string(db == nil ? "sqlite" : "postgres")])
        lat.removeAll()
        for _ in 0..<2000 {
            let c = Int.random(in: 0..<chains, using: &rng)
            t = ContinuousClock.now
            let o = try await store.origins("c\(c)-\(depth)")
            lat.append(BenchLog.secondsStatic(since: t) * 1000)
            if o?.lot.origins.count != 3 { throw InputFailure(message: "origin breakdown of c\(c)-\(depth) is wrong") }
        }
        lat.sort()
        BenchOutput.say("origin breakdown (shares by site and title, with names): p50 \(String(format: "%.3f", lat[lat.count / 2])) ms, p99 \(String(format: "%.3f", lat[lat.count * 99 / 100])) ms (goal p99 ≤ 5 ms)")
        BenchOutput.figure("custody", "origin breakdown", value: lat[lat.count * 99 / 100], unit: "ms (p99)",
                           p50: lat[lat.count / 2], p99: lat[lat.count * 99 / 100], goal: "p99 ≤ 5 ms", met: lat[lat.count * 99 / 100] <= 5,
                           extra: ["events": .int(Int64(chains * depth)), "lots": .int(2000), "backend": .string(db == nil ? "sqlite" : "postgres")])
    }

    /// Royalties due on a year of lots leaving their sites, against a daily price table.
    func royalties() {
        let minerals: [Mineral] = [.cobalt, .tin, .tantalum]
        var quotes: [PriceQuote] = []
        let start = Day(year: 2025, month: 1, day: 1)!
        for d in 0..<365 {
            for (k, m) in minerals.enumerated() {
                quotes.append(PriceQuote(mineral: m, date: start + d, pricePerTonne: Money(amount: Decimal(20_000 + k * 5_000 + d), currency: "USD")))
            }
        }
        let prices = PriceTable(quotes)
        let schedule = RoyaltySchedule(rates: [.cobalt: Percent(basisPoints: 1000), .tin: Percent(basisPoints: 350), .tantalum: Percent(basisPoints: 1000)])
        let bases = (0..<royaltyEvents).map { i in
            RoyaltyBasis(lot: "L\(i)", event: "E\(i)", day: start + (i % 365), payer: "p\(i % 50)", site: "s\(i % 200)", concession: nil,
                         mineral: minerals[i % 3], containedGrams: 1_000_000 + Int64(i % 10_000))
        }
        let t = ContinuousClock.now
        var due: Int64 = 0
        for b in bases { due &+= RoyaltyCalculator.line(b, prices: prices, schedule: schedule).dueMinor }
        let rate = Double(royaltyEvents) / BenchLog.secondsStatic(since: t)
        BenchOutput.say("royalty computation over a year (\(royaltyEvents) lots leaving their sites, daily prices for 3 minerals): \(Int(rate)) events/s, total due \(due / 100) USD (goal ≥ 1,000,000 events/s)")
        BenchOutput.figure("custody", "royalty computation", value: rate, unit: "events/s", goal: "≥ 1,000,000 events/s", met: rate >= 1_000_000,
                           extra: ["events": .int(Int64(royaltyEvents))])
    }
}
