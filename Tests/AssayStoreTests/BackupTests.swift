import AssayDomain
import AssayIngest
import AssayStore
import Foundation
import GRDB
import Testing
import TransparencyLog

@Suite("Backups that prove themselves", .serialized)
struct BackupTests {
    var verifier: Ed25519NoteVerifier { get throws { try Ed25519NoteVerifier(verifierKey: Fixtures.signer.verifierKey) } }

    /// A fresh folder for one test's files.
    let dir: String = {
        let d = NSTemporaryDirectory() + "assay-backup-\(UUID().uuidString)"
        try? FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        return d
    }()

    func cleanUp() { try? FileManager.default.removeItem(atPath: dir) }

    static func party(_ id: String) throws -> Command {
        try Command(jsonText: #"{"type":"register-party","id":"\#(id)","name":"Party \#(id)","kind":"company"}"#)
    }

    /// The demo set in a store, backed up into this test's folder.
    func demoBackup() async throws -> (store: RelationalStore, path: String, backup: String, summary: BackupSummary) {
        let (store, path) = try Fixtures.sqliteStore()
        _ = try await store.append(try DemoSet.commands(), author: "demo")
        let backup = dir + "/demo.backup"
        return (store, path, backup, try await store.backup(to: backup))
    }

    /// Files left in the folder that are not `expected` (a partial copy, a stray WAL).
    func strayFiles(besides expected: Set<String>) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir).filter { !expected.contains($0) }
    }

    /// Restores `file` into a new path and expects a refusal whose message contains `fragment`; nothing may be left behind.
    func expectRefused(_ file: String, _ fragment: String, signer: Ed25519NoteSigner = Fixtures.signer, published: SignedNote? = nil,
                       sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let target = dir + "/refused-\(UUID().uuidString).sqlite"
        let before = Set(try FileManager.default.contentsOfDirectory(atPath: dir))
        do {
            _ = try await RelationalStore.restore(from: file, to: target, geography: Fixtures.geography, signer: signer, published: published)
            Issue.record("restore accepted \(file); expected a refusal with \(fragment)", sourceLocation: sourceLocation)
        } catch let f as BackupFailure {
            #expect(f.message.contains(fragment), "\(f.message)", sourceLocation: sourceLocation)
        }
        #expect(!FileManager.default.fileExists(atPath: target), sourceLocation: sourceLocation)
        #expect(try strayFiles(besides: before) == [], sourceLocation: sourceLocation)
    }

    /// A copy of `backup` named `name`, changed by `sql`.
    func tamperedCopy(of backup: String, _ name: String, _ sql: String, arguments: StatementArguments = []) throws -> String {
        let copy = dir + "/" + name
        try FileManager.default.copyItem(atPath: backup, toPath: copy)
        let queue = try DatabaseQueue(path: copy)
        try queue.write { try $0.execute(sql: sql, arguments: arguments) }
        try queue.close()
        return copy
    }

    @Test func aBackupTakenDuringConcurrentAppendsIsAPrefixOfTheLiveLog() async throws {
        let (store, path) = try Fixtures.sqliteStore()
        defer { Fixtures.remove(path); cleanUp() }
        let backup = dir + "/live.backup"
        let tasks = 8, perTask = 40
        async let appending: Void = withThrowingTaskGroup(of: Void.self) { group in
            for t in 0..<tasks {
                group.addTask {
                    for i in 0..<perTask { _ = try await store.append([try BackupTests.party("p\(t)-\(i)")], author: "t\(t)") }
                }
            }
            try await group.waitForAll()
        }
        // Back up once some entries are in, while the eight writers go on.
        let deadline = ContinuousClock.now + .seconds(60)
        while try await store.journalSize() < 40, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(2)) }
        let summary = try await store.backup(to: backup)
        try await appending
        _ = try await store.append([try BackupTests.party("after")], author: "after")

        // Taken mid-stream: the writers had more to append after the copy's snapshot.
        #expect(summary.entries >= 40 && summary.entries < tasks * perTask && summary.entries == summary.checkpointSize, "\(summary.entries)")
        // One self-contained file: the header says rollback journal (1, 1), not WAL (2, 2).
        let header = try FileHandle(forReadingFrom: URL(fileURLWithPath: backup)).read(upToCount: 20) ?? Data()
        #expect(header.count == 20 && header[18] == 1 && header[19] == 1)
        #expect(try strayFiles(besides: ["live.backup"]) == [])  // no partial copy, no WAL beside it
        let report = try await RelationalStore.verifyBackup(at: backup, geography: Fixtures.geography, verifier: try verifier)
        #expect(report.checkpointSize == summary.checkpointSize && report.root == summary.root && report.entries == summary.entries)

        // The backup's checkpoint is a prefix of the live log's latest one.
        let live = try Checkpoint(body: try #require(store.latestCheckpoint()).text)
        #expect(live.size == tasks * perTask + 1 && live.size > summary.checkpointSize)
        let proof = try store.consistencyProof(from: summary.checkpointSize, to: live.size)
        #expect(MerkleVerifier.verifyConsistency(size1: summary.checkpointSize, size2: live.size, root1: summary.root, root2: live.root, proof: proof))
        let copied = try #require(summary.checkpoint)
        #expect(try copied.verify(with: [try verifier]) == [Fixtures.signer.name])

        // Every entry in the backup is the live entry with the same sequence.
        let queue = try DatabaseQueue(path: backup, configuration: { var c = Configuration(); c.readonly = true; return c }())
        let rows = try await queue.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, bytes FROM journal ORDER BY seq").map { ($0["seq"] as Int64, [UInt8]($0["bytes"] as Data)) }
        }
        try queue.close()
        let liveEntries = try await store.entries(1...Int64(summary.entries))
        #expect(rows.count == summary.entries && liveEntries.count == summary.entries)
        for (row, entry) in zip(rows, liveEntries) {
            #expect(row.0 == entry.sequence && row.1 == entry.bytes, "entry \(row.0)")
        }

        // Restored, it opens with the log's key at the backup's checkpoint, and carries on from there.
        let restored = dir + "/restored.sqlite"
        let restoredReport = try await RelationalStore.restore(from: backup, to: restored, geography: Fixtures.geography, signer: Fixtures.signer)
        #expect(restoredReport.root == summary.root)
        let reopened = try RelationalStore(path: restored, geography: Fixtures.geography, signer: Fixtures.signer)
        #expect(reopened.latestCheckpoint() == summary.checkpoint)
    }

    @Test func restoreRoundTripsAndNeverOverwritesUnlessAsked() async throws {
        let (store, path, backup, summary) = try await demoBackup()
        defer { Fixtures.remove(path); cleanUp() }
        #expect(summary.entries > 700 && summary.checkpoint == store.latestCheckpoint())
        let target = dir + "/restored.sqlite"
        let report = try await RelationalStore.restore(from: backup, to: target, geography: Fixtures.geography, signer: Fixtures.signer)
        #expect(report.entries == summary.entries && report.checkpointSize == summary.checkpointSize && report.root == summary.root)
        do {
            let restored = try RelationalStore(path: target, geography: Fixtures.geography, signer: Fixtures.signer)
            #expect(restored.latestCheckpoint() == store.latestCheckpoint())
            #expect(try await restored.projectionSnapshot() == (try await store.projectionSnapshot()))
            _ = try await restored.verify(with: try verifier)
            _ = try await restored.append([try BackupTests.party("later")], author: "t")
        }

        // Neither command overwrites a file it was not told to replace.
        await #expect(throws: BackupFailure.self) { _ = try await store.backup(to: target) }
        let beforeBytes = try Data(contentsOf: URL(fileURLWithPath: backup))
        do {
            _ = try await store.backup(to: backup)
            Issue.record("backup overwrote \(backup)")
        } catch let f as BackupFailure {
            #expect(f.message.contains("already there") && f.message.contains(backup))
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: backup)) == beforeBytes)
        do {
            _ = try await RelationalStore.restore(from: backup, to: target, geography: Fixtures.geography, signer: Fixtures.signer)
            Issue.record("restore overwrote \(target)")
        } catch let f as BackupFailure {
            #expect(f.message.contains("--force"))
        }
        // Told to replace it (its store closed, as a server would be stopped), restore puts the backup in place.
        #expect(try await RelationalStore.restore(from: backup, to: target, geography: Fixtures.geography, signer: Fixtures.signer, replacing: true).root == summary.root)
        let again = try RelationalStore(path: target, geography: Fixtures.geography, signer: Fixtures.signer)
        #expect(again.latestCheckpoint() == store.latestCheckpoint())
        #expect(try await again.find("later") == nil)

        // A backup of another log, or checked with another key, is refused.
        try await expectRefused(backup, "the signing key is for other.local/log", signer: try Ed25519NoteSigner(name: "other.local/log"))
        try await expectRefused(backup, "does not verify, refused: the verifier key given is not one this log has signed with", signer: try Ed25519NoteSigner(name: Fixtures.signer.name))
        // Not a database at all.
        let junk = dir + "/junk.backup"
        try Data(repeating: 0x41, count: 8192).write(to: URL(fileURLWithPath: junk))
        try await expectRefused(junk, "not an Assay backup")
        try await expectRefused(dir + "/missing.backup", "no such backup file")
    }

    @Test func restoreRefusesAnEditedEntry() async throws {
        let (store, path, backup, _) = try await demoBackup()
        defer { Fixtures.remove(path); cleanUp() }
        #expect(try await store.find("bisie")?.sequence == 66)
        // Still valid JSON and a valid command: only the log can tell.
        let edited = try tamperedCopy(of: backup, "edited.backup", """
            UPDATE journal SET bytes = CAST(REPLACE(CAST(bytes AS TEXT), 'Bisie (Mpama North)', 'Bisie (Mpama South)') AS BLOB) WHERE seq = 66
            """)
        try await expectRefused(edited, "entry 66: its bytes no longer hash")
        await #expect(throws: BackupFailure.self) {
            _ = try await RelationalStore.verifyBackup(at: edited, geography: Fixtures.geography, verifier: try verifier)
        }
    }

    @Test func restoreRefusesARawByteFlippedInsideTheJournalsPages() async throws {
        let (store, path, backup, _) = try await demoBackup()
        defer { Fixtures.remove(path); cleanUp() }
        // Entry 66's bytes sit whole in one cell of a journal page (no overflow at this size); SQLite
        // keeps no page checksums, so a flipped bit there is invisible to it.
        let entry = try #require(try await store.entries(66...66).first).bytes
        #expect(entry.count < 1000)
        let nameKey = Array(#""name":""#.utf8)
        let nameAt = try #require(entry.indices.first { entry[$0...].starts(with: nameKey) }) + nameKey.count
        #expect((UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(entry[nameAt]))
        var file = [UInt8](try Data(contentsOf: URL(fileURLWithPath: backup)))
        var flipped = 0
        var i = 0
        while i + entry.count <= file.count {
            if file[i] == entry[0], file[i..<(i + entry.count)].elementsEqual(entry) {
                file[i + nameAt] ^= 0x20  // upper case to lower case: the JSON stays valid and canonical
                flipped += 1
                i += entry.count
            } else {
                i += 1
            }
        }
        #expect(flipped >= 1)
        let raw = dir + "/raw.backup"
        try Data(file).write(to: URL(fileURLWithPath: raw))
        try await expectRefused(raw, "entry 66: its bytes no longer hash")
    }

    @Test func restoreRefusesATamperedCheckpointOrTile() async throws {
        let (_, path, backup, summary) = try await demoBackup()
        defer { Fixtures.remove(path); cleanUp() }
        let note = try #require(summary.checkpoint)
        let size = summary.checkpointSize

        // One bit of the signature.
        var badSignature = note
        badSignature.signatures[0].signature[10] ^= 0x01
        let signature = try tamperedCopy(of: backup, "signature.backup", "UPDATE log_checkpoint SET note = ? WHERE size = ?",
                                         arguments: [badSignature.serialized, size])
        try await expectRefused(signature, "checkpoint at size \(size)")

        // Another root under the original signature.
        let cp = try Checkpoint(body: note.text)
        let otherRoot = Checkpoint(origin: cp.origin, size: cp.size, root: MerkleHasher.leaf([1, 2, 3]), extensions: cp.extensions)
        let moved = SignedNote(text: otherRoot.body, signatures: note.signatures)
        let root = try tamperedCopy(of: backup, "root.backup", "UPDATE log_checkpoint SET note = ? WHERE size = ?", arguments: [moved.serialized, size])
        try await expectRefused(root, "checkpoint at size \(size)")

        // Another root signed by a key that has the log's name but is not its key.
        let impostor = try Ed25519NoteSigner(name: Fixtures.signer.name)
        let forged = try impostor.signNote(otherRoot.body)
        let forgery = try tamperedCopy(of: backup, "forged.backup", "UPDATE log_checkpoint SET note = ? WHERE size = ?", arguments: [forged.serialized, size])
        try await expectRefused(forgery, "checkpoint at size \(size)")

        // The latest checkpoint gone: the journal holds entries no checkpoint covers.
        let dropped = try tamperedCopy(of: backup, "dropped.backup", "DELETE FROM log_checkpoint WHERE size = ?", arguments: [size])
        try await expectRefused(dropped, "the latest checkpoint covers")

        // A tile's hashes.
        let tile = try tamperedCopy(of: backup, "tile.backup", "UPDATE log_tile SET data = zeroblob(8192) WHERE level = 0 AND idx = 1 AND width = 256")
        try await expectRefused(tile, "tile tile/0/001")
    }

    @Test func restoreRefusesABackupBehindOrBesideAPublishedCheckpoint() async throws {
        let (store, path) = try Fixtures.sqliteStore()
        defer { Fixtures.remove(path); cleanUp() }
        _ = try await store.append(try Fixtures.commands(SQLiteStoreTests.setup), author: "t")
        let backup = dir + "/old.backup"
        let summary = try await store.backup(to: backup)
        let atBackup = try #require(summary.checkpoint)
        _ = try await store.append([try BackupTests.party("published-later")], author: "t")
        let published = try #require(store.latestCheckpoint())

        // The log already published a larger checkpoint: this backup would fork it.
        try await expectRefused(backup, "already published a checkpoint at size \(summary.checkpointSize + 1)", published: published)

        // A checkpoint the backup reaches, with the same entries: accepted.
        let target = dir + "/ok.sqlite"
        let report = try await RelationalStore.restore(from: backup, to: target, geography: Fixtures.geography, signer: Fixtures.signer, published: atBackup)
        #expect(report.checkpointSize == summary.checkpointSize)

        // A checkpoint of the same size with other entries (another history signed by the same key): refused.
        let (fork, forkPath) = try Fixtures.sqliteStore()
        defer { Fixtures.remove(forkPath) }
        _ = try await fork.append(try Fixtures.commands(Array(SQLiteStoreTests.setup.prefix(3))), author: "t")
        _ = try await fork.append([try BackupTests.party("fork-a"), try BackupTests.party("fork-b"), try BackupTests.party("fork-c")], author: "t")
        let forked = try #require(fork.latestCheckpoint())
        #expect(try Checkpoint(body: forked.text).size == summary.checkpointSize)
        try await expectRefused(backup, "is not a copy of the published log", published: forked)

        // A checkpoint not signed by this log's key.
        let stranger = try Ed25519NoteSigner(name: Fixtures.signer.name).signNote(atBackup.text)
        try await expectRefused(backup, "not signed by this log's key", published: stranger)
    }
}
