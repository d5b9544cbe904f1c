import ArgumentParser
import AssayDomain
import AssayStore
import Foundation
import TransparencyLog

/// `assay log rotate-key`: moves the log to a new checkpoint key without breaking verifiers.
struct LogRotateKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rotate-key",
        abstract: "Move the log to a new signing key: the change is a journal entry signed under the old key; both keys sign during the transition.",
        discussion: """
        Makes a new Ed25519 key with the log's name, adds its private half as a new line of the key file (--key; \
        written to a new file and renamed, mode 0600), then appends a rotate-log-key entry naming the new verifier \
        key. The first checkpoint covering that entry is signed by both keys; until the transition ends, every \
        checkpoint is; after it, only the new key signs. Run it while the server is stopped (the server reads the \
        key file when it starts), then restart the server. Prints the new verifier key.
        """)
    @OptionGroup var options: GlobalOptions
    @Option(name: .customLong("transition-days"), help: "How long both keys sign (1–3650 days).") var transitionDays: Int = 30

    func validate() throws {
        guard (1...3650).contains(transitionDays) else { throw ValidationError("--transition-days must be 1–3650") }
    }

    func run() async throws {
        let store = try await Context.store(options)
        let newSigner: Ed25519NoteSigner
        do { newSigner = try Ed25519NoteSigner(name: store.origin) } catch { throw InputFailure(message: "cannot make a key: \(error.message)") }
        // The private half is on disk before the log names it: the log never names a key it cannot use.
        try Context.appendSigner(newSigner, to: options.keyPath)
        let until = Timestamp(milliseconds: RelationalStore.systemClock().milliseconds + Int64(transitionDays) * 86_400_000)
        let receipt: AppendReceipt
        do { receipt = try await store.rotateLogKey(to: newSigner, transitionUntil: until) } catch let r as BatchRejected {
            throw InputFailure(message: r.errors.map { "\($0.error.field): \($0.error.message)" }.joined(separator: "\n"))
        }
        if options.json {
            Context.printJSON(.object(["vkey": .string(newSigner.verifierKey), "entry": .int(receipt.sequence),
                                       "transitionUntil": .string(until.iso)]))
        } else {
            print(newSigner.verifierKey)
            FileHandle.standardError.write(Data("entry \(receipt.sequence) names the new key; both keys sign until \(until.iso); restart the server to use it\n".utf8))
        }
    }
}

/// `assay log keys`: every key the log has signed with, from which entry, and the transitions.
struct LogKeys: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "keys", abstract: "The log's verifier keys through time (the current one last).")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let schedule = try await Context.store(options).keySchedule
        if options.json {
            Context.printJSON(LogKeys.json(schedule))
            return
        }
        var t = TextTable("verifier key", "from entry", "old key also signs until")
        t.add(schedule.first, "1", "")
        for r in schedule.rotations { t.add(r.key, String(r.sequence), r.transitionUntil.iso) }
        print(t.render())
    }

    static func json(_ schedule: LogKeySchedule) -> JSONValue {
        .object(["current": .string(schedule.current),
                 "history": .array([.object(["vkey": .string(schedule.first), "fromEntry": .int(1)])]
                    + schedule.rotations.map { .object(["vkey": .string($0.key), "fromEntry": .int($0.sequence),
                                                        "previousSignsUntil": .string($0.transitionUntil.iso)]) })])
    }
}
