import ArgumentParser
import AssayDomain
import AssayStore
import Crypto
import Foundation
import TransparencyLog

/// `assay bench lookup`: what anyone watching the registry asks of it — COSE receipts issued for many
/// different entries of a registry built through its own write path, beside the Ed25519 signing rate
/// measured in the same run (a receipt is one signature plus an inclusion proof from memory).
struct BenchLookup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lookup", abstract: "COSE receipts for many different entries, beside the Ed25519 signing rate of the same run.")
    @Option(help: "Entries in the registry (party registrations through the registry's write path).") var entries: Int = 100_000
    @Option(help: "Receipts to issue, each for a random entry.") var receipts: Int = 20_000
    @Option(help: "Entries fed to the verifiable index (synthetic: each touches two keys).") var mapEntries: Int = 1_000_000
    @Option(help: "Distinct keys among them.") var mapKeys: Int = 100_000
    @Option(help: "Where the temporary database goes.") var directory: String = NSTemporaryDirectory()
    @OptionGroup var output: BenchOptions

    func run() async throws {
        BenchOutput.configure(output)
        #if DEBUG
        BenchOutput.say("warning: this is a debug build; figures are for `swift run -c release assay bench lookup`")
        #endif
        guard mapEntries >= 1000, mapKeys >= 100, mapKeys <= mapEntries * 2 else { throw ValidationError("--map-entries ≥ 1000, --map-keys ≥ 100 and at most twice the entries") }
        try measureIndex()
        guard entries >= 1, receipts >= 100 else { throw ValidationError("--entries must be at least 1 and --receipts at least 100") }
        let path = (directory as NSString).appendingPathComponent("bench-lookup-\(UUID().uuidString).sqlite")
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        let signer = try Ed25519NoteSigner(name: "bench.local/lookup")
        let store = try await RelationalStore.open(database: path, geography: try Context.geography(), signers: [signer])
        let commands = (0..<entries).map { i in
            Command.registerParty(Party(id: "p\(i)", name: "Party \(i)", kind: .company, country: "CD", provenance: Provenance(synthetic: true)))
        }
        do { _ = try await store.append(commands, author: "bench") } catch { await store.close(); throw error }
        let size = store.servedSize
        var rng = SystemRandomNumberGenerator()
        let picks = (0..<receipts).map { _ in Int64.random(in: 1...Int64(size), using: &rng) }

        // Limit: Ed25519 signatures over messages the size of a receipt's Sig_structure (~60 bytes), each different.
        let key = Curve25519.Signing.PrivateKey()
        var message = [UInt8](repeating: 0x42, count: 60)
        var t = ContinuousClock.now
        var sink = 0
        for i in 0..<receipts {
            withUnsafeBytes(of: i) { message.replaceSubrange(0..<8, with: $0) }
            sink &+= Int(try key.signature(for: message).first ?? 0)
        }
        let signRate = Double(receipts) / BenchLog.secondsStatic(since: t)
        BenchOutput.say("baseline: Ed25519 signatures of 60-byte messages, one core: \(Int(signRate))/s (\(sink % 2))")

        // Receipts for random entries: inclusion proof from the in-memory tree, root, CBOR, one signature.
        var latencies: [Double] = []
        latencies.reserveCapacity(receipts)
        var bytes = 0
        var last: [UInt8] = []
        t = ContinuousClock.now
        for seq in picks {
            let t0 = ContinuousClock.now
            last = try store.receipt(sequence: seq, size: size)
            latencies.append(BenchLog.secondsStatic(since: t0) * 1e6)
            bytes += last.count
        }
        let rate = Double(receipts) / BenchLog.secondsStatic(since: t)
        latencies.sort()
        let p50 = latencies[latencies.count / 2], p99 = latencies[latencies.count * 99 / 100]
        let ratio = rate / signRate
        BenchOutput.say("COSE receipts for \(receipts) random entries of \(size): \(Int(rate))/s, p50 \(String(format: "%.1f", p50)) µs, p99 \(String(format: "%.1f", p99)) µs, \(bytes / receipts) bytes on average")
        BenchOutput.say("  = \(String(format: "%.0f%%", ratio * 100)) of the Ed25519 signing rate (goal ≥ 50%)")
        BenchOutput.figure("lookup", "COSE receipt issue (one per write, random entries)", value: rate, unit: "receipts/s", p50: p50, p99: p99, latencyUnit: "µs",
                           limit: BenchLimit(name: "Ed25519 signatures of 60-byte messages", value: signRate, unit: "signatures/s"),
                           goal: "≥ 50% of the Ed25519 signing rate", met: ratio >= 0.5,
                           extra: ["entries": .int(Int64(size)), "receipts": .int(Int64(receipts)), "bytes": .int(Int64(bytes / receipts))])

        // Verification, as a SCITT client does it (for the last receipt's entry): leaf hash, path, one signature check.
        let vkey = try Ed25519NoteVerifier(verifierKey: signer.verifierKey)
        guard let entry = try await store.entries(picks[picks.count - 1]...picks[picks.count - 1]).first else { await store.close(); return }
        let n = min(receipts, 5_000)
        t = ContinuousClock.now
        for _ in 0..<n { _ = try COSEReceipt.verify(last, entry: entry.bytes, key: vkey) }
        let verifyRate = Double(n) / BenchLog.secondsStatic(since: t)
        BenchOutput.say("COSE receipt verification: \(Int(verifyRate))/s")
        BenchOutput.figure("lookup", "COSE receipt verification", value: verifyRate, unit: "receipts/s",
                           limit: BenchLimit(name: "Ed25519 signatures of 60-byte messages", value: signRate, unit: "signatures/s"))
        await store.close()
    }

    /// The verifiable index alone: updates as entries are appended, proofs for random keys, their size.
    func measureIndex() throws {
        var rng = SystemRandomNumberGenerator()
        let names = (0..<mapKeys).map { "lot:L\($0)" }
        // Every key at least once, then random ones: two keys an entry.
        let picks = (0..<mapEntries).map { i -> (Int, Int) in
            i * 2 < mapKeys ? (i * 2, min(i * 2 + 1, mapKeys - 1)) : (Int.random(in: 0..<mapKeys, using: &rng), Int.random(in: 0..<mapKeys, using: &rng))
        }
        // Limit: SHA-256 of 72-byte messages (what a node or leaf hash costs), one core.
        var t = ContinuousClock.now
        var sink = TreeHash(bytes: [UInt8](repeating: 1, count: 32))!
        let n = 1_000_000
        for _ in 0..<n { sink = TreeHash(bytes: Array(SHA256.hash(data: sink.bytes + sink.bytes + [0, 1, 2, 3, 4, 5, 6, 7])))! }
        let shaRate = Double(n) / BenchLog.secondsStatic(since: t)
        BenchOutput.say("baseline: SHA-256 of 72-byte messages, one core: \(Int(shaRate))/s (\(sink.hex.prefix(4)))")
        var index = VerifiableIndex()
        t = ContinuousClock.now
        for (a, b) in picks { index.add(keys: a == b ? [names[a]] : [names[a], names[b]]) }
        let root = index.root()
        let updateSeconds = BenchLog.secondsStatic(since: t)
        let rate = Double(mapEntries) / updateSeconds
        BenchOutput.say("verifiable index: \(mapEntries) entries over \(index.keyCount) keys added and the root computed in \(String(format: "%.2f", updateSeconds)) s: \(Int(rate)) entries/s (goal ≥ 200,000), root \(root.hex.prefix(8))")
        BenchOutput.figure("lookup", "index update when appending (2 keys an entry)", value: rate, unit: "entries/s",
                           limit: BenchLimit(name: "SHA-256 of 72-byte messages", value: shaRate, unit: "hashes/s"), goal: "≥ 200,000 entries/s",
                           met: rate >= 200_000, extra: ["entries": .int(Int64(mapEntries)), "keys": .int(Int64(index.keyCount))])
        // Lookups of random keys (many different ones): value, proof, and its size.
        var times: [Double] = []
        var sizes: [Int] = []
        for _ in 0..<20_000 {
            let key = names[Int.random(in: 0..<mapKeys, using: &rng)]
            let t0 = ContinuousClock.now
            let (entry, proof) = index.lookup(key)
            times.append(BenchLog.secondsStatic(since: t0) * 1e6)
            sizes.append(proof.size + (entry == nil ? 0 : 48))
        }
        times.sort()
        sizes.sort()
        let p50 = times[times.count / 2], p99 = times[times.count * 99 / 100]
        BenchOutput.say("lookup proof for random keys: p50 \(String(format: "%.1f", p50)) µs, p99 \(String(format: "%.1f", p99)) µs (goal p50 ≤ 50 µs); proof size p50 \(sizes[sizes.count / 2]) bytes, max \(sizes.last ?? 0) (goal ≤ 3 KB)")
        BenchOutput.figure("lookup", "index lookup proof (random keys)", value: p50, unit: "µs (p50)", p50: p50, p99: p99, latencyUnit: "µs",
                           goal: "p50 ≤ 50 µs", met: p50 <= 50, extra: ["keys": .int(Int64(index.keyCount)), "entries": .int(Int64(mapEntries))])
        BenchOutput.figure("lookup", "index proof size", value: Double(sizes[sizes.count / 2]), unit: "bytes (p50)",
                           goal: "≤ 3 KB", met: (sizes.last ?? 0) <= 3072, extra: ["max": .int(Int64(sizes.last ?? 0))])
    }
}
