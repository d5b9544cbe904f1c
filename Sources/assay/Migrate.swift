import ArgumentParser
import AssayStore
import Foundation
import TransparencyLog

/// `assay migrate --from A --to B`: copies a registry between backends (SQLite file ↔ PostgreSQL) and
/// proves the copy: the same latest checkpoint and root, the same projections row for row, and
/// `verify` passing on the target.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a registry to another database (SQLite file or postgres:// URL) and prove the copy.")
    @Option(help: "The registry to copy: a SQLite file or a postgres:// URL.") var from: String
    @Option(help: "An empty database to copy into: a new SQLite file or an empty PostgreSQL database.") var to: String
    @Option(help: "The log's signing key file (default: beside a SQLite --from, else ./assay.key).") var key: String?
    @Flag(help: "Print JSON for programs instead of text.") var json = false

    func run() async throws {
        guard from != to else { throw InputFailure(message: "--to: it is the same database as --from") }
        if !PostgresURL.isPostgres(to), FileManager.default.fileExists(atPath: to) {
            throw InputFailure(message: "--to: \(to) already exists; migrate into a new file")
        }
        var source = try GlobalOptions.parse(["--db", from])
        source.key = key
        var target = try GlobalOptions.parse(["--db", to])
        target.key = source.keyPath
        let src = try await Context.store(source)
        guard FileManager.default.fileExists(atPath: source.keyPath) else { throw InputFailure(message: "--key: \(source.keyPath) does not exist") }
        let dst = try await Context.store(target, create: true)
        let summary: MigrationSummary
        do { summary = try await dst.copy(from: src) } catch let f as VerificationFailure {
            throw InputFailure(message: "--to: \(f.message)")
        }
        await dst.close()
        // The proof: reopen the copy (its log loaded from its own tiles), then compare and verify.
        let copy = try await Context.store(target)
        guard let want = src.latestCheckpoint(), let got = copy.latestCheckpoint(), want == got else {
            throw InputFailure(message: "the copy's latest checkpoint differs from the source's")
        }
        let checkpoint = try Checkpoint(body: got.text)
        let sourceRows = try await src.projectionSnapshot(), copyRows = try await copy.projectionSnapshot()
        for table in sourceRows.keys.sorted() where sourceRows[table] != copyRows[table] {
            throw InputFailure(message: "the copy's projection \(table) differs from the source's")
        }
        let report: VerificationReport
        do { report = try await copy.verify(with: try Ed25519NoteVerifier(verifierKey: src.verifierKey)) } catch let f as VerificationFailure {
            throw InputFailure(message: "the copy does not verify: \(f.message)")
        }
        let projectionRows = copyRows.values.reduce(0) { $0 + $1.count }
        if json {
            Context.printJSON(.object(["entries": .int(Int64(report.entries)), "root": .string(checkpoint.root.hex),
                                       "checkpointSize": .int(Int64(checkpoint.size)), "projectionRows": .int(Int64(projectionRows)),
                                       "verified": .bool(true)]))
        } else {
            print("copied \(summary.rows["journal"] ?? 0) entries to \(PostgresURL.redacted(to)): checkpoint \(checkpoint.size) root \(checkpoint.root.hex) is the source's; \(projectionRows) projection rows match it; verify passes")
        }
        await src.close()
        await copy.close()
    }
}
