import ArgumentParser
import AssayBenchSupport
import AssayDomain
import AssayPostgres
import AssayStore
import Foundation
import TransparencyLog

/// `assay bench log`: the log's hot paths, each beside a limit measured in the same run.
struct BenchLog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Bulk append, concurrent durable appends, proofs at 10 million entries, full verify — beside raw SHA-256 and SQLite rates.")
    @Option(help: "Entries for the bulk append and verify.") var bulk: Int = 1_000_000
    @Option(help: "Entries for the concurrent appends.") var concurrent: Int = 100_000
    @Option(help: "Concurrent tasks.") var tasks: Int = 64
    @Option(help: "Tree size for the proof timings.") var proofSize: Int = 10_000_000
    @Option(help: "Where the temporary databases go.") var directory: String = NSTemporaryDirectory()
    @Option(help: "Measure the log on PostgreSQL instead (postgres://USER@HOST:PORT/DATABASE, e.g. from scripts/pg start): bulk append beside a raw multi-row INSERT of the same entries.")
    var db: String?
    @OptionGroup var output: BenchOptions

    func run() async throws {
        BenchOutput.configure(output)
        #if DEBUG
        BenchOutput.say("warning: this is a debug build; figures are for `swift run -c release assay bench log`")
        #endif
        let entry = [UInt8](repeating: 0x61, count: 256)
        let entries = (0..<bulk).map { i -> [UInt8] in var e = entry; withUnsafeBytes(of: i) { e.replaceSubrange(0..<8, with: $0) }; return e }
        if let db { return try await postgres(url: db, entries: entries) }

        // Baselines.
        var t = ContinuousClock.now
        var sink = MerkleHasher.empty
        for e in entries { sink = MerkleHasher.leaf(e) }
        let shaRate = Double(bulk) / seconds(since: t)
        let blobRate = try SQLiteBaseline.blobInsertRate(rows: bulk, bytes: 256, directory: directory)
        BenchOutput.say("baseline: SHA-256 of 256-byte entries (leaf hashes, one core): \(Int(shaRate)) entries/s (last \(sink.hex.prefix(8)))")
        BenchOutput.say("baseline: raw SQLite insert of the same 256-byte blobs, one row each, one durable commit: \(Int(blobRate)) rows/s")

        // Bulk append.
        let signer = try Ed25519NoteSigner(name: "bench.local/log")
        let path = (directory as NSString).appendingPathComponent("bench-log-\(UUID().uuidString).sqlite")
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let log = try SQLiteLog(path: path, signer: signer)
        t = ContinuousClock.now
        _ = try log.appendBulk(entries)
        let bulkRate = Double(bulk) / seconds(since: t)
        BenchOutput.say("bulk append through SQLiteLog, the log's writer alone (hash, tiles, bundles, signed checkpoint, one durable commit; not the registry's command path, which follows) of \(bulk) entries: \(Int(bulkRate)) entries/s")
        BenchOutput.say("  = \(pct(bulkRate / shaRate)) of the SHA-256 rate, \(pct(bulkRate / blobRate)) of the row-insert rate (goal ≥ 1,000,000 entries/s)")
        let blobLimit = BenchLimit(name: "raw SQLite insert of the same blobs", value: blobRate, unit: "rows/s")
        BenchOutput.figure("log", "bulk append, SQLiteLog (the log's writer alone)", value: bulkRate, unit: "entries/s", limit: blobLimit,
                           goal: "≥ 1,000,000 entries/s", met: bulkRate >= 1_000_000,
                           extra: ["sha256_rate": BenchOutput.number(shaRate), "entries": .int(Int64(bulk)), "backend": "sqlite"])

        let registryPath = (directory as NSString).appendingPathComponent("bench-registry-log-\(UUID().uuidString).sqlite")
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: registryPath + s) } }
        let registryRate = try await registryWritePath(database: registryPath, count: min(bulk, 100_000))
        BenchOutput.say("  = \(pct(registryRate / blobRate)) of the row-insert rate for the registry's own write path")
        BenchOutput.figure("log", "bulk append, the registry's write path (RelationalStore)", value: registryRate, unit: "entries/s", limit: blobLimit,
                           extra: ["entries": .int(Int64(min(bulk, 100_000))), "backend": "sqlite"])

        // Full verify of that log.
        let key = try Ed25519NoteVerifier(verifierKey: signer.verifierKey)
        t = ContinuousClock.now
        let verified = try log.verify(with: key)
        let verifyRate = Double(verified) / seconds(since: t)
        BenchOutput.say("full verify (rehash every entry from its bundle, compare tiles, check the signed root): \(Int(verifyRate)) entries/s")
        BenchOutput.say("  = \(pct(verifyRate / shaRate)) of the SHA-256 rate (goal ≥ 1,000,000 entries/s)")
        BenchOutput.figure("log", "full verify", value: verifyRate, unit: "entries/s",
                           limit: BenchLimit(name: "SHA-256 of the same entries, one core", value: shaRate, unit: "entries/s"),
                           goal: "≥ 1,000,000 entries/s", met: verifyRate >= 1_000_000, extra: ["entries": .int(Int64(verified))])

        // Concurrent durable appends with group commit.
        let perTask = concurrent / tasks
        let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
            for k in 0..<tasks {
                group.addTask {
                    var out: [Double] = []
                    out.reserveCapacity(perTask)
                    for i in 0..<perTask {
                        var e = entry
                        e[0] = UInt8(k & 0xFF); e[1] = UInt8(i & 0xFF); e[2] = UInt8(i >> 8 & 0xFF)
                        let s = ContinuousClock.now
                        _ = try await log.append(e)
                        out.append(BenchLog.secondsStatic(since: s) * 1000)
                    }
                    return out
                }
            }
            var all: [Double] = []
            t = ContinuousClock.now
            for try await l in group { all += l }
            return all
        }
        let concurrentRate = Double(latencies.count) / seconds(since: t)
        let sorted = latencies.sorted()
        BenchOutput.say("concurrent durable appends from \(tasks) tasks with group commit (\(latencies.count) entries, each acknowledged after its signed checkpoint is durable):")
        BenchOutput.say("  \(Int(concurrentRate)) entries/s = \(pct(concurrentRate / blobRate)) of the row-insert rate (goal ≥ 60,000); latency p50 \(ms(q(sorted, 0.5))) ms, p99 \(ms(q(sorted, 0.99))) ms (goal p99 ≤ 10 ms)")
        BenchOutput.figure("log", "concurrent durable appends, group commit", value: concurrentRate, unit: "entries/s",
                           p50: q(sorted, 0.5), p99: q(sorted, 0.99), limit: blobLimit,
                           goal: "≥ 60,000 entries/s, p99 ≤ 10 ms", met: concurrentRate >= 60_000 && q(sorted, 0.99) <= 10,
                           extra: ["tasks": .int(Int64(tasks)), "entries": .int(Int64(latencies.count)), "backend": "sqlite"])
        // Proofs at a large tree, from the in-memory hashes the server keeps.
        var hashes = MemoryHashStore()
        hashes.reserve(proofSize)
        t = ContinuousClock.now
        for i in 0..<proofSize { hashes.append(MerkleHasher.leaf(withUnsafeBytes(of: i) { Array($0) })) }
        let buildSeconds = seconds(since: t)
        var rng = SplitMix64(seed: 9162)
        var inc: [Double] = [], con: [Double] = []
        for _ in 0..<20_000 {
            let index = Int(rng.next() % UInt64(proofSize))
            var s = ContinuousClock.now
            _ = try MerkleTree.inclusionProof(index: index, size: proofSize, reader: hashes)
            inc.append(seconds(since: s) * 1e6)
            let m = 1 + Int(rng.next() % UInt64(proofSize - 1))
            s = ContinuousClock.now
            _ = try MerkleTree.consistencyProof(from: m, to: proofSize, reader: hashes)
            con.append(seconds(since: s) * 1e6)
        }
        inc.sort(); con.sort()
        let nodeNs = 1e9 / shaRate
        BenchOutput.say("proofs at \(proofSize) entries (tree built in memory in \(String(format: "%.1f", buildSeconds)) s):")
        BenchOutput.say("  inclusion p50 \(us(q(inc, 0.5))) µs, p99 \(us(q(inc, 0.99))) µs (goal p50 ≤ 10 µs); consistency p50 \(us(q(con, 0.5))) µs, p99 \(us(q(con, 0.99))) µs (goal p50 ≤ 20 µs)")
        BenchOutput.say("  for scale: one leaf hash costs \(String(format: "%.0f", nodeNs)) ns here")
        let hashLimit = BenchLimit(name: "one leaf hash", value: nodeNs / 1000, unit: "µs")
        BenchOutput.figure("log", "inclusion proof", value: q(inc, 0.5), unit: "µs (p50)", p50: q(inc, 0.5), p99: q(inc, 0.99), latencyUnit: "µs",
                           limit: hashLimit, goal: "p50 ≤ 10 µs", met: q(inc, 0.5) <= 10, extra: ["tree_size": .int(Int64(proofSize)), "proofs": .int(20_000)])
        BenchOutput.figure("log", "consistency proof", value: q(con, 0.5), unit: "µs (p50)", p50: q(con, 0.5), p99: q(con, 0.99), latencyUnit: "µs",
                           limit: hashLimit, goal: "p50 ≤ 20 µs", met: q(con, 0.5) <= 20, extra: ["tree_size": .int(Int64(proofSize)), "proofs": .int(20_000)])

        pymerkle()
    }

    /// `--db`: bulk append through ``PostgresLog`` beside PostgreSQL's raw insert rate for the same entries.
    /// Both run in scratch databases made on that server and dropped afterwards. The second figure is the
    /// registry's own write path (``RelationalStore``: commands validated, journal, projections, tiles,
    /// signed checkpoint), which is what a server on PostgreSQL does.
    func postgres(url: String, entries: [[UInt8]]) async throws {
        let scratch = try await PostgresScratchDatabase.create(url: url, label: "log")
        do {
            let rawRate = try await PostgresBaseline.rowInsertRate(url: scratch.url, entries: entries)
            BenchOutput.say("baseline: raw PostgreSQL multi-row INSERT of the same \(entries.count) 256-byte entries into a plain table, one durable commit: \(Int(rawRate)) rows/s")
            let signer = try Ed25519NoteSigner(name: "bench.local/log")
            let log = try await PostgresLog(url: scratch.url, signer: signer)
            let t = ContinuousClock.now
            _ = try await log.appendBulk(entries)
            let rate = Double(entries.count) / seconds(since: t)
            BenchOutput.say("PostgresLog bulk append of \(entries.count) entries (row lock, each entry stored once, hash tiles, signed checkpoint, one durable commit; bundles are built from the entries when read): \(Int(rate)) entries/s")
            BenchOutput.say("  = \(pct(rate / rawRate)) of the raw INSERT rate (goal ≥ 200,000 entries/s and ≥ 50%)")
            BenchOutput.figure("log", "bulk append, PostgresLog (the log's writer alone)", value: rate, unit: "entries/s",
                               limit: BenchLimit(name: "raw PostgreSQL multi-row INSERT of the same entries", value: rawRate, unit: "rows/s"),
                               goal: "≥ 200,000 entries/s and ≥ 50% of the limit", met: rate >= 200_000 && rate >= rawRate / 2,
                               extra: ["entries": .int(Int64(entries.count)), "backend": "postgres"])
            await log.close()
        } catch {
            await scratch.drop()
            throw error
        }
        await scratch.drop()

        let registry = try await PostgresScratchDatabase.create(url: url, label: "registry_log")
        do {
            let rate = try await registryWritePath(database: registry.url, count: min(entries.count, 100_000))
            BenchOutput.figure("log", "bulk append, the registry's write path (RelationalStore)", value: rate, unit: "entries/s",
                               extra: ["entries": .int(Int64(min(entries.count, 100_000))), "backend": "postgres"])
        } catch {
            await registry.drop()
            throw error
        }
        await registry.drop()
    }

    /// The registry's own write path (what a server does): `count` party registrations in one append
    /// through ``RelationalStore`` — validated, journal, projections, tiles, signed checkpoint. Prints and
    /// returns entries per second.
    func registryWritePath(database: String, count n: Int) async throws -> Double {
        let store = try await RelationalStore.open(database: database, geography: try Context.geography(),
                                                   signers: [try Ed25519NoteSigner(name: "bench.local/registry")])
        let commands = (0..<n).map { i in
            Command.registerParty(Party(id: "p\(i)", name: "Party \(i)", kind: .company, country: "CD", provenance: Provenance(synthetic: true)))
        }
        let t = ContinuousClock.now
        do { _ = try await store.append(commands, author: "bench") } catch {
            await store.close()
            throw error
        }
        let rate = Double(n) / seconds(since: t)
        await store.close()
        let backend = PostgresURL.isPostgres(database) ? "PostgreSQL" : "SQLite"
        BenchOutput.say("the registry's own write path on \(backend) (RelationalStore: \(n) party registrations in one append, validated, journal + projections + tiles, signed checkpoint, one durable commit): \(Int(rate)) entries/s")
        return rate
    }

    /// Runs the Python pymerkle package on the same work, if it is installed, for comparison.
    func pymerkle() {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/bench-pymerkle.py").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", script, "--entries", "100000", "--directory", directory]
        let out = Pipe()
        p.standardOutput = out
        p.standardError = out
        do { try p.run() } catch { BenchOutput.say("pymerkle: not run (\(error))"); return }
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        BenchOutput.say(text.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    func seconds(since s: ContinuousClock.Instant) -> Double { BenchLog.secondsStatic(since: s) }
    static func secondsStatic(since s: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - s
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
    func q(_ sorted: [Double], _ x: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * x))] }
    func ms(_ x: Double) -> String { String(format: "%.2f", x) }
    func us(_ x: Double) -> String { String(format: "%.2f", x) }
    func pct(_ x: Double) -> String { String(format: "%.0f%%", x * 100) }
}
