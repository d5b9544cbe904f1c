import AssayDomain
import AssayIngest
import AssayStore
import AssayTestSupport
import Foundation
import GRDB
import Testing
import TransparencyLog

@Suite("The journal under the verifiable log", .serialized)
struct LogTests {
    var verifier: Ed25519NoteVerifier { get throws { try Ed25519NoteVerifier(verifierKey: Fixtures.signer.verifierKey) } }

    func demoStore() async throws -> (RelationalStore, String) {
        let (store, path) = try await Fixtures.store()
        _ = try await store.append(try DemoSet.commands(), author: "demo")
        return (store, path)
    }

    @Test func everyAppendIsCoveredByASignedCheckpoint() async throws {
        let (store, path) = try await Fixtures.store()
        defer { Fixtures.remove(path) }
        let receipts = try await store.append(try Fixtures.commands(SQLiteStoreTests.setup), author: "t")
        let note = try #require(receipts.last?.checkpoint)
        #expect(try note.verify(with: [try verifier]) == [Fixtures.signer.name])
        let cp = try Checkpoint(body: note.text)
        #expect(cp.size == SQLiteStoreTests.setup.count && cp.origin == "test.local/registry")
        // Each entry's leaf is in the tree the checkpoint signs.
        for r in receipts {
            let entry = try #require(try await store.entries(r.sequence...r.sequence).first)
            let (proof, size) = try store.inclusionProof(index: Int(r.sequence) - 1)
            #expect(MerkleVerifier.verifyInclusion(leaf: MerkleHasher.leaf(entry.bytes), index: Int(r.sequence) - 1, size: size, proof: proof, root: cp.root))
        }
        // A later append grows the log consistently.
        let more = try await store.append(try Fixtures.commands([#"{"type":"register-party","id":"rw","name":"Rwanda","kind":"state","country":"RW"}"#]), author: "t")
        let cp2 = try Checkpoint(body: try #require(more.first?.checkpoint).text)
        let proof = try store.consistencyProof(from: cp.size, to: cp2.size)
        #expect(MerkleVerifier.verifyConsistency(size1: cp.size, size2: cp2.size, root1: cp.root, root2: cp2.root, proof: proof))
        // A refused batch changes neither the log nor its checkpoint.
        await #expect(throws: BatchRejected.self) {
            _ = try await store.append(try Fixtures.commands([#"{"type":"register-party","id":"rw","name":"Again","kind":"company"}"#]), author: "t")
        }
        #expect(store.latestCheckpoint() == more.first?.checkpoint)
    }

    @Test func reopeningLoadsTheLogFromItsTiles() async throws {
        let (store, path) = try await demoStore()
        defer { Fixtures.remove(path) }
        let before = try #require(store.latestCheckpoint())
        let reopened = try await RelationalStore.open(database: path, geography: Fixtures.geography, signers: [Fixtures.signer])
        #expect(reopened.latestCheckpoint() == before)
        let cp = try Checkpoint(body: before.text)
        #expect(try reopened.rootHash(size: cp.size) == cp.root)
        // Another key cannot take over this log.
        await #expect(throws: (any Error).self) {
            _ = try await RelationalStore.open(database: path, geography: Fixtures.geography, signers: [try Ed25519NoteSigner(name: "other.local/log")])
        }
    }

    @Test func proofBundlesVerifyWithNothingButTheVerifierKey() async throws {
        let (store, path) = try await demoStore()
        defer { Fixtures.remove(path) }
        let bundle = try await store.proofBundle(sequence: 61)
        let parsed = try ProofBundle(text: bundle.text)
        let (cp, names) = try parsed.verify(logKey: try verifier)
        #expect(names == [Fixtures.signer.name] && cp.size > 700)
        let entry = try JournalEntry(bytes: try #require(parsed.extra))
        #expect(entry.sequence == 61)
        // With a witness's cosignature stored, the bundle carries it.
        let witness = try CosignatureSigner(name: "witness.local/w1")
        let sig = try witness.cosign(body: parsed.checkpoint.text, timestamp: 1_795_000_000)
        try await store.addCosignature(size: cp.size, signature: sig, verifier: try CosignatureVerifier(verifierKey: witness.verifierKey))
        let cosigned = try await store.proofBundle(sequence: 61)
        #expect(try cosigned.verify(logKey: try verifier, witnesses: [try CosignatureVerifier(verifierKey: witness.verifierKey)]).1.count == 2)
    }

    @Test func verifyPassesOnAnUntouchedLog() async throws {
        let (store, path) = try await demoStore()
        defer { Fixtures.remove(path) }
        let report = try await store.verify(with: try verifier)
        #expect(report.entries == report.checkpointSize && report.entries > 700)
        #expect(report.tiles >= 4 && report.projectionRows > 1000)
    }

    /// Edits the database behind the store's back, then expects `verify` to name what was changed.
    func tampered(_ sql: String, expect fragment: String) async throws {
        let (store, path) = try await demoStore()
        defer { Fixtures.remove(path) }
        try await Fixtures.tamper(path, sql)
        do {
            _ = try await store.verify(with: try verifier)
            Issue.record("verify passed after: \(sql)")
        } catch let failure as VerificationFailure {
            #expect(failure.message.contains(fragment), "\(failure.message)")
        }
    }

    @Test func verifyNamesAnEditedEntry() async throws {
        let (store, path) = try await demoStore()
        #expect(try await store.find("bisie")?.sequence == 66)
        Fixtures.remove(path)
        // The entry stays valid JSON and a valid command: only the log can tell.
        try await tampered(TestDatabase.isPostgres
                           ? "UPDATE journal SET bytes = convert_to(REPLACE(convert_from(bytes, 'UTF8'), 'Bisie (Mpama North)', 'Bisie (Mpama South)'), 'UTF8') WHERE subject = 'bisie'"
                           : "UPDATE journal SET bytes = CAST(REPLACE(CAST(bytes AS TEXT), 'Bisie (Mpama North)', 'Bisie (Mpama South)') AS BLOB) WHERE subject = 'bisie'",
                           expect: "entry 66: its bytes no longer hash")  // entry 66 registers Bisie
    }

    @Test func verifyNamesAnEditedTile() async throws {
        let zeros = TestDatabase.isPostgres ? "decode(repeat('00', 8192), 'hex')" : "zeroblob(8192)"
        try await tampered("UPDATE log_tile SET data = \(zeros) WHERE level = 0 AND idx = 1 AND width = 256", expect: "tile tile/0/001")
    }

    @Test func verifyNamesAnEditedProjectionRow() async throws {
        try await tampered("UPDATE site SET name = 'Bisie (renamed)' WHERE id = 'bisie'", expect: #"projection site row "bisie" differs"#)
        try await tampered("DELETE FROM grant_right WHERE id = 'sicomines-2008-grant'", expect: #"projection grant_right row "sicomines-2008-grant" is missing"#)
    }
}

@Suite("Group commit")
struct GroupCommitTests {
    @Test func concurrentAppendsShareCheckpointsAndRefusalsStayTheirOwn() async throws {
        let (store, path) = try await Fixtures.store()
        defer { Fixtures.remove(path) }
        let tasks = 64
        let results = try await withThrowingTaskGroup(of: (Int, Result<[AppendReceipt], any Error>).self) { group in
            for i in 0..<tasks {
                group.addTask {
                    // Every eighth caller sends a bad batch: it alone is refused.
                    let json = i % 8 == 7
                        ? #"{"type":"record-ownership","id":"o\#(i)","subject":"ghost","interestedParty":"ghost2","share":{"exact":"1"}}"#
                        : #"{"type":"register-party","id":"p\#(i)","name":"P\#(i)","kind":"company"}"#
                    do { return (i, .success(try await store.append([try Command(jsonText: json)], author: "t\(i)"))) } catch {
                        return (i, .failure(error))
                    }
                }
            }
            var out: [(Int, Result<[AppendReceipt], any Error>)] = []
            for try await r in group { out.append(r) }
            return out
        }
        var sequences: [Int64] = []
        for (i, r) in results {
            switch r {
            case .success(let receipts):
                #expect(i % 8 != 7)
                let receipt = try #require(receipts.first)
                let cp = try Checkpoint(body: try #require(receipt.checkpoint).text)
                #expect(cp.size >= Int(receipt.sequence))  // acknowledged only once a checkpoint covers it
                sequences.append(receipt.sequence)
            case .failure(let e):
                #expect(i % 8 == 7 && e is BatchRejected)
            }
        }
        #expect(sequences.sorted() == Array(1...Int64(tasks - tasks / 8)))
        let stats = await store.groupCommitStats()
        #expect(stats.requests == tasks)
        #expect(stats.batches < tasks)  // batching happened
        let report = try await store.verify(with: try Ed25519NoteVerifier(verifierKey: Fixtures.signer.verifierKey))
        #expect(report.entries == tasks - tasks / 8)
    }
}

@Suite("The standalone SQLite log")
struct SQLiteLogTests {
    @Test func bulkAndConcurrentAppendsVerifyAcrossBundles() async throws {
        let path = NSTemporaryDirectory() + "log-\(UUID().uuidString).sqlite"
        defer { Fixtures.remove(path) }
        let log = try SQLiteLog(path: path, signer: Fixtures.signer)
        let bulk = (0..<300).map { [UInt8]("bulk \($0)".utf8) }
        _ = try log.appendBulk(bulk)
        let indices = try await withThrowingTaskGroup(of: Int.self) { group in
            for i in 0..<100 { group.addTask { try await log.append(Array("concurrent \(i)".utf8)) } }
            var out: [Int] = []
            for try await x in group { out.append(x) }
            return out
        }
        #expect(indices.sorted() == Array(300..<400))
        let key = try Ed25519NoteVerifier(verifierKey: Fixtures.signer.verifierKey)
        #expect(try log.verify(with: key) == 400)
        let cp = try Checkpoint(body: try #require(log.latestCheckpoint()).text)
        let proof = try log.inclusionProof(index: 257, size: cp.size)
        #expect(MerkleVerifier.verifyInclusion(leaf: MerkleHasher.leaf(bulk[257]), index: 257, size: 400, proof: proof, root: cp.root))
        // Reopened, it carries on from its tiles and bundles.
        let again = try SQLiteLog(path: path, signer: Fixtures.signer)
        #expect(try await again.append([1, 2, 3]) == 400)
        #expect(try again.verify(with: key) == 401)
    }
}

@Suite("Sealed confidential details")
struct SealingTests {
    @Test func confidentialDetailsStayOutOfTheLogButSurviveReplayAndVerify() async throws {
        let (store, path) = try await Fixtures.store()
        defer { Fixtures.remove(path) }
        let deal = #"{"type":"register-agreement","id":"sec","title":"Security MoU","kind":"security-memorandum","status":"signed","signed":"2025-12-04","parties":[{"party":"us","role":"security-provider"},{"party":"cd","role":"partner"}],"documents":[{"sha256":"1111111111111111111111111111111111111111111111111111111111111111","url":"https://secret.example/annex","confidential":true},{"sha256":"2222222222222222222222222222222222222222222222222222222222222222","url":"https://public.example/text"}]}"#
        _ = try await store.append(try Fixtures.commands(SQLiteStoreTests.setup + [deal]), author: "t")
        let agreementEntry = try #require(try await store.find("sec")).sequence
        let agreementText = String(decoding: try #require(try await store.entries(agreementEntry...agreementEntry).first).bytes, as: UTF8.self)
        #expect(!agreementText.contains("secret.example") && agreementText.contains("1111111111") && agreementText.contains("public.example"))
        #expect(CanonicalJSON.string(try #require(try await store.find("sec")).json).contains("secret.example"))
        let receipts = try await store.append(try Fixtures.commands([
            #"{"type":"record-obligation","id":"intel","agreement":"sec","obligor":"us","beneficiary":"cd","kind":"intelligence","description":"Named informants in Masisi","value":{"amount":"7300000","currency":"USD"},"confidential":true}"#,
            #"{"type":"record-delivery","id":"intel-1","obligation":"intel","date":"2026-02-01","value":{"amount":"1200000","currency":"USD"},"note":"First tranche"}"#,
        ]), author: "t")
        for r in receipts {
            let bytes = try #require(try await store.entries(r.sequence...r.sequence).first).bytes
            let text = String(decoding: bytes, as: UTF8.self)
            #expect(text.contains("\"sealed\":\""))
            #expect(!text.contains("Masisi") && !text.contains("7300000") && !text.contains("1200000") && !text.contains("First tranche"))
            let (entry, _) = try #require(try await store.entry(r.sequence))
            #expect(CanonicalJSON.string(entry.command.json).contains(r.subject == "intel" ? "Masisi" : "First tranche"))
        }
        // Auditors' projections hold the details; replay puts them back; verify checks them against the hashes.
        #expect(CanonicalJSON.string(try #require(try await store.find("intel")).json).contains("Masisi"))
        let before = try await store.projectionSnapshot()
        _ = try await store.rebuild()
        #expect(try await store.projectionSnapshot() == before)
        let key = try Ed25519NoteVerifier(verifierKey: Fixtures.signer.verifierKey)
        _ = try await store.verify(with: key)
        // Changing the stored details is caught.
        try await Fixtures.tamper(path, "UPDATE sealed_detail SET json = REPLACE(json, '7300000', '1')")
        await #expect(throws: VerificationFailure.self) { _ = try await store.verify(with: key) }
    }
}
