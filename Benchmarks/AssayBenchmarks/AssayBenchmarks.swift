// The registry's hot paths under ordo-one/benchmark: percentiles of wall clock, throughput, allocations
// and peak memory, comparable against a saved baseline (`swift package benchmark baseline …`).
// Run with `swift package benchmark --target AssayBenchmarks` (README, "Benchmarks").
//
// Every benchmark varies its input between iterations (new party ids, pseudo-random proof indices and
// tree sizes, different demo commands, different lots), so no figure is that of one cached case.

import AssayDomain
import AssayIngest
import AssayStore
import Benchmark
import Foundation
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

/// A small deterministic generator (SplitMix64), so every run probes the same places.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// A registry on a temporary SQLite file and the next unused party number.
final class AppendState: @unchecked Sendable {
    let store: RelationalStore
    let path: String
    private var next = 0
    nonisolated(unsafe) private static var opened: [AppendState] = []

    private init(store: RelationalStore, path: String) { self.store = store; self.path = path }

    static func open() async throws -> AppendState {
        let path = (NSTemporaryDirectory() as NSString).appendingPathComponent("assay-benchmark-\(UUID().uuidString).sqlite")
        let store = try await RelationalStore.open(database: path, geography: try ReferenceData.geography(),
                                                   signers: [try Ed25519NoteSigner(name: "bench.local/registry")])
        let state = AppendState(store: store, path: path)
        opened.append(state)
        return state
    }

    static func closeAll() async {
        for s in opened {
            await s.store.close()
            for suffix in ["", "-wal", "-shm", ".key"] { try? FileManager.default.removeItem(atPath: s.path + suffix) }
        }
        opened = []
    }

    /// `count` registrations of parties never registered before in this store.
    func nextBatch(_ count: Int) -> [Command] {
        defer { next += count }
        return (next..<next + count).map { i in
            .registerParty(Party(id: "party-\(i)", name: "Party \(i)", kind: .company, country: "CD", provenance: Provenance(synthetic: true)))
        }
    }
}

/// The 1,000,000-leaf tree both proof benchmarks read, built once per process, and the probe sequence.
final class ProofTree: @unchecked Sendable {
    static let shared = ProofTree(leaves: 1_000_000)
    let hashes: HashLevels
    var size: Int { hashes.size }
    private var rng = SplitMix64(seed: 9162)

    init(leaves: Int) {
        hashes = HashLevels(entries: (0..<leaves).lazy.map { i in withUnsafeBytes(of: i) { Array($0) } })
    }

    /// Starts the probe sequence over (setup of each benchmark), so every run asks the same proofs.
    func reset() -> ProofTree { rng = SplitMix64(seed: 9162); return self }

    func nextProbe() -> (index: Int, size: Int) { (Int(rng.next() % UInt64(size)), size) }

    /// 1 ≤ m < n ≤ size.
    func nextPair() -> (m: Int, n: Int) {
        let n = 2 + Int(rng.next() % UInt64(size - 1))
        let m = 1 + Int(rng.next() % UInt64(n - 1))
        return (m, n)
    }
}

struct RoundTripMismatch: Error { let text: String }

/// The demo set's commands as canonical JSON text, taken in turn.
final class CommandCorpus: @unchecked Sendable {
    let texts: [[UInt8]]
    private var cursor = 0

    init() throws {
        texts = try DemoSet.commands().map { CanonicalJSON.encode($0.json) }
        // The round trip must give back the same bytes, or the benchmark measures something else.
        for t in texts where CanonicalJSON.encode(try Command(json: try JSONParser.parse(t)).json) != t {
            throw RoundTripMismatch(text: String(decoding: t.prefix(120), as: UTF8.self))
        }
    }

    func next() -> [UInt8] {
        defer { cursor = (cursor + 1) % texts.count }
        return texts[cursor]
    }
}

/// A control map of 2,000 assessments (discs of 3–15 km over eastern DRC, each for some months of ten
/// years) and 100,000 lots (an origin and two route points each, on random days), as in `assay bench risk`.
final class RiskWorkload: @unchecked Sendable {
    static let shared = RiskWorkload(assessments: 2_000, lots: 100_000)
    let map: ControlMap
    let lots: [ScreenLot]
    private var cursor = 0

    init(assessments: Int, lots count: Int) {
        var rng = SplitMix64(seed: 20_160_101)
        let start = Day(year: 2016, month: 1, day: 1)!
        func randomPoint() -> (Double, Double) {
            (Double.random(in: -5.0...1.5, using: &rng), Double.random(in: 26.5...30.0, using: &rng))
        }
        map = ControlMap((0..<assessments).map { i in
            let (lat, lon) = randomPoint()
            let from = start + Int.random(in: 0..<3400, using: &rng)
            return ControlEntry(id: "a\(i)", controller: "g\(i % 40)", kind: i % 5 == 0 ? .state : .nonState,
                                period: (try? Period(from: from, until: from + Int.random(in: 30...700, using: &rng))) ?? .always,
                                confidence: .high, sources: [], citation: "bench", recordedSequence: Int64(i), recordedDay: start,
                                cells: Area.circleCells(latitude: lat, longitude: lon, radiusKm: Double.random(in: 3...15, using: &rng)))
        })
        func point(_ k: Int) -> (site: String, cell: UInt32, day: Day) {
            let (lat, lon) = randomPoint()
            return ("site-\(k)", (try? CellGrid.cell(latitude: lat, longitude: lon)) ?? 0, start + Int.random(in: 0..<3650, using: &rng))
        }
        lots = (0..<count).map { i in ScreenLot(lot: "L\(i)", origins: [point(i)], route: [point(i + 1), point(i + 2)]) }
    }

    func reset() -> RiskWorkload { cursor = 0; return self }

    /// The next `count` lots, wrapping round.
    func nextLots(_ count: Int) -> ArraySlice<ScreenLot> {
        if cursor + count > lots.count { cursor = 0 }
        defer { cursor += count }
        return lots[cursor..<cursor + count]
    }
}
