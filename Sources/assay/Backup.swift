import ArgumentParser
import AssayDomain
import AssayStore
import Foundation
import TransparencyLog

/// `assay backup --to FILE`: a consistent copy of the database, taken while the server may be writing.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the database to a new file, consistently, even while the server is writing.",
        discussion: """
            The copy is one SQLite file holding the journal, tiles, checkpoints and projections as of one commit; \
            it is written beside FILE and renamed only once synced. The signing key is not in it: keep the key \
            file elsewhere. Check a backup, or put it back, with `assay restore`.
            """)
    @OptionGroup var options: GlobalOptions
    @Option(name: .customLong("to"), help: "The backup file to create (never overwritten).") var to: String

    func run() async throws {
        let store = try await Context.store(options)
        let summary: BackupSummary
        do { summary = try await store.backup(to: to) } catch let f as BackupFailure { throw InputFailure(message: f.message) }
        if options.json {
            Context.printJSON(.object(["backup": .string(summary.path), "entries": .int(Int64(summary.entries)),
                                       "size": .int(Int64(summary.checkpointSize)), "root": .string(summary.root.hex)]))
        } else {
            print("backed up \(summary.entries) entries to \(summary.path): checkpoint size \(summary.checkpointSize), root \(summary.root.hex)")
        }
    }
}

/// `assay restore FILE [--to DB]`: verify a backup, then put it in place as a database.
struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Verify a backup (every hash, tile, checkpoint signature and projection) and restore it as a database.",
        discussion: """
            The backup is copied beside the target and checked against the log's signing key (--key, default: \
            the --db path + .key); a backup that does not verify is refused and nothing is written. Stop the \
            server before replacing its database with --force. Resume appending only from the newest backup: \
            pass the log's latest published checkpoint with --expect-checkpoint to refuse an older one.
            """)
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The backup file (made by `assay backup`).") var file: String
    @Option(name: .customLong("to"), help: "Where to restore it (default: the --db path).") var to: String?
    @Flag(help: "Replace an existing database at the target.") var force = false
    @Option(name: .customLong("expect-checkpoint"),
            help: "A checkpoint of this log already published (as `assay log checkpoint` prints it): refuse a backup that does not reach it.")
    var expectCheckpoint: String?

    func run() async throws {
        let target = to ?? options.db
        let signer = try Context.signer(options, create: false)
        var published: SignedNote?
        if let expectCheckpoint {
            guard let data = FileManager.default.contents(atPath: expectCheckpoint) else {
                throw InputFailure(message: "--expect-checkpoint \(expectCheckpoint): cannot read the file")
            }
            do { published = try SignedNote(String(decoding: data, as: UTF8.self)) } catch {
                throw InputFailure(message: "--expect-checkpoint \(expectCheckpoint): not a signed checkpoint (\(error.message))")
            }
        }
        let report: VerificationReport
        do {
            report = try await RelationalStore.restore(from: file, to: target, geography: try Context.geography(), signer: signer,
                                                   replacing: force, published: published)
        } catch let f as BackupFailure { throw InputFailure(message: f.message) }
        // Opened with the same signing key file, as a later `assay serve` will open it.
        var restored = options
        restored.db = target
        restored.key = options.keyPath
        let store = try await Context.store(restored)
        let size = store.latestCheckpoint().flatMap { try? Checkpoint(body: $0.text) }?.size ?? 0
        guard size == report.checkpointSize else {
            throw InputFailure(message: "\(target): opened at checkpoint size \(size), but the verified backup holds \(report.checkpointSize); run `assay verify --db \(target)`")
        }
        finish(report, target: target, opened: restored)
    }

    func finish(_ r: VerificationReport, target: String, opened options: GlobalOptions) {
        let keyArgument = options.keyPath == target + ".key" ? "" : " --key \(options.keyPath)"
        if self.options.json {
            Context.printJSON(.object(["restored": .string(target), "entries": .int(Int64(r.entries)), "size": .int(Int64(r.checkpointSize)),
                                       "root": .string(r.root.hex), "key": .string(options.keyPath)]))
        } else {
            print("""
                restored \(file) to \(target): verified, \(r.entries) entries, checkpoint size \(r.checkpointSize), root \(r.root.hex)
                open it with --db \(target)\(keyArgument); append to it only if no checkpoint larger than size \(r.checkpointSize) \
                was ever published (else the log would fork: restore the newest backup)
                """)
        }
    }
}
