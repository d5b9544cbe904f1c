import Foundation
import Testing

/// Kills the binary with SIGKILL in the middle of concurrent appends, many times, and checks after each
/// restart that the log verifies and holds every entry that had been acknowledged.
@Suite("Crash safety", .serialized)
struct CrashTests {
    let cli = CLITests.sqliteOnly()

    @Test func sigkillMidLoadLosesNoAcknowledgedEntry() throws {
        var maxAcked: Int64 = 0
        for round in 0..<10 {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: CLITests.binary)
            p.arguments = ["bench", "append-loop", "--db", "crash.sqlite", "--tasks", "16"]
            p.currentDirectoryURL = URL(fileURLWithPath: cli.dir)
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            // Let it run a varying while (after at least one acknowledgement), then kill it without warning.
            var acks = Data()
            let deadline = Date().addingTimeInterval(10)
            while !String(decoding: acks, as: UTF8.self).contains("ack"), Date() < deadline {
                acks.append(out.fileHandleForReading.availableData)
            }
            usleep(UInt32(50_000 + (round * 37_000) % 300_000))
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
            acks.append(out.fileHandleForReading.readDataToEndOfFile())
            let acked = String(decoding: acks, as: UTF8.self).split(separator: "\n")
                .compactMap { $0.hasPrefix("ack ") ? Int64($0.dropFirst(4)) : nil }
            #expect(!acked.isEmpty, "round \(round): nothing was acknowledged")
            maxAcked = max(maxAcked, acked.max() ?? 0)

            let verify = try cli.run(["verify", "--db", "crash.sqlite", "--json"])
            #expect(verify.status == 0, "round \(round): \(verify.err)")
            let report = try cli.json(verify.out)
            let entries = Int64(report["entries"] as? Int ?? 0)
            #expect(entries >= maxAcked, "round \(round): \(entries) entries, but \(maxAcked) were acknowledged")
        }
        #expect(maxAcked > 50)
    }
}
