import AssayDomain
import Foundation
import GRDB
import TransparencyLog

/// What a backup holds: how many journal entries, and the signed checkpoint covering them.
public struct BackupSummary: Sendable {
    /// The backup file.
    public var path: String
    /// Journal entries copied (the journal's size in the copy).
    public var entries: Int
    /// The size of the latest checkpoint in the copy (equal to `entries`: entries and checkpoint commit together).
    public var checkpointSize: Int
    /// The root hash that checkpoint signs (the empty tree's hash for an empty log).
    public var root: TreeHash
    /// The latest signed checkpoint in the copy; `nil` for an empty log.
    public var checkpoint: SignedNote?
}

/// A backup or restore that was refused or failed; the message names the file and what to do.
public struct BackupFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension RelationalStore {
    /// Copies the database to `path` with SQLite's online backup API, from one read transaction: the copy
    /// is the state after some commit, even while appends go on. The copy is written to a temporary file
    /// beside `path`, switched out of WAL mode (one self-contained file), synced, and only then given its
    /// name, so a crash never leaves a half backup under that name.
    ///
    /// The signing key is not in the copy: it lives in its own file (see the README's "Backups").
    /// - Throws: ``BackupFailure`` when `path` already exists, or the copy cannot be written.
    public func backup(to path: String) async throws -> BackupSummary {
        guard let pool = sqlite?.pool else {
            throw BackupFailure("this registry is on PostgreSQL: back it up with PostgreSQL's own tools (pg_basebackup, or Patroni's), or copy it to a SQLite file with `assay migrate`")
        }
        return try await RelationalStore.offCooperativePool {
            try RelationalStore.copyAtomically(to: path, what: "backup") { tmp in
                let queue = try DatabaseQueue(path: tmp)
                try pool.backup(to: queue)
                try queue.close()
                try RelationalStore.leaveWALMode(tmp)
                let summary = try RelationalStore.summary(ofBackupAt: tmp)
                return BackupSummary(path: path, entries: summary.entries, checkpointSize: summary.checkpointSize,
                                     root: summary.root, checkpoint: summary.checkpoint)
            }
        }
    }

    /// Checks a backup file without changing it: opened read-only, every leaf hash is recomputed from its
    /// journal, every tile and every checkpoint (signature by `verifier`, root) is checked, the latest
    /// checkpoint must cover the whole journal, and the journal is replayed and compared with the stored
    /// projections (``verify(with:)``).
    /// - Throws: ``BackupFailure`` naming the file and the first entry, tile, checkpoint or row that differs.
    public static func verifyBackup(at path: String, geography: Geography, verifier: any NoteVerifier) async throws -> VerificationReport {
        try await offCooperativePool { try verifyBackupNow(at: path, geography: geography, verifier: verifier) }
    }

    /// Puts a backup in place as the database at `target`, after checking it. The backup is first copied
    /// beside `target` (upgraded to this version's schema if it is older), the copy is verified like
    /// ``verifyBackup(at:geography:verifier:)`` against `signer`'s verifier key, and only a copy that
    /// verifies is renamed to `target`. Stop any server using `target` before replacing it.
    /// - Parameters:
    ///   - replacing: replace an existing database at `target` (its `-wal` and `-shm` files are removed too).
    ///   - published: a checkpoint of this log already published (to witnesses, auditors): the backup must
    ///     reach its size and hold the same entries up to it, or restoring and appending would fork the log.
    /// - Returns: what the restored database holds.
    /// - Throws: ``BackupFailure`` naming what was refused and why; nothing is changed at `target` then.
    public static func restore(from backup: String, to target: String, geography: Geography, signer: Ed25519NoteSigner,
                               replacing: Bool = false, published: SignedNote? = nil) async throws -> VerificationReport {
        try await offCooperativePool {
            guard FileManager.default.fileExists(atPath: backup) else { throw BackupFailure("\(backup): no such backup file") }
            if !replacing, FileManager.default.fileExists(atPath: target) {
                throw BackupFailure("\(target): a database is already there; restore to another path, or replace it with --force (stop the server first)")
            }
            let verifier: Ed25519NoteVerifier
            do { verifier = try Ed25519NoteVerifier(verifierKey: signer.verifierKey) } catch {
                throw BackupFailure("the signing key has no usable verifier key: \(error)")
            }
            let expected = try published.map { try publishedCheckpoint($0, verifier: verifier) }
            return try copyAtomically(to: target, what: "restore", replacing: replacing) { tmp in
                do { try FileManager.default.copyItem(atPath: backup, toPath: tmp) } catch {
                    throw BackupFailure("\(backup): cannot copy it beside \(target): \(error.localizedDescription)")
                }
                try syncFile(tmp)
                // An older Assay's backup gets this version's tables before it is checked (the journal is untouched).
                do {
                    let queue = try DatabaseQueue(path: tmp)
                    defer { try? queue.close() }
                    let origin = try queue.read { db -> String? in
                        guard try db.tableExists("meta") else { return nil }
                        return try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'origin'")
                    }
                    guard let origin else { throw BackupFailure("\(backup): not an Assay backup (it has no log origin)") }
                    guard origin == signer.name else {
                        throw BackupFailure("\(backup): a backup of the log \(origin), but the signing key is for \(signer.name); pass that log's key with --key")
                    }
                    if try queue.read({ try !SQLiteSchema.migrator.hasCompletedMigrations($0) }) {
                        try SQLiteSchema.migrator.migrate(queue)
                    }
                    try queue.close()
                    try leaveWALMode(tmp)
                } catch let f as BackupFailure { throw f } catch {
                    throw BackupFailure("\(backup): not an Assay backup (\(error))")
                }
                let report = try verifyBackupNow(at: tmp, geography: geography, verifier: verifier, named: backup)
                if let expected { try checkReaches(expected, backup: backup, copy: tmp, report: report) }
                return report
            }
        }
    }

    // MARK: - Helpers

    /// Runs blocking SQLite and file work on a dispatch queue, keeping Swift's cooperative threads free.
    static func offCooperativePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global(qos: .utility).async { continuation.resume(with: Result { try work() }) }
        }
    }

    static func verifyBackupNow(at path: String, geography: Geography, verifier: any NoteVerifier,
                                named name: String? = nil) throws -> VerificationReport {
        let name = name ?? path
        guard FileManager.default.fileExists(atPath: path) else { throw BackupFailure("\(name): no such backup file") }
        let queue: DatabaseQueue
        do { queue = try DatabaseQueue(path: path, configuration: readOnly) } catch {
            throw BackupFailure("\(name): cannot open it as an SQLite database: \(error)")
        }
        defer { try? queue.close() }
        do {
            return try queue.read { db in
                guard try db.tableExists("journal"), try db.tableExists("log_checkpoint") else {
                    throw BackupFailure("\(name): not an Assay backup (no journal or checkpoints)")
                }
                guard try SQLiteSchema.migrator.hasCompletedMigrations(db) else {
                    throw BackupFailure("\(name): made by an older Assay; `assay restore` upgrades a copy and verifies that")
                }
                return try verify(GRDBConnection(db: db), geography: geography, verifier: verifier)
            }
        } catch let f as BackupFailure { throw f } catch let f as VerificationFailure {
            throw BackupFailure("\(name) does not verify, refused: \(f.message)")
        } catch {
            throw BackupFailure("\(name): cannot read it: \(error)")
        }
    }

    static var readOnly: Configuration {
        var config = Configuration()
        config.readonly = true
        return config
    }

    /// What a backup file holds, read without checking it.
    static func summary(ofBackupAt path: String) throws -> (entries: Int, checkpointSize: Int, root: TreeHash, checkpoint: SignedNote?) {
        let queue = try DatabaseQueue(path: path, configuration: readOnly)
        defer { try? queue.close() }
        return try queue.read { db in
            let entries = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM journal") ?? 0
            guard let row = try Row.fetchOne(db, sql: "SELECT size, note FROM log_checkpoint ORDER BY size DESC LIMIT 1") else {
                return (entries, 0, MerkleHasher.empty, nil)
            }
            let note = try SignedNote(row["note"] as String)
            return (entries, row["size"], try Checkpoint(body: note.text).root, note)
        }
    }

    /// A published checkpoint handed to restore: it must be this log's, signed by its key.
    static func publishedCheckpoint(_ note: SignedNote, verifier: any NoteVerifier) throws -> Checkpoint {
        do { _ = try note.verify(with: [verifier]) } catch {
            throw BackupFailure("the expected checkpoint is not signed by this log's key (\(verifier.name)): \(error.message)")
        }
        do { return try Checkpoint(body: note.text) } catch {
            throw BackupFailure("the expected checkpoint is not a checkpoint: \(error.message)")
        }
    }

    /// Refuses a backup that does not reach a published checkpoint, or that holds other entries up to it.
    static func checkReaches(_ published: Checkpoint, backup: String, copy: String, report: VerificationReport) throws {
        guard published.size <= report.checkpointSize else {
            throw BackupFailure("""
                \(backup) holds \(report.checkpointSize) entries, but the log already published a checkpoint at size \(published.size): \
                restoring it and appending would sign other entries at published sizes (a fork); restore a newer backup
                """)
        }
        let queue = try DatabaseQueue(path: copy, configuration: readOnly)
        defer { try? queue.close() }
        let root = try queue.read { db in
            var hashes = MemoryHashStore()
            for h in try SQLTileStorage.leafHashes(GRDBConnection(db: db)).prefix(published.size) { hashes.append(h) }
            return try MerkleTree.rootHash(size: published.size, reader: hashes)
        }
        guard root == published.root else {
            throw BackupFailure("""
                \(backup): its first \(published.size) entries hash to \(root.hex), but the published checkpoint at that size \
                signs \(published.root.hex): the backup is not a copy of the published log
                """)
        }
    }

    /// Makes `path` with `make(tmp)`, which writes a temporary file beside it; the temporary file is
    /// synced, then linked to `path` (never replacing a file unless `replacing`), and the directory synced.
    /// On any failure the temporary file is removed and `path` is untouched.
    static func copyAtomically<T>(to path: String, what: String, replacing: Bool = false, _ make: (String) throws -> T) throws -> T {
        let fm = FileManager.default
        if !replacing, fm.fileExists(atPath: path) {
            throw BackupFailure("\(path): a file is already there; \(what) never overwrites one: choose a new name")
        }
        let url = URL(fileURLWithPath: path)
        let dir = url.deletingLastPathComponent().path
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: dir, isDirectory: &isDir), isDir.boolValue else {
            throw BackupFailure("\(path): the folder \(dir) does not exist")
        }
        let tmp = dir + "/." + url.lastPathComponent + ".partial-" + UUID().uuidString
        func cleanUp() { for s in ["", "-journal", "-wal", "-shm"] { try? fm.removeItem(atPath: tmp + s) } }
        do {
            let result = try make(tmp)
            try syncFile(tmp)
            if replacing {
                // A stale WAL beside the new file would be replayed into it.
                for s in ["-wal", "-shm"] where fm.fileExists(atPath: path + s) {
                    do { try fm.removeItem(atPath: path + s) } catch {
                        throw BackupFailure("\(path)\(s): cannot remove it before replacing the database: \(error.localizedDescription)")
                    }
                }
                guard rename(tmp, path) == 0 else { throw BackupFailure("\(path): cannot rename the \(what) into place: \(errnoText())") }
            } else if link(tmp, path) == 0 {
                // link() fails rather than replace a file that appeared meanwhile.
                unlink(tmp)
            } else if errno == EEXIST {
                throw BackupFailure("\(path): a file appeared there during the \(what); it was not overwritten: choose a new name")
            } else {
                // A file system without hard links: rename, having checked just before.
                guard !fm.fileExists(atPath: path) else { throw BackupFailure("\(path): a file appeared there during the \(what); choose a new name") }
                guard rename(tmp, path) == 0 else { throw BackupFailure("\(path): cannot rename the \(what) into place: \(errnoText())") }
            }
            try syncFile(dir)
            cleanUp()
            return result
        } catch let f as BackupFailure {
            cleanUp()
            throw f
        } catch {
            cleanUp()
            throw BackupFailure("\(path): the \(what) failed, nothing was written there: \(error)")
        }
    }

    /// A copy taken from a WAL database says "WAL" in its header; this makes it an ordinary single file.
    static func leaveWALMode(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        try queue.writeWithoutTransaction { db in
            let mode = try String.fetchOne(db, sql: "PRAGMA journal_mode = DELETE")
            guard mode?.lowercased() == "delete" else {
                throw BackupFailure("\(path): the copy stays in \(mode ?? "unknown") journal mode")
            }
        }
        try queue.close()
    }

    /// fsync(2) on a file or folder.
    static func syncFile(_ path: String) throws {
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { throw BackupFailure("\(path): cannot open it to sync it to disk: \(errnoText())") }
        defer { Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw BackupFailure("\(path): cannot sync it to disk: \(errnoText())") }
    }

    static func errnoText() -> String { String(cString: strerror(errno)) }
}
