import AssayDomain
import Foundation
import GRDB
import Synchronization
import Testing
import TransparencyLog
@testable import AssayStore

/// A refused COMMIT (disk full, I/O error) must leave the log as it was: no acknowledged entry lost, no
/// checkpoint ever published over an entry that is not in the journal, and writes resume afterwards.
@Suite("Refused commits and a full disk", .serialized)
struct DurabilityTests {
    var verifier: Ed25519NoteVerifier { get throws { try Ed25519NoteVerifier(verifierKey: Fixtures.signer.verifierKey) } }

    /// What concurrent writers saw: acknowledged parties with their receipts, and refusals.
    struct Outcome: Sendable {
        var acknowledged: [(id: String, receipt: AppendReceipt)] = []
        /// Each refusal: the storage failure it was, if it was one, and what it said.
        var refusals: [(storage: StorageFailure?, text: String)] = []
    }

    /// How many refusals all writers have seen (to stop early once the disk is full).
    final class RefusalCount: Sendable {
        let count = Mutex(0)
    }

    /// `writers` tasks each append `perWriter` parties (ids `p-W-I`, names of `nameLength` characters),
    /// one command an append, and collect every answer.
    static func load(_ store: RelationalStore, writers: Int, perWriter: Int, nameLength: Int = 20,
                     stopAfterRefusals: Int = .max) async -> Outcome {
        let refusals = RefusalCount()
        return await withTaskGroup(of: Outcome.self) { group in
            for w in 0..<writers {
                group.addTask {
                    var out = Outcome()
                    for i in 0..<perWriter {
                        if refusals.count.withLock({ $0 }) >= stopAfterRefusals { break }
                        let id = "p-\(w)-\(i)"
                        let name = String(repeating: "n", count: max(1, nameLength - id.count)) + id
                        do {
                            let command = try Command(jsonText: #"{"type":"register-party","id":"\#(id)","name":"\#(name)","kind":"company","country":"US"}"#)
                            let receipts = try await store.append([command], author: "load")
                            if let r = receipts.first { out.acknowledged.append((id, r)) }
                        } catch {
                            out.refusals.append((error as? StorageFailure, "\(error)"))
                            refusals.count.withLock { $0 += 1 }
                        }
                    }
                    return out
                }
            }
            var all = Outcome()
            for await o in group { all.acknowledged += o.acknowledged; all.refusals += o.refusals }
            return all
        }
    }

    /// Every acknowledged entry is in the journal as acknowledged; every checkpoint handed out is
    /// consistent with the final log (same root at its size, a valid consistency proof); no two
    /// checkpoints share a size with different roots; `verify` passes; the file reopens.
    func checkEverything(_ store: RelationalStore, path: String, outcome: Outcome) async throws {
        let size = try await store.journalSize()
        let final = try Checkpoint(body: try #require(store.latestCheckpoint()).text)
        #expect(final.size == Int(size))
        for (id, receipt) in outcome.acknowledged {
            let stored = try #require(try await store.entries(receipt.sequence...receipt.sequence).first, "acknowledged entry \(receipt.sequence) is missing")
            let entry = try JournalEntry(bytes: stored.bytes)
            #expect(entry.command.subjectID == id, "entry \(receipt.sequence) holds \(entry.command.subjectID), acknowledged as \(id)")
            #expect(try await store.find(id) != nil)
        }
        var rootBySize: [Int: TreeHash] = [:]
        for (_, receipt) in outcome.acknowledged {
            let note = try #require(receipt.checkpoint)
            #expect(try note.verify(with: [try verifier]) == [Fixtures.signer.name])
            let cp = try Checkpoint(body: note.text)
            if let seen = rootBySize[cp.size] { #expect(seen == cp.root, "two checkpoints of size \(cp.size) with different roots") }
            rootBySize[cp.size] = cp.root
            #expect(cp.size <= final.size)
            #expect(try store.rootHash(size: cp.size) == cp.root, "checkpoint \(cp.size) does not match the stored log")
            let proof = try store.consistencyProof(from: cp.size, to: final.size)
            #expect(MerkleVerifier.verifyConsistency(size1: cp.size, size2: final.size, root1: cp.root, root2: final.root, proof: proof))
        }
        let report = try await store.verify(with: try verifier)
        #expect(report.entries == Int(size) && report.checkpointSize == Int(size))
        // The stored checkpoints, too, all match the journal (verify checks them), and the file reopens.
        let reopened = try RelationalStore(path: path, geography: Fixtures.geography, signer: Fixtures.signer)
        #expect(reopened.latestCheckpoint() == store.latestCheckpoint())
    }

    @Test func aRefusedCommitUnderConcurrentLoadLeavesNoPhantomEntries() async throws {
        let (store, path) = try Fixtures.sqliteStore()
        defer { Fixtures.remove(path) }
        _ = try await store.append(try Fixtures.commands(SQLiteStoreTests.setup), author: "t")
        // Every third COMMIT that adds journal entries is refused as SQLite refuses one on a full disk.
        let faults = CommitFault(every: 3)
        try await #require(store.sqlite).pool.writeWithoutTransaction { db in db.add(transactionObserver: faults, extent: .databaseLifetime) }
        let outcome = await Self.load(store, writers: 8, perWriter: 40)
        #expect(faults.refused > 0 && !outcome.refusals.isEmpty)
        #expect(outcome.acknowledged.count + outcome.refusals.count == 320)
        for e in outcome.refusals {
            #expect(e.storage?.kind == .full, "a refused commit surfaced as \(e.text)")
        }
        faults.stop()
        // Writes resume, and everything acknowledged is there.
        let after = try await store.append(try Fixtures.commands([#"{"type":"register-party","id":"after","name":"After","kind":"company","country":"US"}"#]), author: "t")
        var outcome2 = outcome
        outcome2.acknowledged.append(("after", try #require(after.first)))
        try await checkEverything(store, path: path, outcome: outcome2)
    }

    /// The case as a user met it: a registry on a small tmpfs, written to until the disk is full.
    @Test(.enabled(if: geteuid() == 0 || ProcessInfo.processInfo.environment["CI"] != nil,
                   "mounting a tmpfs needs root (CI runs as root)"))
    func aFullDiskLosesNothingAndWritesResumeWhenSpaceReturns() async throws {
        let dir = NSTemporaryDirectory() + "assay-full-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try Self.run("/bin/mount", ["-t", "tmpfs", "-o", "size=12m", "tmpfs", dir])
        defer {
            try? Self.run("/bin/umount", ["-l", dir])
            try? FileManager.default.removeItem(atPath: dir)
        }
        let path = dir + "/registry.sqlite"
        var outcome = Outcome()
        do {
            let store = try RelationalStore(path: path, geography: Fixtures.geography, signer: Fixtures.signer,
                                        clock: { Timestamp(milliseconds: 1_795_000_000_000) })
            _ = try await store.append(try Fixtures.commands(SQLiteStoreTests.setup), author: "t")
            // Leave about 1.5 MB free: ballast that can be deleted later, as an operator frees space.
            let ballast = dir + "/ballast"
            let free = try Self.freeBytes(dir)
            #expect(FileManager.default.createFile(atPath: ballast, contents: Data(count: max(0, free - 1_500_000))))
            outcome = await Self.load(store, writers: 8, perWriter: 3000, nameLength: 300, stopAfterRefusals: 40)
            #expect(!outcome.acknowledged.isEmpty)
            #expect(!outcome.refusals.isEmpty, "the disk never filled")
            for e in outcome.refusals {
                #expect(e.storage?.kind == .full, "a full disk surfaced as \(e.text)")
            }
            // Space returns: writes resume and nothing acknowledged is lost.
            try FileManager.default.removeItem(atPath: ballast)
            let after = try await store.append(try Fixtures.commands([#"{"type":"register-party","id":"after","name":"After","kind":"company","country":"US"}"#]), author: "t")
            outcome.acknowledged.append(("after", try #require(after.first)))
            try await checkEverything(store, path: path, outcome: outcome)
        }
    }

    static func freeBytes(_ dir: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfFileSystem(forPath: dir)
        return (attributes[.systemFreeSize] as? NSNumber)?.intValue ?? 0
    }

    static func run(_ tool: String, _ arguments: [String]) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: tool)
        p.arguments = arguments
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw VerificationFailure(message: "\(tool) \(arguments.joined(separator: " ")) exited \(p.terminationStatus)") }
    }
}

/// Refuses every `every`-th COMMIT that touches the journal, with the error SQLite gives on a full
/// disk, until stopped. (A GRDB observer that throws from `databaseWillCommit` makes SQLite roll the
/// transaction back, as a failed COMMIT does.)
final class CommitFault: TransactionObserver, Sendable {
    private let state = Mutex<(count: Int, refused: Int, stopped: Bool, touched: Bool)>((0, 0, false, false))
    let every: Int

    init(every: Int) { self.every = every }

    var refused: Int { state.withLock { $0.refused } }
    func stop() { state.withLock { $0.stopped = true } }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool { eventKind.tableName == "journal" }
    func databaseDidChange(with event: DatabaseEvent) { state.withLock { $0.touched = true } }
    func databaseWillCommit() throws {
        let refuse = state.withLock { s -> Bool in
            defer { s.touched = false }
            guard !s.stopped, s.touched else { return false }
            s.count += 1
            if s.count % every == 1 { s.refused += 1; return true }
            return false
        }
        if refuse { throw DatabaseError(resultCode: .SQLITE_FULL, message: "database or disk is full (injected)") }
    }
    func databaseDidCommit(_ db: Database) { state.withLock { $0.touched = false } }
    func databaseDidRollback(_ db: Database) { state.withLock { $0.touched = false } }
}

@Suite("Durable settings on every connection")
struct ConnectionSettingsTests {
    @Test func everyConnectionTheStoreOpensIsDurable() async throws {
        let (store, path) = try Fixtures.sqliteStore()
        defer { Fixtures.remove(path) }
        let settings = try store.durabilitySettings()
        #expect(Set(settings.map(\.connection)) == ["writer", "reader", "checkpointer"])
        for s in settings {
            #expect(s.journalMode == "wal", "\(s.connection)")
            if s.connection != "reader" { #expect(s.synchronous == 2, "\(s.connection): synchronous \(s.synchronous)") }
            #expect(s.isDurable)
        }
        // What would not pass: a writer at NORMAL.
        #expect(!ConnectionDurability(connection: "writer", journalMode: "wal", synchronous: 1).isDurable)
        #expect(!ConnectionDurability(connection: "reader", journalMode: "delete", synchronous: 2).isDurable)
    }
}
