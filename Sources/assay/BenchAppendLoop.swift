import ArgumentParser
import AssayDomain
import AssayStore
import Foundation
import TransparencyLog

/// `assay bench append-loop`: appends from concurrent tasks and prints every acknowledged sequence
/// number as it is acknowledged, until stopped. The crash test kills it with SIGKILL at random moments
/// and checks that every acknowledged entry survived.
struct BenchAppendLoop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "append-loop",
        abstract: "Append parties from concurrent tasks, printing `ack <seq>` for each durable acknowledgement (for crash tests).")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Concurrent tasks.") var tasks: Int = 16
    @Option(help: "Appends per task (0: until killed).") var count: Int = 0
    @Flag(help: "Retry an append the storage refused (disk full, lost connection, failover) instead of stopping.") var retry = false

    func run() async throws {
        let store = try await Context.store(options, create: true)
        let run = UUID().uuidString.prefix(8).lowercased()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<tasks {
                group.addTask {
                    var i = 0
                    while count == 0 || i < count {
                        let party = Party(id: "loop-\(run)-\(t)-\(i)", name: "Loop \(t) \(i)", kind: .company, country: nil,
                                          provenance: Provenance(synthetic: true))
                        let receipts: [AppendReceipt]
                        do {
                            receipts = try await store.append([.registerParty(party)], author: "append-loop")
                        } catch let e as StorageFailure where retry {
                            // As a client does on 503: wait and send the same command again (a failover,
                            // a lost connection). Only acknowledged appends are printed.
                            FileHandle.standardError.write(Data("retry: \(e)\n".utf8))
                            try await Task.sleep(for: .milliseconds(100))
                            continue
                        } catch let e as BatchRejected where retry && e.errors.allSatisfy({ $0.error.code == .duplicateID }) {
                            // The refused attempt had in fact committed before its connection was lost: the
                            // party is there, but that append was never acknowledged, so nothing is printed.
                            i += 1
                            continue
                        }
                        if let r = receipts.first {
                            // `ack SEQ`, then the checkpoint that covers it (`cp SIZE ROOT`), for tests that
                            // check no two checkpoints of one size ever had different roots.
                            var line = "ack \(r.sequence)\n"
                            if let note = r.checkpoint, let cp = try? Checkpoint(body: note.text) { line += "cp \(cp.size) \(cp.root.hex)\n" }
                            FileHandle.standardOutput.write(Data(line.utf8))
                        }
                        i += 1
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
