import ArgumentParser
import AssayDomain
import AssayStore
import Foundation
import TransparencyLog

/// `assay log …`: the verifiable log, and offline tools that need nothing but their arguments and stdin.
struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "The verifiable log: keys, checkpoints, and offline verification tools (exit 0 valid, 1 not).",
        subcommands: [VKey.self, ShowCheckpoint.self, TreeHashTool.self, VerifyInclusion.self, VerifyConsistency.self,
                      VerifyNote.self, VerifyProof.self, VerifyReceipt.self, VerifyLookup.self, VerifyReport.self, WitnessRequest.self, AddCosignature.self,
                      LogRotateKey.self, LogKeys.self])

    static func readStdin() -> String {
        String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self)
    }

    static func hash(_ text: String, _ name: String) throws -> TreeHash {
        guard let h = TreeHash(hex: text.trimmingCharacters(in: .whitespaces)) else {
            throw InputFailure(message: "\(name): \"\(text)\" is not a SHA-256 hash in hex (64 characters)")
        }
        return h
    }

    /// A proof given as hex hashes, comma-separated: every element must be one hash, so an empty element
    /// (`,`, `a,,b`, a trailing comma) makes the proof invalid rather than shorter.
    static func hashes(_ text: String, _ name: String) throws -> [TreeHash] {
        do { return try ProofHashes.parse(list: text, what: name) } catch { throw InputFailure(message: "invalid: \(error.message)") }
    }

    /// The log's Ed25519 verifier key, given as `--vkey` or read from `--vkey-file` (exactly one of them).
    static func logKey(vkey: String?, file: String?) throws -> Ed25519NoteVerifier {
        var text = vkey ?? ""
        if let file {
            guard let d = FileManager.default.contents(atPath: file) else { throw InputFailure(message: "--vkey-file \(file): cannot read the file") }
            text = String(decoding: d, as: UTF8.self)
        }
        do { return try Ed25519NoteVerifier(verifierKey: text) } catch { throw InputFailure(message: "--vkey: \(error.message)") }
    }

    /// Parses verifier keys, refusing the same key (name and key ID) given twice: ambiguous, as in Go's note library.
    static func verifiers(_ keys: [String], option: String = "--vkey") throws -> [any NoteVerifier] {
        let parsed = try keys.map { k in
            do { return try AnyVerifierKey.parse(k) } catch let e { throw InputFailure(message: "\(option) \(k): \(e)") }
        }
        do { try NoteKeys.checkUnambiguous(parsed) } catch { throw InputFailure(message: "\(option): \(error.message)") }
        return parsed
    }
}

struct VKey: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vkey", abstract: "Print the log's current verifier key (public; share it); --history: every key and from which entry.")
    @OptionGroup var options: GlobalOptions
    @Flag(help: "Every key the log has signed with, from which entry, and each transition's end.") var history = false
    @Option(name: .shortAndLong, help: "Write the current verifier key to this file (for --vkey-file).") var output: String?
    func run() async throws {
        let store = try await Context.store(options)
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data((store.verifierKey + "\n").utf8)) else {
                throw InputFailure(message: "\(output): cannot write the file")
            }
            print("wrote the log's verifier key to \(output)")
            return
        }
        if options.json { Context.printJSON(LogKeys.json(store.keySchedule)); return }
        guard history else { print(store.verifierKey); return }
        let schedule = store.keySchedule
        print("\(schedule.first)  from entry 1")
        for r in schedule.rotations { print("\(r.key)  from entry \(r.sequence) (the key before it also signs until \(r.transitionUntil.iso))") }
    }
}

struct ShowCheckpoint: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkpoint", abstract: "Print the latest signed checkpoint.")
    @OptionGroup var options: GlobalOptions
    func run() async throws {
        let store = try await Context.store(options)
        guard let note = store.latestCheckpoint() else { throw InputFailure(message: "the log is empty: no checkpoint yet") }
        print(note.serialized, terminator: "")
    }
}

struct TreeHashTool: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree-hash",
        abstract: "Read leaf hashes in hex, one a line, on stdin; print the RFC 9162 root hash in hex.",
        discussion: """
        With --data, each line is an entry's bytes in hex, hashed as a leaf (SHA-256(0x00 ‖ entry)) first; \
        a blank line is the empty entry. Lines end with a newline; a final newline ends the last line and \
        adds no entry, so "61\\n\\n62\\n" is the three entries "a", "" and "b", and empty input is the empty tree. \
        White space around a line (a carriage return, say) is ignored. Without --data, every line must be a leaf hash.
        """)
    @Flag(help: "Lines are entries in hex (a blank line: the empty entry), not leaf hashes.") var data = false

    /// The lines of `text`, split at every newline byte (so CRLF too): a final newline ends the last line
    /// rather than starting an empty one, and empty text has no line.
    static func lines(_ text: String) -> [String] {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return [] }
        if bytes.last == UInt8(ascii: "\n") { bytes.removeLast() }
        return bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
    }

    func run() async throws {
        var store = MemoryHashStore()
        for (i, raw) in Self.lines(LogCommand.readStdin()).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            if data {
                guard let bytes = Hex.decode(line) else { throw InputFailure(message: "stdin line \(i + 1): not hex") }
                store.append(MerkleHasher.leaf(bytes))
            } else {
                guard let h = TreeHash(hex: line) else {
                    throw InputFailure(message: "stdin line \(i + 1): \(line.isEmpty ? "empty; " : "")not a 64-character hex leaf hash (entries need --data)")
                }
                store.append(h)
            }
        }
        print(try MerkleTree.rootHash(size: store.size, reader: store).hex)
    }
}

struct VerifyInclusion: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "verify-inclusion", abstract: "Check an RFC 9162 inclusion proof.")
    @Option(name: .customLong("leaf-hash")) var leafHash: String
    @Option(help: "The leaf's index (0 to 2^64-1).") var index: UInt64
    @Option(help: "The tree size (0 to 2^64-1).") var size: UInt64
    @Option var root: String
    @Option(help: "The proof hashes in hex, comma-separated, leaf's sibling first (empty for a one-entry tree); an empty element makes the proof invalid.")
    var proof: String = ""
    func run() async throws {
        let ok = MerkleVerifier.verifyInclusion(leaf: try LogCommand.hash(leafHash, "--leaf-hash"), index: index, size: size,
                                                proof: try LogCommand.hashes(proof, "--proof"), root: try LogCommand.hash(root, "--root"))
        guard ok else { throw InputFailure(message: "invalid: the proof does not lead from leaf \(index) to the root of a tree of size \(size)") }
        print("valid: leaf \(index) is in the tree of size \(size)")
    }
}

struct VerifyConsistency: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-consistency",
        abstract: "Check an RFC 9162 consistency proof.",
        discussion: "From size 0 the proof is empty and root1 must be SHA-256 of nothing; between equal sizes it is empty and the roots equal.")
    @Option(help: "The first tree size (0 to 2^64-1).") var size1: UInt64
    @Option(help: "The second tree size (0 to 2^64-1).") var size2: UInt64
    @Option var root1: String
    @Option var root2: String
    @Option(help: "The proof hashes in hex, comma-separated; an empty element makes the proof invalid.") var proof: String = ""
    func run() async throws {
        let ok = MerkleVerifier.verifyConsistency(size1: size1, size2: size2, root1: try LogCommand.hash(root1, "--root1"),
                                                  root2: try LogCommand.hash(root2, "--root2"), proof: try LogCommand.hashes(proof, "--proof"))
        guard ok else { throw InputFailure(message: "invalid: the tree of size \(size1) is not shown to be a prefix of the tree of size \(size2)") }
        print("valid: the tree of size \(size1) is a prefix of the tree of size \(size2)")
    }
}

struct VerifyNote: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-note",
        abstract: "Check a signed note on stdin against verifier keys.",
        discussion: "Valid when at least one given key's signature is present and valid and none fails; signatures by keys not given are ignored.")
    @Option(name: .customLong("vkey"), help: "A verifier key (repeatable).") var vkeys: [String]
    func validate() throws { if vkeys.isEmpty { throw ValidationError("give at least one --vkey") } }
    func run() async throws {
        let verifiers = try LogCommand.verifiers(vkeys)
        let note: SignedNote
        do { note = try SignedNote(LogCommand.readStdin()) } catch { throw InputFailure(message: "invalid: \(error.message)") }
        do {
            let names = try note.verify(with: verifiers)
            print("valid: signed by \(names.joined(separator: ", "))")
        } catch { throw InputFailure(message: "invalid: \(error.message)") }
    }
}

struct VerifyProof: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-proof",
        abstract: "Check an offline proof bundle (c2sp.org/tlog-proof) without the database.")
    @Argument(help: "The bundle file (- for stdin).") var bundle: String
    @Option(name: .customLong("vkey"), help: "The log's verifier key.") var vkey: String
    @Option(name: .customLong("witness-vkey"), help: "A witness's verifier key (repeatable); its cosignature must then verify.") var witnesses: [String] = []
    func run() async throws {
        let text: String
        if bundle == "-" { text = LogCommand.readStdin() } else {
            guard let d = FileManager.default.contents(atPath: bundle) else { throw InputFailure(message: "\(bundle): cannot read the file") }
            text = String(decoding: d, as: UTF8.self)
        }
        let parsed: ProofBundle
        do { parsed = try ProofBundle(text: text) } catch { throw InputFailure(message: "invalid: \(error.message)") }
        let logKey: any NoteVerifier
        do { logKey = try Ed25519NoteVerifier(verifierKey: vkey) } catch { throw InputFailure(message: "--vkey: \(error.message)") }
        let ws = try LogCommand.verifiers(witnesses, option: "--witness-vkey")
        do {
            let (cp, names) = try parsed.verify(logKey: logKey, witnesses: ws)
            for w in ws where !names.contains(w.name) { throw InputFailure(message: "invalid: no cosignature by \(w.name)") }
            var what = "entry at index \(parsed.index)"
            if let extra = parsed.extra, let entry = try? JournalEntry(bytes: extra) {
                what = "journal entry \(entry.sequence) (\(entry.command.kind.rawValue) \(entry.command.subjectID), \(entry.time.iso))"
            }
            print("valid: \(what) is in \(cp.origin) at size \(cp.size), signed by \(names.joined(separator: ", "))")
        } catch let e as InputFailure { throw e } catch { throw InputFailure(message: "invalid: \(error)") }
    }
}

struct VerifyReceipt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-receipt",
        abstract: "Check a COSE receipt (RFC 9942, RFC9162_SHA256) for an entry's bytes, without the database.")
    @Argument(help: "The receipt file (application/cose).") var receipt: String
    @Option(help: "The entry's bytes, as `assay proof --entry-out` or GET /api/v1/log/entry/{n} gives them.") var entry: String
    @Option(name: .customLong("vkey"), help: "The log's verifier key.") var vkey: String?
    @Option(name: .customLong("vkey-file"), help: "A file holding the log's verifier key (as `assay log vkey -o` writes it).") var vkeyFile: String?

    func validate() throws {
        if (vkey == nil) == (vkeyFile == nil) { throw ValidationError("give the log's verifier key with --vkey or --vkey-file (one of them)") }
    }

    func run() async throws {
        guard let r = FileManager.default.contents(atPath: receipt) else { throw InputFailure(message: "\(receipt): cannot read the file") }
        guard let e = FileManager.default.contents(atPath: entry) else { throw InputFailure(message: "--entry \(entry): cannot read the file") }
        let key = try LogCommand.logKey(vkey: vkey, file: vkeyFile)
        let proven: COSEReceipt.Proven
        do { proven = try COSEReceipt.verify(Array(r), entry: Array(e), key: key) } catch { throw InputFailure(message: "invalid: \(error.message)") }
        var what = "the entry at index \(proven.index)"
        if let parsed = try? JournalEntry(bytes: Array(e)) {
            what = "journal entry \(parsed.sequence) (\(parsed.command.kind.rawValue) \(parsed.command.subjectID), \(parsed.time.iso))"
        }
        print("valid: \(what) is in \(proven.issuer ?? key.name) at size \(proven.size), root \(proven.root.hex), receipt signed by \(key.name)")
    }
}

struct WitnessRequest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "witness-request",
        abstract: "Print a C2SP add-checkpoint request for the latest checkpoint, from the size a witness last saw.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "The size the witness last cosigned (0 for a new witness).") var old: UInt64 = 0
    func run() async throws {
        let store = try await Context.store(options)
        guard let note = store.latestCheckpoint() else { throw InputFailure(message: "the log is empty: no checkpoint yet") }
        let cp = try Checkpoint(body: note.text)
        guard let old = Int(exactly: old), old <= cp.size else { throw InputFailure(message: "--old \(old) is beyond the latest checkpoint (\(cp.size))") }
        print(Witness.request(oldSize: old, proof: try store.consistencyProof(from: old, to: cp.size), note: note), terminator: "")
    }
}

struct AddCosignature: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add-cosignature",
        abstract: "Store a witness's cosignature lines (stdin) with the checkpoint they sign, after checking them.")
    @OptionGroup var options: GlobalOptions
    @Option(name: .customLong("witness-vkey")) var witnessKey: String
    @Option(help: "The checkpoint size cosigned (default: the latest).") var size: UInt64?
    func run() async throws {
        let store = try await Context.store(options)
        let verifier: CosignatureVerifier
        do { verifier = try CosignatureVerifier(verifierKey: witnessKey) } catch { throw InputFailure(message: "--witness-vkey: \(error.message)") }
        let n: Int
        if let size {
            guard let exact = Int(exactly: size) else { throw InputFailure(message: "--size \(size): no checkpoint at size \(size)") }
            n = exact
        } else {
            n = try Checkpoint(body: store.latestCheckpoint()?.text ?? "").size
        }
        let lines = LogCommand.readStdin()
        let sigs: [NoteSignature]
        do { sigs = try SignedNote("x\n\n" + lines).signatures } catch { throw InputFailure(message: "stdin: \(error.message)") }
        for sig in sigs {
            do { try await store.addCosignature(size: n, signature: sig, verifier: verifier) } catch { throw InputFailure(message: "\(error)") }
        }
        print("stored \(sigs.count) cosignature(s) for checkpoint \(n)")
    }
}
