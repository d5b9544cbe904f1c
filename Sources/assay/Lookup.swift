import ArgumentParser
import AssayDomain
import AssayStore
import Foundation
import TransparencyLog

/// `assay lookup KIND ID`: a verifiable lookup from the database (as `GET /api/v1/lookup/{kind}/{id}` gives it).
struct Lookup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Every entry about a lot, title, agreement, party or site, with the proof that no other exists at the checkpoint (check it with `assay log verify-lookup`).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "lot, title, agreement, party or site.") var kind: String
    @Argument(help: "Its id.") var id: String
    @Option(name: .shortAndLong, help: "Write the proof to this file instead of stdout.") var output: String?

    func validate() throws {
        guard VerifiableIndex.kinds.contains(kind) else { throw ValidationError("KIND: one of \(VerifiableIndex.kinds.joined(separator: ", "))") }
    }

    func run() async throws {
        let store = try await Context.store(options)
        let proof = try await store.lookup(kind: kind, id: id)
        let text = CanonicalJSON.string(proof.json) + "\n"
        guard let output else { print(text, terminator: ""); return }
        guard FileManager.default.createFile(atPath: output, contents: Data(text.utf8)) else { throw InputFailure(message: "\(output): cannot write the file") }
        print("wrote the lookup of \(kind):\(id) (\(proof.indexes.count) entries, checkpoint size \(proof.size)) to \(output)")
    }
}

/// `assay log verify-lookup FILE --vkey V`: checks a lookup proof offline.
struct VerifyLookup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-lookup", abstract: "Check a lookup proof offline: the entries it lists are all the log holds about the key at its checkpoint, the latest is in the log.")
    @Argument(help: "The proof file (- for stdin).") var file: String
    @Option(name: .customLong("vkey"), help: "The log's verifier key.") var vkey: String?
    @Option(name: .customLong("vkey-file"), help: "A file holding the log's verifier key.") var vkeyFile: String?

    func validate() throws {
        if (vkey == nil) == (vkeyFile == nil) { throw ValidationError("give the log's verifier key with --vkey or --vkey-file (one of them)") }
    }

    func run() async throws {
        let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
        guard let data else { throw InputFailure(message: "\(file): cannot read the file") }
        let key = try LogCommand.logKey(vkey: vkey, file: vkeyFile)
        let verified: LookupProof.Verified
        do {
            let json = try JSONParser.parse(Array(data))
            verified = try LookupProof(json: json).verify(with: key)
        } catch let e as LogFormatError { throw InputFailure(message: e.message.hasPrefix("invalid") ? e.message : "invalid: \(e.message)") } catch {
            throw InputFailure(message: "invalid: \(error)")
        }
        guard let latest = verified.latest, let last = verified.indexes.last else {
            print("valid: no entry is about \(verified.key) in the log at size \(verified.size)")
            return
        }
        var what = "log index \(last)"
        if let e = try? JournalEntry(bytes: latest) { what = "entry \(e.sequence) (\(e.command.kind.rawValue), \(e.time.iso))" }
        print("valid: \(verified.indexes.count) entries are about \(verified.key) in the log at size \(verified.size); the latest is \(what), and no later one exists")
    }
}
