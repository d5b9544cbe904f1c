import ArgumentParser
import AssayBenchSupport
import AssayDomain
import AssayIngest
import AssayPostgres
import AssayStore
import TransparencyLog
import Foundation

/// `assay bench registry`: bulk import (the streamed path `assay import` takes), collision check and
/// rebuild, each beside the raw SQLite row-insert rate measured in the same run.
struct BenchRegistry: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "registry",
        abstract: "Bulk import, collision check and rebuild, beside the raw SQLite row-insert rate of the same run.")

    @Option(help: "How many grants to import.") var grants: Int = 100_000
    @Option(help: "How many concessions to import.") var concessions: Int = 10_000
    @Option(help: "How many dry-run collision checks to time.") var checks: Int = 200
    @Option(help: "Where the temporary databases go.") var directory: String = NSTemporaryDirectory()
    @Option(help: "Measure on PostgreSQL instead (postgres://USER@HOST:PORT/DATABASE, e.g. from scripts/pg start): a new database is made on that server and dropped afterwards; the baseline is PostgreSQL's multi-row INSERT of the same rows.")
    var db: String?
    @OptionGroup var output: BenchOptions

    func validate() throws {
        guard grants >= 1000, concessions >= 0, checks >= 10 else { throw ValidationError("use --grants ≥ 1000 and --checks ≥ 10") }
    }

    func run() async throws {
        BenchOutput.configure(output)
        #if DEBUG
        BenchOutput.say("warning: this is a debug build; figures are for `swift build -c release` (swift run -c release assay bench registry)")
        #endif
        let total = grants + concessions
        let baseline: Double
        let scratch: PostgresScratchDatabase?
        if let db {
            guard PostgresURL.isPostgres(db) else { throw ValidationError("--db takes a postgres:// URL here (the SQLite run makes its own file)") }
            scratch = try await PostgresScratchDatabase.create(url: db, label: "registry")
            let rows = (0..<total).map { i in [UInt8](repeating: UInt8(truncatingIfNeeded: i), count: 300) }
            baseline = try await PostgresBaseline.rowInsertRate(url: scratch!.url, entries: rows)
            BenchOutput.say("baseline: raw PostgreSQL multi-row INSERT of \(total) 300-byte rows into a plain table, one durable commit: \(Int(baseline)) rows/s")
        } else {
            scratch = nil
            baseline = try SQLiteBaseline.rowInsertRate(rows: total, payloadBytes: 300, directory: directory)
            BenchOutput.say("baseline: raw SQLite row insert (one prepared statement, one durable commit): \(Int(baseline)) rows/s")
        }

        let path = (directory as NSString).appendingPathComponent("bench-registry-\(UUID().uuidString).sqlite")
        let geography = try Context.geography()
        let store = try await RelationalStore.open(database: scratch?.url ?? path, geography: geography,
                                                   signers: [try Ed25519NoteSigner(name: "bench.local/registry")])
        do {
            try await measure(store, total: total, baseline: baseline)
        } catch {
            await store.close()
            await scratch?.drop()
            throw error
        }
        await store.close()
        await scratch?.drop()
        for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
    }

    func measure(_ store: RelationalStore, total: Int, baseline: Double) async throws {
        let limit = BenchLimit(name: db == nil ? "raw SQLite row insert" : "raw PostgreSQL multi-row INSERT", value: baseline, unit: "rows/s")
        let backend: JSONValue = .string(db == nil ? "sqlite" : "postgres")

        // Parties and a signed agreement for the grants to belong to.
        var setup: [Command] = [.registerParty(Party(id: "cd", name: "DRC", kind: .state, country: "CD"))]
        let holders = 1000
        for i in 0..<holders { setup.append(.registerParty(Party(id: "company-\(i)", name: "Company \(i)", kind: .company, country: "CD"))) }
        setup.append(.registerAgreement(Agreement(id: "bench-agreement", title: "Bench", kind: .mineralsForSecurity,
                                                  parties: [.init(party: "cd", role: .grantor), .init(party: "company-0", role: .grantee)],
                                                  status: .inForce, signed: Day(year: 2020, month: 1, day: 1))))
        _ = try await store.append(setup, author: "bench")

        // 3×3-cell claims on distinct spots of a lattice over the DRC's extent, so none collide.
        let origin = try CellGrid.cell(latitude: -13.4, longitude: 12.3)
        let (r0, c0) = CellGrid.rowColumn(origin)
        let spotsPerRow = 560
        func block(_ n: Int) -> CellSet {
            let r = r0 + (n / spotsPerRow) * 4, c = c0 + (n % spotsPerRow) * 4
            return CellSet(ranges: (0..<3).map { CellGrid.id(row: r + $0, column: c)...CellGrid.id(row: r + $0, column: c + 2) })
        }
        var lines: [String] = []
        lines.reserveCapacity(total)
        for n in 0..<total {
            let holder = "company-\(n % holders)"
            let command: Command = n < grants
                ? .recordGrant(Grant(id: "grant-\(n)", agreement: "bench-agreement", beneficiary: holder, rights: [.extract], exclusivity: .exclusive,
                                     minerals: MineralSet([.cobalt, .copper]), area: .cells(block(n)), period: .always))
                : .registerConcession(Concession(id: "title-\(n)", code: "PE \(n)", titleType: .pe, holder: holder, minerals: MineralSet([.tin]),
                                                 cells: block(n), granted: nil, expires: nil, status: .granted))
            lines.append(CanonicalJSON.string(command.json))
        }
        let ndjson = lines.joined(separator: "\n")
        // The file `assay import` would read, imported as it imports it: streamed, 10,000 commands a chunk,
        // in one transaction. Parsing alone is timed first, on the whole text, for scale.
        let file = (directory as NSString).appendingPathComponent("bench-registry-\(UUID().uuidString).ndjson")
        try ndjson.write(toFile: file, atomically: false, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: file) }

        let p0 = ContinuousClock.now
        _ = try CommandImporter.ndjson(ndjson, file: "bench.ndjson")
        let parseRate = Double(total) / seconds(ContinuousClock.now - p0)
        let reader = try NDJSONCommandReader(path: file, file: "bench.ndjson")
        let t0 = ContinuousClock.now
        let written = try await store.appendStream(author: "bench") { try reader.next() }
        let importRate = Double(total) / seconds(ContinuousClock.now - t0)
        guard written.count == Int64(total) else { throw InputFailure(message: "the import wrote \(written.count) entries, not \(total)") }
        BenchOutput.say("bulk import of \(grants) grants + \(concessions) concessions as `assay import` does it (NDJSON file → read and validated 10,000 at a time → journal + projections + log, one durable commit):")
        BenchOutput.say("  end to end \(Int(importRate)) commands/s (parsing alone, the whole text at once: \(Int(parseRate)) commands/s)")
        BenchOutput.say("  = \(pct(importRate / baseline)) of the raw row-insert rate (goal ≥ 100,000 commands/s and ≥ 35%)")
        BenchOutput.figure("registry", "bulk import end to end", value: importRate, unit: "commands/s", limit: limit,
                           goal: "≥ 100,000 commands/s and ≥ 35% of the limit", met: importRate >= 100_000 && importRate >= 0.35 * baseline,
                           extra: ["backend": backend, "commands": .int(Int64(total)), "parse_rate": BenchOutput.number(parseRate)])

        // Collision checks: a 100×100-cell exclusive grant at random spots of the same lattice.
        var rng = SplitMix64(seed: 20261123)
        var latencies: [Double] = []
        var found = 0
        for i in 0..<checks {
            let n = Int(rng.next() % UInt64(total))
            let r = r0 + (n / spotsPerRow) * 4, c = c0 + (n % spotsPerRow) * 4
            let cells = CellSet(ranges: (0..<100).map { CellGrid.id(row: r + $0, column: c)...CellGrid.id(row: r + $0, column: c + 99) })
            let g = Grant(id: "probe-\(i)", agreement: "bench-agreement", beneficiary: "cd", rights: [.extract], exclusivity: .exclusive,
                          minerals: MineralSet([.cobalt]), area: .cells(cells), period: .always)
            let s = ContinuousClock.now
            let result = try await store.dryRun(g)
            latencies.append(seconds(ContinuousClock.now - s) * 1000)
            found += result.collisions.count
        }
        latencies.sort()
        BenchOutput.say("collision check of a 10,000-cell grant against \(grants) grants (\(checks) dry runs, \(found / checks) collisions found on average):")
        BenchOutput.say("  p50 \(ms(quantile(latencies, 0.5))) ms, p99 \(ms(quantile(latencies, 0.99))) ms (goal p99 ≤ 5 ms); one raw row insert costs \(ms(1000 / baseline)) ms")
        BenchOutput.figure("registry", "collision check (dry run, 10,000-cell grant)", value: quantile(latencies, 0.99), unit: "ms (p99)",
                           p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99),
                           limit: BenchLimit(name: "one raw row insert", value: 1000 / baseline, unit: "ms"), goal: "p99 ≤ 5 ms",
                           met: quantile(latencies, 0.99) <= 5, extra: ["backend": backend, "checks": .int(Int64(checks)), "grants": .int(Int64(grants))])

        let entries = try await store.journalSize()
        let stats = try await store.rebuild()
        let rebuildRate = Double(stats.entries) / stats.seconds
        BenchOutput.say("rebuild: replayed \(entries) entries in \(String(format: "%.2f", stats.seconds)) s = \(Int(rebuildRate)) entries/s")
        BenchOutput.say("  = \(pct(rebuildRate / baseline)) of the raw row-insert rate (goal ≥ 250,000 entries/s)")
        BenchOutput.figure("registry", "rebuild (replay)", value: rebuildRate, unit: "entries/s", limit: limit,
                           goal: "≥ 250,000 entries/s", met: rebuildRate >= 250_000, extra: ["backend": backend, "entries": .int(Int64(entries))])
    }

    func seconds(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18 }
    func quantile(_ sorted: [Double], _ q: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
    func ms(_ x: Double) -> String { String(format: "%.3f", x) }
    func pct(_ x: Double) -> String { String(format: "%.0f%%", x * 100) }
}
