// The registry's hot paths under ordo-one/benchmark: percentiles of wall clock, throughput, allocations
// and peak memory, comparable against a saved baseline (`swift package benchmark baseline …`).
// Run with `swift package benchmark --target AssayBenchmarks` (README, "Benchmarks").
//
// Every benchmark varies its input between iterations (new party ids, pseudo-random proof indices and
// tree sizes, different demo commands, different lots), so no figure is that of one cached case.

import AssayBenchSupport
import AssayDomain
import AssayIngest
import AssayStore
import Benchmark
import Foundation
import Synchronization
import TransparencyLog

let benchmarks: @Sendable () -> Void = {
    // No .cpuTotal: on Linux it counts in 10 ms ticks, all zeros at these durations. No ARC metrics
    // (.retainCount…): Package.swift leaves out the RuntimeInterposer trait they need on Linux with Swift 6.3.
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 3,
        maxDuration: .seconds(2),
        maxIterations: 100_000
    )

    // 1. The registry's write path: each iteration appends 1,000 new party registrations (ids never
    // seen before) through `RelationalStore.append` on a SQLite file — validated, journal, projections,
    // log tiles, signed checkpoint, one durable commit. Scaled ×1,000, so the figures are per entry.
    Benchmark(
        "Log append (registry write path, 1,000 party registrations)",
        configuration: .init(
            metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident],
            scalingFactor: .kilo,
            maxDuration: .seconds(2),
            maxIterations: 200
        )
    ) { benchmark, state in
        let commands = state.nextBatch(benchmark.scaledIterations.count)
        benchmark.startMeasurement()
        let receipts = try await state.store.append(commands, author: "bench")
        benchmark.stopMeasurement()
        blackHole(receipts)
    } setup: {
        try await AppendState.open()
    } teardown: {
        await AppendState.closeAll()
    }

    // 2. Inclusion proofs in a tree of 1,000,000 leaves (built once, outside the measurement), each
    // iteration for a different pseudo-random leaf.
    Benchmark(
        "Inclusion proof (1M-leaf tree, random index)",
        configuration: .init(maxIterations: 200_000)
    ) { benchmark, tree in
        let (index, _) = tree.nextProbe()
        benchmark.startMeasurement()
        let proof = try MerkleTree.inclusionProof(index: index, size: tree.size, reader: tree.hashes)
        benchmark.stopMeasurement()
        blackHole(proof)
    } setup: {
        ProofTree.shared.reset()
    }

    // 3. Consistency proofs in the same tree, between a different pair of sizes (m < n ≤ 1,000,000)
    // each iteration.
    Benchmark(
        "Consistency proof (1M-leaf tree, random m < n)",
        configuration: .init(maxIterations: 200_000)
    ) { benchmark, tree in
        let (m, n) = tree.nextPair()
        benchmark.startMeasurement()
        let proof = try MerkleTree.consistencyProof(from: m, to: n, reader: tree.hashes)
        benchmark.stopMeasurement()
        blackHole(proof)
    } setup: {
        ProofTree.shared.reset()
    }

    // 4. Canonical JSON round trip of the demo set's commands (parties, agreements, grants with areas,
    // concessions, custody events with signatures…), a different one each iteration: parse the text,
    // read it as a `Command` (every field checked), write its canonical JSON back.
    Benchmark(
        "Canonical JSON round trip (demo commands: parse, read, canonical write)",
        configuration: .init(maxIterations: 200_000)
    ) { benchmark, corpus in
        let text = corpus.next()
        benchmark.startMeasurement()
        let command = try Command(json: try JSONParser.parse(text))
        let bytes = CanonicalJSON.encode(command.json)
        benchmark.stopMeasurement()
        blackHole(bytes)
    } setup: {
        try CommandCorpus()
    }

    // 5. Risk screening: 1,000 lots per iteration (an origin and two route points each, random cells in
    // eastern DRC on random days over ten years) against a control map of 2,000 assessments, the next
    // 1,000 of 100,000 lots each time. Scaled ×1,000, so the figures are per lot.
    Benchmark(
        "Risk screening, control rules (1,000 lots × 3 points, 2,000 assessments)",
        configuration: .init(scalingFactor: .kilo, maxIterations: 50_000)
    ) { benchmark, risk in
        let lots = risk.nextLots(benchmark.scaledIterations.count)
        benchmark.startMeasurement()
        var hits = 0
        for lot in lots { hits += RiskScreener.controlHits(lot, map: risk.map) }
        benchmark.stopMeasurement()
        blackHole(hits)
    } setup: {
        RiskWorkload.shared.reset()
    }

    // The same lots through the full screen (flags with their explanation and evidence built).
    Benchmark(
        "Risk screening, all flags (1,000 lots × 3 points, 2,000 assessments)",
        configuration: .init(scalingFactor: .kilo, maxIterations: 50_000)
    ) { benchmark, risk in
        let lots = risk.nextLots(benchmark.scaledIterations.count)
        let context = RiskContext()
        benchmark.startMeasurement()
        var flags = 0
        for lot in lots { flags += RiskScreener.screen(lot, map: risk.map, context: context).count }
        benchmark.stopMeasurement()
        blackHole(flags)
    } setup: {
        RiskWorkload.shared.reset()
    }
}

// MARK: - Workloads

/// A registry on a temporary SQLite file and the next unused party number.
final class AppendState: Sendable {
    let store: RelationalStore
    let path: String
    private let next = Mutex(0)
    private static let opened = Mutex<[AppendState]>([])

    private init(store: RelationalStore, path: String) { self.store = store; self.path = path }

    static func open() async throws -> AppendState {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("assay-benchmark-\(UUID().uuidString).sqlite")
        let store = try await RelationalStore.open(database: path, geography: try ReferenceData.geography(),
                                                   signers: [try Ed25519NoteSigner(name: "bench.local/registry")])
        let state = AppendState(store: store, path: path)
        opened.withLock { $0.append(state) }
        return state
    }

    static func closeAll() async {
        for s in opened.withLock({ o in defer { o = [] }; return o }) {
            await s.store.close()
            for suffix in ["", "-wal", "-shm", ".key"] { try? FileManager.default.removeItem(atPath: s.path + suffix) }
        }
    }

    /// `count` registrations of parties never registered before in this store.
    func nextBatch(_ count: Int) -> [Command] {
        let first = next.withLock { n in defer { n += count }; return n }
        return (first..<first + count).map { i in
            .registerParty(Party(id: "party-\(i)", name: "Party \(i)", kind: .company, country: "CD", provenance: Provenance(synthetic: true)))
        }
    }
}

/// The 1,000,000-leaf tree both proof benchmarks read, built once per process, and the probe sequence.
final class ProofTree: Sendable {
    static let shared = ProofTree(leaves: 1_000_000)
    let hashes: HashLevels
    var size: Int { hashes.size }
    private let rng = Mutex(SplitMix64(seed: 9162))

    init(leaves: Int) {
        hashes = HashLevels(entries: (0..<leaves).lazy.map { i in withUnsafeBytes(of: i) { Array($0) } })
    }

    /// Starts the probe sequence over (setup of each benchmark), so every run asks the same proofs.
    func reset() -> ProofTree { rng.withLock { $0 = SplitMix64(seed: 9162) }; return self }

    func nextProbe() -> (index: Int, size: Int) { (Int(rng.withLock { $0.next() } % UInt64(size)), size) }

    /// 1 ≤ m < n ≤ size.
    func nextPair() -> (m: Int, n: Int) {
        rng.withLock { r in
            let n = 2 + Int(r.next() % UInt64(size - 1))
            let m = 1 + Int(r.next() % UInt64(n - 1))
            return (m, n)
        }
    }
}

struct RoundTripMismatch: Error { let text: String }

/// The demo set's commands as canonical JSON text, taken in turn.
final class CommandCorpus: Sendable {
    let texts: [[UInt8]]
    private let cursor = Mutex(0)

    init() throws {
        texts = try DemoSet.commands().map { CanonicalJSON.encode($0.json) }
        // The round trip must give back the same bytes, or the benchmark measures something else.
        for t in texts where CanonicalJSON.encode(try Command(json: try JSONParser.parse(t)).json) != t {
            throw RoundTripMismatch(text: String(decoding: t.prefix(120), as: UTF8.self))
        }
    }

    func next() -> [UInt8] {
        texts[cursor.withLock { c in defer { c = (c + 1) % texts.count }; return c }]
    }
}

/// A control map of 2,000 assessments (discs of 3–15 km over eastern DRC, each for some months of ten
/// years) and 100,000 lots (an origin and two route points each, on random days), as in `assay bench risk`.
final class RiskWorkload: Sendable {
    static let shared = RiskWorkload(assessments: 2_000, lots: 100_000)
    let map: ControlMap
    let lots: [ScreenLot]
    private let cursor = Mutex(0)

    init(assessments: Int, lots count: Int) {
        var rng = SplitMix64(seed: 20_160_101)
        map = ControlMap((0..<assessments).map { SyntheticRisk.assessment($0, using: &rng) })
        lots = SyntheticRisk.lots(count, using: &rng)
    }

    func reset() -> RiskWorkload { cursor.withLock { $0 = 0 }; return self }

    /// The next `count` lots, wrapping round.
    func nextLots(_ count: Int) -> ArraySlice<ScreenLot> {
        let first = cursor.withLock { c in
            if c + count > lots.count { c = 0 }
            defer { c += count }
            return c
        }
        return lots[first..<first + count]
    }
}
