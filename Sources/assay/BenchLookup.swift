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
    @Option(help: "Where the temporary database goes.") var directory: String = NSTemporaryDirectory()
    @OptionGroup var output: BenchOptions

    func run() async throws {
        BenchOutput.configure(output)
        #if DEBUG
        BenchOutput.say("warning: this is a debug build; figures are for `swift run -c release assay bench lookup`")
        #endif
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
}
