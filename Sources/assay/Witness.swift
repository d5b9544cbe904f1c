import ArgumentParser
import Foundation
import TransparencyLog

/// `assay witness …`: a witness that cosigns a log's checkpoints when they only grow.
struct WitnessCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness",
        abstract: "Witness a log: keep its last checkpoint, check newer ones with a consistency proof, cosign them.",
        subcommands: [WitnessInit.self, WitnessAdd.self, WitnessFollow.self])
}

struct WitnessInit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "init", abstract: "Create a witness key (mode 0600) and print its verifier key.")
    @Option(help: "The witness's name.") var name: String
    @Option(help: "The witness key file.") var key: String
    func run() async throws {
        let signer: CosignatureSigner
        do { signer = try CosignatureSigner(name: name) } catch { throw InputFailure(message: "--name: \(error.message)") }
        let fd = open(key, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw InputFailure(message: "\(key): cannot create (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        let bytes = Array((signer.privateKeyString + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else { throw InputFailure(message: "\(key): cannot write") }
        print(signer.verifierKey)
    }
}

struct WitnessAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-checkpoint",
        abstract: "Read a C2SP add-checkpoint request on stdin; if the checkpoint grows consistently from the last one seen, cosign it.",
        discussion: "Prints the cosignature line and remembers the checkpoint in --state. Exit 1 when refused: a conflict (the witness has seen another size: it says which) or an inconsistent tree.")
    @Option(name: .customLong("log-vkey"), help: "The log's verifier key.") var logKey: String
    @Option(help: "The witness key file.") var key: String
    @Option(help: "Where the witness keeps the last checkpoint it cosigned for this log.") var state: String
    @Option(help: "The cosignature time, seconds since 1970 (default: now).") var time: UInt64?

    static func signer(_ text: String) throws -> CosignatureSigner {
        do { return try CosignatureSigner(privateKey: text) } catch { throw InputFailure(message: "--key: \(error.message)") }
    }

    static func logKey(_ text: String) throws -> Ed25519NoteVerifier {
        do { return try Ed25519NoteVerifier(verifierKey: text) } catch { throw InputFailure(message: "--log-vkey: \(error.message)") }
    }

    func run() async throws {
        guard let keyData = FileManager.default.contents(atPath: key) else { throw InputFailure(message: "\(key): cannot read the witness key") }
        let witness = Witness(signer: try Self.signer(String(decoding: keyData, as: UTF8.self)))
        let log = try Self.logKey(logKey)
        var previous: Checkpoint?
        if let d = FileManager.default.contents(atPath: state) {
            do { previous = try Checkpoint(body: String(decoding: d, as: UTF8.self)) } catch { throw InputFailure(message: "\(state): \(error.message)") }
        }
        let request: (oldSize: Int, proof: [TreeHash], note: SignedNote)
        do { request = try Witness.parseRequest(LogCommand.readStdin()) } catch { throw InputFailure(message: "stdin: \(error.message)") }
        let now = time ?? UInt64(Date().timeIntervalSince1970)
        do {
            let (cp, sig) = try witness.addCheckpoint(previous: previous, oldSize: request.oldSize, proof: request.proof, note: request.note,
                                                      logKey: log, timestamp: now)
            // Remember the new checkpoint before answering, atomically (write a new file, then rename).
            let tmp = state + ".tmp"
            guard FileManager.default.createFile(atPath: tmp, contents: Data(cp.body.utf8)), rename(tmp, state) == 0 else {
                throw InputFailure(message: "\(state): cannot save the witness state")
            }
            print(sig.line, terminator: "")
        } catch let r as Witness.Refusal {
            throw InputFailure(message: "refused: \(r)")
        }
    }
}
