import ArgumentParser
import AssayStore
import Foundation
import TransparencyLog

/// `assay verify`: recompute every hash, check tiles and checkpoints, replay into fresh projections.
struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute every hash from the entries, check tiles and checkpoint signatures, replay the journal and compare the projections.")
    @OptionGroup var options: GlobalOptions
    @Option(name: .customLong("vkey"), help: "The log's verifier key (default: from the signing key).") var vkey: String?

    func run() async throws {
        let store = try await Context.store(options)
        let key: Ed25519NoteVerifier
        do { key = try Ed25519NoteVerifier(verifierKey: vkey ?? store.verifierKey) } catch { throw InputFailure(message: "--vkey: \(error.message)") }
        do {
            let r = try await store.verify(with: key)
            if options.json {
                Context.printJSON(.object(["valid": .bool(true), "entries": .int(Int64(r.entries)), "tiles": .int(Int64(r.tiles)),
                                           "checkpoints": .int(Int64(r.checkpoints)), "root": .string(r.root.hex),
                                           "projectionRows": .int(Int64(r.projectionRows)), "indexRoots": .int(Int64(r.indexRoots))]))
            } else {
                print("valid: \(r.entries) entries hash to the signed root \(r.root.hex) (\(r.checkpoints) checkpoint(s), \(r.tiles) tiles); \(r.projectionRows) projection rows match the replay; \(r.indexRoots) signed index root(s) match the index rebuilt from the journal")
            }
        } catch let f as VerificationFailure {
            throw InputFailure(message: "invalid: \(f.message)")
        }
    }
}

/// `assay proof ID`: an offline proof bundle for the entry that created an entity (or `--seq N`).
struct Proof: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write an offline proof bundle (c2sp.org/tlog-proof) for an entry.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "An entity id (the entry that created it), or a journal sequence number with --seq.") var id: String?
    @Option(help: "A journal sequence number.") var seq: Int64?
    @Option(name: .shortAndLong, help: "Write the bundle to this file instead of stdout.") var output: String?
    @Option(help: "Also write a COSE receipt (RFC 9942, for SCITT verifiers) to this file; needs --entry-out.") var receipt: String?
    @Option(name: .customLong("entry-out"), help: "With --receipt: write the entry's bytes (what the receipt proves) to this file.") var entryOut: String?

    func validate() throws {
        if (id == nil) == (seq == nil) { throw ValidationError("give an entity id or --seq, not both") }
        if (receipt == nil) != (entryOut == nil) { throw ValidationError("--receipt and --entry-out go together: a receipt is checked against the entry's bytes") }
    }

    func run() async throws {
        let store = try await Context.store(options)
        var sequence = seq ?? 0
        if let id {
            guard let record = try await store.find(id) else { throw InputFailure(message: "no entity with id \"\(id)\"") }
            sequence = record.sequence
        }
        let bundle: ProofBundle
        do { bundle = try await store.proofBundle(sequence: sequence) } catch let e as ProofError { throw InputFailure(message: e.message) }
        if let receipt, let entryOut {
            let cose: [UInt8]
            do { cose = try store.receipt(sequence: sequence) } catch let e as ProofError { throw InputFailure(message: e.message) }
            for (path, bytes) in [(receipt, cose), (entryOut, bundle.extra ?? [])] {
                guard FileManager.default.createFile(atPath: path, contents: Data(bytes)) else { throw InputFailure(message: "\(path): cannot write the file") }
            }
            // On stderr, so that the bundle on stdout stays a bundle.
            FileHandle.standardError.write(Data("wrote the COSE receipt of entry \(sequence) to \(receipt) and the entry to \(entryOut); check them with: assay log verify-receipt \(receipt) --entry \(entryOut) --vkey '\(store.verifierKey)'\n".utf8))
        }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(bundle.text.utf8)) else {
                throw InputFailure(message: "\(output): cannot write the file")
            }
            print("wrote the proof of entry \(sequence) to \(output); check it with: assay log verify-proof \(output) --vkey '\(store.verifierKey)'")
        } else {
            print(bundle.text, terminator: "")
        }
    }
}
