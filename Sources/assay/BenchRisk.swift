import ArgumentParser
import AssayBenchSupport
import AssayDomain
import AssayIngest
import AssayStore
import Foundation

/// `assay bench risk`: re-screening a million lots after a new control assessment, ten years of
/// monthly supply at risk for 10,000 sites, the point lookup "who held this cell on this day", and the
/// IPIS sample import — each beside a baseline measured in the same run.
struct BenchRisk: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "risk", abstract: "Re-screening 1M lots, 10 years of monthly supply at risk for 10,000 sites, point-in-area lookups, the IPIS sample import.")
    @Option(help: "Lots to re-screen.") var lots: Int = 1_000_000
    @Option(help: "Sites for the supply series.") var sites: Int = 10_000
    @Option(help: "Control assessments in the map.") var assessments: Int = 2_000
    @Option(help: "Where the temporary database goes.") var directory: String = NSTemporaryDirectory()
    @OptionGroup var output: BenchOptions

    func run() async throws {
        BenchOutput.configure(output)
        #if DEBUG
        BenchOutput.say("warning: this is a debug build; figures are for `swift run -c release assay bench risk`")
        #endif
        var rng = SystemRandomNumberGenerator()
        let start = SyntheticRisk.start
        // Assessments: discs of 3–15 km over eastern DRC, each for some months within ten years; lots with
        // an origin and two route points each, on random days.
        var entries = (0..<assessments).map { SyntheticRisk.assessment($0, using: &rng) }
        var map = ControlMap(entries)
        let screenLots = SyntheticRisk.lots(lots, using: &rng)
        // Baseline: reading every lot's three cells and days (the loop without the map).
        var t = ContinuousClock.now
        var sink = 0
        for l in screenLots { sink &+= Int(l.origins[0].cell & 1) &+ Int(l.route[0].cell & 1) &+ Int(l.route[1].day.ordinal & 1) }
        let baseRate = Double(lots) / BenchLog.secondsStatic(since: t)
        BenchOutput.say("baseline: touching each lot's three points without the map: \(Int(baseRate)) lots/s (\(sink % 2))")
        // A new assessment arrives: rebuild the map, re-screen every lot.
        entries.append(SyntheticRisk.assessment(assessments, using: &rng))
        t = ContinuousClock.now
        map = ControlMap(entries)
        let build = BenchLog.secondsStatic(since: t)
        t = ContinuousClock.now
        var hits = 0
        for l in screenLots { hits += RiskScreener.controlHits(l, map: map) }
        let screen = BenchLog.secondsStatic(since: t)
        let rate = Double(lots) / (build + screen)
        BenchOutput.say("re-screening \(lots) lots (origin + 2 route points each) after a new assessment (map of \(entries.count) rebuilt in \(String(format: "%.1f", build * 1000)) ms): \(Int(rate)) lots/s, \(hits) hits on held ground (goal ≥ 500,000 lots/s)")
        BenchOutput.figure("risk", "re-screening after a new assessment", value: rate, unit: "lots/s",
                           limit: BenchLimit(name: "touching each lot's three points without the map", value: baseRate, unit: "lots/s"),
                           goal: "≥ 500,000 lots/s", met: rate >= 500_000, extra: ["lots": .int(Int64(lots)), "assessments": .int(Int64(entries.count))])
        // Point lookups.
        let cells = (0..<100_000).map { _ -> (UInt32, Day) in
            let (lat, lon) = SyntheticRisk.point(using: &rng)
            return ((try? CellGrid.cell(latitude: lat, longitude: lon)) ?? 0, start + Int.random(in: 0..<3650, using: &rng))
        }
        var batches: [Double] = []
        var found = 0
        for b in 0..<100 {
            let t0 = ContinuousClock.now
            for k in 0..<1000 { found += map.holders(cell: cells[b * 1000 + k].0, on: cells[b * 1000 + k].1).count }
            batches.append(BenchLog.secondsStatic(since: t0) * 1e9 / 1000)
        }
        batches.sort()
        BenchOutput.say("who held this cell on this day (all holders, \(entries.count) assessments): p50 \(String(format: "%.0f", batches[50])) ns, p99 \(String(format: "%.0f", batches[98])) ns per lookup (batches of 1,000; \(found) found) (goal p50 ≤ 2 µs)")
        BenchOutput.figure("risk", "who held this cell on this day", value: batches[50] / 1000, unit: "µs (p50)", p50: batches[50] / 1000,
                           p99: batches[98] / 1000, latencyUnit: "µs", goal: "p50 ≤ 2 µs", met: batches[50] <= 2000,
                           extra: ["assessments": .int(Int64(entries.count)), "lookups": .int(100_000)])
        // Supply at risk: ten years monthly for N sites.
        let supplySites = (0..<sites).map { i -> SupplySite in
            let (lat, lon) = SyntheticRisk.point(using: &rng)
            return SupplySite(id: "s\(i)", cell: (try? CellGrid.cell(latitude: lat, longitude: lon)) ?? 0,
                              capacities: [[.tin, .tantalum, .gold, .tungsten][i % 4]: Double(10 + i % 500)])
        }
        var statuses: [String: [SiteStatus]] = [:]
        for i in stride(from: 0, to: sites, by: 50) {
            statuses["s\(i)"] = [SiteStatus(site: "s\(i)", date: start + 400, status: .halted), SiteStatus(site: "s\(i)", date: start + 480, status: .operating)]
        }
        var times: [Double] = []
        var points = 0
        for _ in 0..<5 {
            t = ContinuousClock.now
            let series = SupplyRisk.monthly(sites: supplySites, statuses: statuses, map: map, from: start, months: 120)
            times.append(BenchLog.secondsStatic(since: t) * 1000)
            points = series.values.reduce(0) { $0 + $1.count }
        }
        times.sort()
        BenchOutput.say("monthly supply at risk over 10 years for \(sites) sites (\(points) mineral-months): median of 5 runs \(String(format: "%.1f", times[2])) ms (goal ≤ 100 ms)")
        BenchOutput.figure("risk", "monthly supply at risk, 10 years", value: times[2], unit: "ms (median of 5)", goal: "≤ 100 ms", met: times[2] <= 100,
                           extra: ["sites": .int(Int64(sites)), "months": .int(120)])
        // The IPIS sample into a new registry, end to end (parse, validate, journal, log).
        let path = (directory as NSString).appendingPathComponent("bench-risk-\(UUID().uuidString).sqlite")
        defer { for s in ["", "-wal", "-shm", ".key"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let store = try await Context.store(try GlobalOptions.parse(["--db", path]), create: true)
        let text = String(decoding: try ReferenceData.bytes("ipis_mine_sites_sample.csv"), as: UTF8.self)
        t = ContinuousClock.now
        let read = try IPISImport.read(text: text, file: "ipis_mine_sites_sample.csv", siteForPcode: { _ in nil }, visitRecorded: { _ in false })
        let parsed = BenchLog.secondsStatic(since: t)
        _ = try await store.append(read.commands.map(\.command), author: "bench")
        let total = BenchLog.secondsStatic(since: t)
        BenchOutput.say("IPIS sample import (\(read.summary.visits) visits, \(read.summary.sites) sites, \(read.commands.count) commands): \(String(format: "%.0f", total * 1000)) ms end to end (parse \(String(format: "%.0f", parsed * 1000)) ms) (goal ≤ 1 s)")
        BenchOutput.figure("risk", "IPIS sample import", value: total * 1000, unit: "ms", goal: "≤ 1 s", met: total <= 1,
                           extra: ["commands": .int(Int64(read.commands.count)), "parse_ms": BenchOutput.number(parsed * 1000)])
    }
}
