import AssayDomain
import AssayIngest
import AssayStore
import AssayTestSupport
import Foundation
import Synchronization
import Testing
import TransparencyLog

/// The log moves to a new checkpoint key twice; old proofs, new proofs, consistency across the
/// rotations, `verify`, refusals, reopening and a witness all keep working.
@Suite("Rotating the log's signing key", .serialized)
struct KeyRotationTests {
    final class Clock: Sendable {
        let now = Mutex<Int64>(1_795_000_000_000)
        func advance(days: Int64) { now.withLock { $0 += days * 86_400_000 } }
        var timestamp: Timestamp { Timestamp(milliseconds: now.withLock { $0 }) }
    }

    func party(_ id: String) throws -> [Command] {
        try Fixtures.commands([#"{"type":"register-party","id":"\#(id)","name":"P \#(id)","kind":"company","country":"CD"}"#])
    }

    func verifier(_ s: Ed25519NoteSigner) throws -> Ed25519NoteVerifier { try Ed25519NoteVerifier(verifierKey: s.verifierKey) }

    /// Which of the given keys signed `note` (each signature present must verify).
    func signers(_ note: SignedNote, among keys: [Ed25519NoteSigner]) throws -> [String] {
        try keys.filter { k in
            let v = try verifier(k)
            guard note.signatures.contains(where: { $0.keyID == v.keyID }) else { return false }
            return try note.verify(with: [v]).count == 1
        }.map(\.verifierKey)
    }

    @Test func rotatingTwiceKeepsEveryProofAndVerifierWorking() async throws {
        let clock = Clock()
        let path = try TestDatabase.fresh("rotate")
        defer { Fixtures.remove(path) }
        let key0 = try Ed25519NoteSigner(name: "rotate.local/log")
        let key1 = try Ed25519NoteSigner(name: "rotate.local/log")
        let key2 = try Ed25519NoteSigner(name: "rotate.local/log")
        let store = try await RelationalStore.open(database: path, geography: Fixtures.geography, signers: [key0], clock: { clock.timestamp })
        let setup = try await store.append(try Fixtures.commands(SQLiteStoreTests.setup), author: "t")
        let noteA = try #require(setup.last?.checkpoint)
        let cpA = try Checkpoint(body: noteA.text)
        #expect(try signers(noteA, among: [key0, key1, key2]) == [key0.verifierKey])
        let proofA = try store.inclusionProof(index: 2, size: cpA.size).proof
        let leaf3 = MerkleHasher.leaf(try #require(try await store.entries(3...3).first).bytes)

        // First rotation: the entry is covered by a checkpoint both keys sign.
        let r1 = try await store.rotateLogKey(to: key1, transitionUntil: Timestamp(milliseconds: clock.timestamp.milliseconds + 86_400_000))
        let noteB = try #require(r1.checkpoint)
        #expect(Set(try signers(noteB, among: [key0, key1, key2])) == [key0.verifierKey, key1.verifierKey])
        #expect(store.verifierKey == key1.verifierKey)
        let during = try #require(try await store.append(try party("during"), author: "t").first?.checkpoint)
        #expect(Set(try signers(during, among: [key0, key1])) == [key0.verifierKey, key1.verifierKey])
        // A verifier holding only the old key still verifies during the transition.
        #expect(try during.verify(with: [try verifier(key0)]) == ["rotate.local/log"])

        // After the transition only the new key signs.
        clock.advance(days: 2)
        let after = try #require(try await store.append(try party("after"), author: "t").first?.checkpoint)
        #expect(try signers(after, among: [key0, key1, key2]) == [key1.verifierKey])
        #expect(throws: (any Error).self) { try after.verify(with: [try verifier(key0)]) }

        // Second rotation, and its transition.
        let r2 = try await store.rotateLogKey(to: key2, transitionUntil: Timestamp(milliseconds: clock.timestamp.milliseconds + 86_400_000))
        #expect(Set(try signers(try #require(r2.checkpoint), among: [key0, key1, key2])) == [key1.verifierKey, key2.verifierKey])
        clock.advance(days: 2)
        let last = try #require(try await store.append(try party("last"), author: "t").first?.checkpoint)
        #expect(try signers(last, among: [key0, key1, key2]) == [key2.verifierKey])
        let cpLast = try Checkpoint(body: last.text)

        // Old proofs still verify against the old checkpoint; new proofs against the new one; the old
        // tree is a prefix of the new one across both rotations.
        #expect(MerkleVerifier.verifyInclusion(leaf: leaf3, index: 2, size: cpA.size, proof: proofA, root: cpA.root))
        let (proofNew, size) = try store.inclusionProof(index: 2)
        #expect(size == cpLast.size && MerkleVerifier.verifyInclusion(leaf: leaf3, index: 2, size: size, proof: proofNew, root: cpLast.root))
        let consistency = try store.consistencyProof(from: cpA.size, to: cpLast.size)
        #expect(MerkleVerifier.verifyConsistency(size1: cpA.size, size2: cpLast.size, root1: cpA.root, root2: cpLast.root, proof: consistency))
        for cp in [noteB, during, after] {
            let c = try Checkpoint(body: cp.text)
            let p = try store.consistencyProof(from: c.size, to: cpLast.size)
            #expect(MerkleVerifier.verifyConsistency(size1: c.size, size2: cpLast.size, root1: c.root, root2: cpLast.root, proof: p))
        }
        // The history is in the log, and `verify` follows it from any of its keys.
        let schedule = store.keySchedule
        #expect(schedule.keys == [key0.verifierKey, key1.verifierKey, key2.verifierKey])
        #expect(schedule.rotations.map(\.sequence) == [r1.sequence, r2.sequence])
        for k in [key0, key1, key2] { _ = try await store.verify(with: try verifier(k)) }
        await #expect(throws: VerificationFailure.self) {
            _ = try await store.verify(with: try self.verifier(try Ed25519NoteSigner(name: "rotate.local/log")))
        }
        // Replay rebuilds the same key table.
        let before = try await store.projectionSnapshot()
        _ = try await store.rebuild()
        #expect(try await store.projectionSnapshot() == before)

        // Reopening needs the current key, not the retired ones.
        let reopened = try await RelationalStore.open(database: path, geography: Fixtures.geography, signers: [key2], clock: { clock.timestamp })
        #expect(reopened.verifierKey == key2.verifierKey)
        await #expect(throws: (any Error).self) { _ = try await RelationalStore.open(database: path, geography: Fixtures.geography, signers: [key0, key1]) }
    }

    @Test func rotationsThatWouldBreakTheChainAreRefused() async throws {
        let (store, path) = try await Fixtures.store()
        defer { Fixtures.remove(path) }
        _ = try await store.append(try Fixtures.commands(SQLiteStoreTests.setup), author: "t")
        let until = "2030-01-01T00:00:00.000Z"
        func rotation(_ key: String, until: String = until) throws -> Command {
            try Command(jsonText: #"{"type":"rotate-log-key","key":"\#(key)","transitionUntil":"\#(until)"}"#)
        }
        func refusal(_ commands: [Command]) async -> String? {
            do { _ = try await store.append(commands, author: "t"); return nil } catch let r as BatchRejected {
                return r.errors.map(\.error.message).joined(separator: "; ")
            } catch { return "\(error)" }
        }
        let size = try await store.journalSize()
        // Another log's name, a key the server does not hold, the current key again, a past transition.
        let other = try Ed25519NoteSigner(name: "other.local/log")
        #expect(await refusal([try rotation(other.verifierKey)])?.contains("this log is") == true)
        let unheld = try Ed25519NoteSigner(name: Fixtures.signer.name)
        #expect(await refusal([try rotation(unheld.verifierKey)])?.contains("private half") == true)
        #expect(await refusal([try rotation(Fixtures.signer.verifierKey)])?.contains("already signed") == true)
        #expect(throws: DomainError.self) { try Command(jsonText: #"{"type":"rotate-log-key","key":"not-a-key","transitionUntil":"\#(until)"}"#) }
        let fresh = try Ed25519NoteSigner(name: Fixtures.signer.name)
        await #expect(throws: BatchRejected.self) {
            _ = try await store.rotateLogKey(to: fresh, transitionUntil: Timestamp(milliseconds: 1_000))
        }
        // Two rotations before a checkpoint covers the first (one batch): refused, nothing written.
        let c = try Ed25519NoteSigner(name: Fixtures.signer.name), d = try Ed25519NoteSigner(name: Fixtures.signer.name)
        let holding = try await RelationalStore.open(database: path, geography: Fixtures.geography, signers: [Fixtures.signer, c, d])
        var message = ""
        do { _ = try await holding.append([try rotation(c.verifierKey), try rotation(d.verifierKey)], author: "t") } catch let r as BatchRejected {
            message = r.errors.map(\.error.message).joined(separator: "; ")
        }
        #expect(message.contains("not yet covered"), "\(message)")
        #expect(try await holding.journalSize() == size)
        // One after the other, each covered before the next: both accepted.
        _ = try await holding.append([try rotation(c.verifierKey)], author: "t")
        _ = try await holding.append([try rotation(d.verifierKey)], author: "t")
        #expect(holding.keySchedule.keys == [Fixtures.signer.verifierKey, c.verifierKey, d.verifierKey])
        _ = try await holding.verify(with: try Ed25519NoteVerifier(verifierKey: Fixtures.signer.verifierKey))
    }

    @Test func aWitnessKeepsCosigningAcrossARotation() async throws {
        let clock = Clock()
        let path = try TestDatabase.fresh("rotate-w")
        defer { Fixtures.remove(path) }
        let key0 = try Ed25519NoteSigner(name: "rotate.local/log"), key1 = try Ed25519NoteSigner(name: "rotate.local/log")
        let store = try await RelationalStore.open(database: path, geography: Fixtures.geography, signers: [key0], clock: { clock.timestamp })
        let witness = Witness(signer: try CosignatureSigner(name: "witness.local/w"))
        let first = try #require(try await store.append(try Fixtures.commands(SQLiteStoreTests.setup), author: "t").last?.checkpoint)
        var (seen, _) = try witness.addCheckpoint(previous: nil, oldSize: 0, proof: [], note: first, logKey: try verifier(key0), timestamp: 1)
        // During the transition the witness, still holding only the old key, cosigns the rotation.
        let rotated = try #require(try await store.rotateLogKey(to: key1, transitionUntil: Timestamp(milliseconds: clock.timestamp.milliseconds + 86_400_000)).checkpoint)
        let cpR = try Checkpoint(body: rotated.text)
        (seen, _) = try witness.addCheckpoint(previous: seen, oldSize: seen.size, proof: try store.consistencyProof(from: seen.size, to: cpR.size),
                                              note: rotated, logKey: try verifier(key0), timestamp: 2)
        // The witness learns the new key from the log (the rotation entry it just cosigned) and uses it after.
        clock.advance(days: 2)
        let later = try #require(try await store.append(try party("later"), author: "t").first?.checkpoint)
        #expect(throws: Witness.Refusal.self) {
            try witness.addCheckpoint(previous: seen, oldSize: seen.size, proof: try store.consistencyProof(from: seen.size, to: cpR.size + 1),
                                      note: later, logKey: try verifier(key0), timestamp: 3)
        }
        let (cp, cosig) = try witness.addCheckpoint(previous: seen, oldSize: seen.size, proof: try store.consistencyProof(from: seen.size, to: cpR.size + 1),
                                                    note: later, logKey: try verifier(key1), timestamp: 3)
        #expect(cp.size == cpR.size + 1)
        try await store.addCosignature(size: cp.size, signature: cosig, verifier: try CosignatureVerifier(verifierKey: witness.signer.verifierKey))
        let bundle = try await store.proofBundle(sequence: 2)
        #expect(try bundle.verify(logKey: try verifier(key1), witnesses: [try CosignatureVerifier(verifierKey: witness.signer.verifierKey)]).1.count == 2)
    }
}
