import ArgumentParser
import AssayDomain
import AssayIngest
import AssayStore
import Foundation
import Synchronization

/// `assay bench soak`: a live server under mixed reads (API records, log tiles, portal pages, each with
/// ids drawn from the whole registry so caches are not all that is measured) and signed custody events
/// at a steady rate, for N minutes. Prints per minute: throughput, p99 of reads and writes beside the
/// p99 of `/healthz` on the same server in the same minute (the baseline), errors, and the server's
/// resident memory; then the p99 drift and memory growth after the first (warm-up) minute.
struct BenchSoak: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "soak",
        abstract: "Mixed reads and signed writes at a steady rate for N minutes: throughput, p99 and server memory per minute.")
    @Option(help: "Minutes of load (the first is warm-up).") var minutes: Int = 10
    @Option(help: "Reads a second (API, tiles, portal pages with varied ids).") var readRate: Int = 100
    @Option(help: "Signed custody events a second.") var writeRate: Int = 20
    @Option(help: "Port for the server under test.") var port: Int = 18_970
    @Option(help: "Where the temporary database goes.") var directory: String = NSTemporaryDirectory()
    @Flag(help: "Keep the database afterwards (its path is printed), to look at what the load left.") var keep = false
    @OptionGroup var output: BenchOptions

    func validate() throws {
        guard (1...240).contains(minutes) else { throw ValidationError("--minutes must be 1–240") }
        guard (1...5000).contains(readRate), (1...2000).contains(writeRate) else { throw ValidationError("--read-rate 1–5000, --write-rate 1–2000") }
    }

    /// One minute's samples.
    struct Minute: Sendable {
        var reads: [Double] = [], writes: [Double] = [], health: [Double] = []
        var errors = 0
        var firstError: String?
    }

    final class Recorder: Sendable {
        let minutes: Mutex<[Int: Minute]> = Mutex([:])
        let start = ContinuousClock.now
        var minute: Int { Int((ContinuousClock.now - start).components.seconds / 60) }
        func add(_ kind: Int, _ ms: Double, ok: Bool, error: String? = nil) {
            let m = minute
            minutes.withLock { all in
                var x = all[m] ?? Minute()
                if !ok {
                    x.errors += 1
                    if x.firstError == nil { x.firstError = error }
                } else {
                    switch kind { case 0: x.reads.append(ms); case 1: x.writes.append(ms); default: x.health.append(ms) }
                }
                all[m] = x
            }
        }
    }

    func run() async throws {
        BenchOutput.configure(output)
        #if DEBUG
        BenchOutput.say("warning: this is a debug build; figures are for `swift run -c release assay bench soak`")
        #endif
        let port = self.port
        let dir = (directory as NSString).appendingPathComponent("assay-bench-soak-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(atPath: dir) } }
        let db = dir + "/soak.sqlite"
        if keep { BenchOutput.say("database: \(db) (kept)") }
        let key = OperatorSigningKey(keyID: "soak-op-k1", party: "soak-op")
        let token: String
        do {
            let store = try await Context.store(try GlobalOptions.parse(["--db", db]), create: true)
            _ = try await store.append(try DemoSet.commands(), author: "demo")
            try await BenchCustody.registerOperator(store, key: key, party: "soak-op", site: "soak-pit")
            token = try await store.createToken(role: .operator, party: "soak-op").secret
        }
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        // Limits off: the load is steady and from one address; this measures the server, not its throttle.
        server.arguments = ["serve", "--db", db, "--port", String(port), "--write-rate", "0", "--address-write-rate", "0"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        defer { server.terminate(); server.waitUntilExit() }
        var up = false
        for _ in 0..<300 where !up {
            var probe = SoakClient(port: port)
            if probe.exchange(method: "GET", path: "/healthz", token: nil, body: nil).status == 200 { up = true } else {
                try await Task.sleep(for: .milliseconds(100))
            }
            probe.close()
        }
        guard up else { throw InputFailure(message: "the server did not start on port \(port)") }

        // Ids from the whole registry, so reads hit different records, tiles and pages.
        func ids(_ resource: String) async throws -> [String] {
            var out: [String] = [], after: String?
            repeat {
                let path = "/api/v1/\(resource)?limit=1000" + (after.map { "&after=\($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? $0)" } ?? "")
                var client = SoakClient(port: port)
                defer { client.close() }
                let (status, data) = client.get(path)
                guard status == 200 else { throw InputFailure(message: "GET \(path): \(status)") }
                let page = try JSONParser.parse([UInt8](data))
                guard case .object(let m) = page, case .array(let items)? = m["items"] else { break }
                for case .object(let r) in items { if case .string(let id)? = r["id"] { out.append(id) } }
                if case .string(let next)? = m["next"] { after = next } else { after = nil }
            } while after != nil
            return out
        }
        let sites = try await ids("sites"), parties = try await ids("parties"), agreements = try await ids("agreements"),
            concessions = try await ids("concessions")
        let lots = try await ids("lots")
        @Sendable func escaped(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? s }
        let paths: [@Sendable (Int) -> String] = [
            { i in "/api/v1/sites/\(escaped(sites[i % sites.count]))" },
            { i in "/api/v1/parties/\(escaped(parties[i % parties.count]))" },
            { i in "/api/v1/concessions/\(escaped(concessions[i % concessions.count]))" },
            { i in "/sites/\(escaped(sites[(i * 7) % sites.count]))?lang=en" },
            { i in "/agreements/\(escaped(agreements[i % agreements.count]))?lang=\(i % 2 == 0 ? "en" : "fr")" },
            { i in "/parties/\(escaped(parties[(i * 3) % parties.count]))" },
            { i in "/lots/\(escaped(lots[i % max(1, lots.count)]))" },
            { i in "/log/tile/0/\(String(format: "%03d", i % 3))" },
            { i in "/api/v1/sites?minerals=tin&limit=20" + (i % 2 == 0 ? "" : "&after=\(escaped(sites[i % sites.count]))") },
        ]
        BenchOutput.say("server under test: pid \(server.processIdentifier); \(sites.count) sites, \(parties.count) parties, \(agreements.count) agreements, \(lots.count) lots to draw ids from")
        BenchOutput.say("load: \(readRate) reads/s (API records, portal pages, tiles, filtered lists) + \(writeRate) signed custody events/s + 10 /healthz/s (baseline), \(minutes) min")

        let recorder = Recorder()
        let end = ContinuousClock.now + .seconds(minutes * 60)
        let now = RelationalStore.systemClock().milliseconds - 60_000
        // Open-loop pacing on keep-alive connections, one thread each: request n of a worker is due at
        // start + n × interval, and its latency counts from when it was due, so a stalled server shows
        // as latency rather than as fewer requests (no coordinated omission).
        func worker(rate: Double, kind: Int, expect: Int, offset: Int, stride: Int, _ make: @escaping @Sendable (Int) -> (String, String, [UInt8]?)) -> Thread {
            let t = Thread {
                var client = SoakClient(port: port)
                let interval = 1.0 / rate
                let t0 = ContinuousClock.now
                var n = 0
                while true {
                    let due = t0 + .milliseconds(Int64(Double(n) * interval * 1000))
                    if due >= end { break }
                    let wait = due - ContinuousClock.now
                    if wait > .zero { Thread.sleep(forTimeInterval: Double(wait.components.attoseconds) / 1e18 + Double(wait.components.seconds)) }
                    let (method, path, body) = make(offset + n * stride)
                    let (status, error) = client.exchange(method: method, path: path, token: kind == 1 ? token : nil, body: body)
                    let elapsed = ContinuousClock.now - due
                    let ms = Double(elapsed.components.seconds) * 1000 + Double(elapsed.components.attoseconds) / 1e15
                    recorder.add(kind, ms, ok: status == expect, error: error ?? "\(status) \(path)")
                    n += 1
                }
                client.close()
            }
            t.start()
            return t
        }
        let readers = 8, writers = 4
        var threads: [Thread] = []
        for w in 0..<readers {
            threads.append(worker(rate: Double(readRate) / Double(readers), kind: 0, expect: 200, offset: w, stride: readers) { i in
                ("GET", paths[i % paths.count](i / paths.count), nil)
            })
        }
        for w in 0..<writers {
            threads.append(worker(rate: Double(writeRate) / Double(writers), kind: 1, expect: 201, offset: w, stride: writers) { i in
                let e = CustodyEvent(id: "soak-\(i)", time: Timestamp(milliseconds: now + Int64(i)), party: "soak-op", key: key.keyID,
                                     body: .extraction(site: "soak-pit", lot: LotSpec(id: "SOAK-\(i)", mineral: .tantalum, form: .ore, mass: Mass(grams: 50_000))))
                return ("POST", "/api/v1/custody-events", CanonicalJSON.encode(.object(key.sign(e).json)))
            })
        }
        threads.append(worker(rate: 10, kind: 2, expect: 200, offset: 0, stride: 1) { _ in ("GET", "/healthz", nil) })
        // Memory once a minute, at the end of each minute.
        var rss: [Int: Int] = [:]
        for m in 0..<minutes {
            try await Task.sleep(until: recorder.start + .seconds((m + 1) * 60), clock: .continuous)
            rss[m] = BenchSoak.residentKB(server.processIdentifier)
        }
        while threads.contains(where: { !$0.isFinished }) { try await Task.sleep(for: .milliseconds(100)) }

        func p99(_ xs: [Double]) -> Double { xs.isEmpty ? 0 : xs.sorted()[min(xs.count - 1, xs.count * 99 / 100)] }
        let all = recorder.minutes.withLock { $0 }
        var readP99: [Double] = []
        var totalErrors = 0
        for m in 0..<minutes {
            let x = all[m] ?? Minute()
            totalErrors += x.errors
            readP99.append(p99(x.reads))
            BenchOutput.say(String(format: "minute %2d: reads %4.0f/s p99 %6.2f ms · writes %4.0f/s p99 %6.2f ms · baseline /healthz p99 %5.2f ms · errors %d · server RSS %.1f MiB",
                         m + 1, Double(x.reads.count) / 60, p99(x.reads), Double(x.writes.count) / 60, p99(x.writes), p99(x.health), x.errors,
                         Double(rss[m] ?? 0) / 1024) + (x.firstError.map { " (first error: \($0))" } ?? ""))
            BenchOutput.figure("soak", "minute \(m + 1)", value: Double(x.reads.count) / 60, unit: "reads/s", p99: p99(x.reads),
                               limit: BenchLimit(name: "/healthz p99 in the same minute", value: p99(x.health), unit: "ms"),
                               extra: ["writes_per_s": BenchOutput.number(Double(x.writes.count) / 60), "write_p99_ms": BenchOutput.number(p99(x.writes)),
                                       "errors": .int(Int64(x.errors)), "server_rss_mib": BenchOutput.number(Double(rss[m] ?? 0) / 1024)])
        }
        if minutes >= 2 {
            let steady = readP99.dropFirst()
            let lo = steady.min() ?? 0, hi = steady.max() ?? 0
            let memStart = Double(rss[1] ?? 0), memEnd = Double(rss[minutes - 1] ?? 0)
            BenchOutput.say(String(format: "after warm-up (minutes 2–%d): read p99 from %.2f to %.2f ms, drift %.0f%% (goal < 20%%); server RSS %.1f → %.1f MiB (%+.1f%%); errors %d (goal 0)",
                         minutes, lo, hi, lo > 0 ? (hi - lo) / lo * 100 : 0, memStart / 1024, memEnd / 1024,
                         memStart > 0 ? (memEnd - memStart) / memStart * 100 : 0, totalErrors))
            let drift = lo > 0 ? (hi - lo) / lo : 0
            BenchOutput.figure("soak", "read p99 drift after warm-up", value: drift * 100, unit: "%", goal: "< 20% and no errors",
                               met: drift < 0.2 && totalErrors == 0,
                               extra: ["p99_low_ms": BenchOutput.number(lo), "p99_high_ms": BenchOutput.number(hi), "errors": .int(Int64(totalErrors)),
                                       "rss_start_mib": BenchOutput.number(memStart / 1024), "rss_end_mib": BenchOutput.number(memEnd / 1024)])
        }
    }

    /// The resident memory of a process in KiB (VmRSS), 0 if unreadable.
    static func residentKB(_ pid: Int32) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return 0 }
        for line in text.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
        }
        return 0
    }
}
