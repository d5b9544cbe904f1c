import Testing
@testable import TransparencyLog

@Suite("Checkpoints, signed notes, cosignatures, tiles and proof bundles")
struct NoteTests {
    // The reference vector of golang.org/x/mod/sumdb/note (its package documentation).
    static let goVKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let goSKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let goText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let goNote = goText + "\n— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"

    @Test func verifiesTheGoReferenceNote() throws {
        let v = try Ed25519NoteVerifier(verifierKey: Self.goVKey)
        #expect(v.keyID == 0xc74f20a3)
        let note = try SignedNote(Self.goNote)
        #expect(note.text == Self.goText)
        #expect(try note.verify(with: [v]) == ["PeterNeumann"])
        #expect(note.serialized == Self.goNote)
        let signer = try Ed25519NoteSigner(privateKey: Self.goSKey)
        #expect(signer.verifierKey == Self.goVKey)
        #expect(signer.privateKeyString == Self.goSKey)
        // Ed25519 (RFC 8032) is deterministic: the same key and text give Go's signature.
        #expect(try signer.signNote(Self.goText).serialized == Self.goNote)
    }

    @Test func severalSignaturesUnknownKeysAndBadLines() throws {
        let log = try Ed25519NoteSigner(name: "assay.example/log")
        let other = try Ed25519NoteSigner(name: "other.example")
        let witness = try CosignatureSigner(name: "witness.example/w1")
        let cp = Checkpoint(origin: "assay.example/log", size: 7, root: MerkleHasher.leaf([1]))
        var note = try log.signNote(cp.body)
        note.signatures.append(try other.sign(cp.body))
        note.signatures.append(try witness.cosign(body: cp.body, timestamp: 1_795_000_000))
        let parsed = try SignedNote(note.serialized)
        let logV = try Ed25519NoteVerifier(verifierKey: log.verifierKey)
        // Only the given key counts; the others are ignored, as the spec requires.
        #expect(try parsed.verify(with: [logV]) == ["assay.example/log"])
        let witnessV = try CosignatureVerifier(verifierKey: witness.verifierKey)
        #expect(try parsed.verify(with: [logV, witnessV]) == ["assay.example/log", "witness.example/w1"])
        #expect(CosignatureVerifier.timestamp(of: parsed.signatures[2]) == 1_795_000_000)
        // Only unknown keys: refused.
        #expect(throws: NoteVerificationError.self) { try parsed.verify(with: [try Ed25519NoteVerifier(verifierKey: Self.goVKey)]) }
        // A known key whose signature fails: refused, even if another verifies.
        var tampered = parsed
        tampered.signatures[1] = NoteSignature(name: other.name, keyID: other.keyID, signature: [UInt8](repeating: 7, count: 64))
        let otherV = try Ed25519NoteVerifier(verifierKey: other.verifierKey)
        #expect(throws: NoteVerificationError.self) { try tampered.verify(with: [logV, otherV]) }
        // Changed text: the log's signature no longer verifies.
        let changed = SignedNote(text: cp.body.replacingOccurrences(of: "\n7\n", with: "\n8\n"), signatures: parsed.signatures)
        #expect(throws: NoteVerificationError.self) { try changed.verify(with: [logV]) }
        // Same name, other key ID: ignored; same key ID, other name: ignored.
        #expect(throws: NoteVerificationError.self) {
            try SignedNote(text: cp.body, signatures: [NoteSignature(name: log.name, keyID: log.keyID ^ 1, signature: parsed.signatures[0].signature)]).verify(with: [logV])
        }
    }

    @Test(arguments: [
        "no blank line\n— a AAAAAAAA\n",
        "text\n\n- a AAAAAAAAAA==\n",
        "text\n\n— a+b AAAAAAAAAA==\n",
        "text\n\n— a !!!!\n",
        "text\n\n",
        "te\u{01}xt\n\n— a AAAAAAAAAA==\n",
        "text\n\n— a AAAAAAAAAA==",
    ])
    func malformedNotesAreRefused(note: String) {
        #expect(throws: LogFormatError.self) { try SignedNote(note) }
    }

    @Test func checkpointsRoundTripAndRejectBadLines() throws {
        let cp = Checkpoint(origin: "assay.example/log", size: 20_852_163, root: MerkleHasher.empty, extensions: ["ext one"])
        #expect(cp.body == "assay.example/log\n20852163\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\n")
        #expect(try Checkpoint(body: cp.body) == cp)
        for bad in ["o\n12\n", "o\n012\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "o\n-1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n",
                    "o\n1\nnotbase64\n", "\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", "o\n1\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="] {
            #expect(throws: LogFormatError.self) { try Checkpoint(body: bad) }
        }
    }

    @Test func tilePathsFollowTheSpec() throws {
        #expect(Tile(level: 0, index: 1_234_067).path == "tile/0/x001/x234/067")
        #expect(Tile(level: 1, index: 5, width: 17).path == "tile/1/005.p/17")
        #expect(Tile(level: nil, index: 1000).path == "tile/entries/x001/000")
        for t in [Tile(level: 0, index: 1_234_067), Tile(level: 2, index: 0, width: 3), Tile(level: nil, index: 999_999, width: 255)] {
            #expect(try Tile(path: t.path) == t)
        }
        for bad in ["tile/0/1234067", "tile/0/x1/234", "tile/0/001.p/256", "tile/0/001.p/0", "tile/-1/001", "tile/a/001", "tile/0/x000/001"] {
            #expect(throws: LogFormatError.self) { try Tile(path: bad) }
        }
        #expect(Tile.width(level: 0, index: 0, treeSize: 300) == 256)
        #expect(Tile.width(level: 0, index: 1, treeSize: 300) == 44)
        #expect(Tile.width(level: 1, index: 0, treeSize: 300) == 1)
        #expect(Tile.width(level: 0, index: 2, treeSize: 300) == nil)
        let bundle = try Tile.bundle([[1, 2], [], [3]])
        #expect(bundle == [0, 2, 1, 2, 0, 0, 0, 1, 3])
        #expect(try Tile.entries(ofBundle: bundle) == [[1, 2], [], [3]])
        #expect(throws: LogFormatError.self) { try Tile.entries(ofBundle: [0, 5, 1]) }
    }

    @Test func tilesCarryTheStoredHashes() throws {
        let entries = (0..<600).map { [UInt8]("e\($0)".utf8) }
        let levels = HashLevels(entries: entries)
        let t0 = try Tile(level: 0, index: 1, width: 88).hashes(reader: levels)
        #expect(t0.count == 88 * 32)
        #expect(Array(t0.prefix(32)) == MerkleHasher.leaf(entries[256]).bytes)
        let t1 = try Tile(level: 1, index: 0, width: 2).hashes(reader: levels)
        #expect(Array(t1.prefix(32)) == (try MerkleTree.rangeHash(0, 256, reader: levels)).bytes)
        #expect(throws: (any Error).self) { try Tile(level: 1, index: 0, width: 3).hashes(reader: levels) }
    }

    @Test func proofBundlesVerifyOfflineAndCatchTampering() throws {
        let entries = (0..<42).map { [UInt8]("entry \($0)".utf8) }
        let levels = HashLevels(entries: entries)
        let log = try Ed25519NoteSigner(name: "assay.example/log")
        let cp = Checkpoint(origin: log.name, size: 42, root: try MerkleTree.rootHash(size: 42, reader: levels))
        let bundle = ProofBundle(extra: entries[17], index: 17, proof: try MerkleTree.inclusionProof(index: 17, size: 42, reader: levels),
                                 checkpoint: try log.signNote(cp.body))
        let parsed = try ProofBundle(text: bundle.text)
        #expect(parsed == bundle)
        let key = try Ed25519NoteVerifier(verifierKey: log.verifierKey)
        #expect(try parsed.verify(logKey: key).0.size == 42)
        var wrongEntry = parsed
        wrongEntry.extra = entries[18]
        #expect(throws: NoteVerificationError.self) { try wrongEntry.verify(logKey: key) }
        var wrongIndex = parsed
        wrongIndex.index = 16
        #expect(throws: NoteVerificationError.self) { try wrongIndex.verify(logKey: key) }
        let otherKey = try Ed25519NoteVerifier(verifierKey: try Ed25519NoteSigner(name: log.name).verifierKey)
        #expect(throws: NoteVerificationError.self) { try parsed.verify(logKey: otherKey) }
    }

    @Test func aWitnessCosignsOnlyConsistentGrowth() throws {
        let entries = (0..<20).map { [UInt8]("w\($0)".utf8) }
        let levels = HashLevels(entries: entries)
        let log = try Ed25519NoteSigner(name: "assay.example/log")
        let logKey = try Ed25519NoteVerifier(verifierKey: log.verifierKey)
        let witness = Witness(signer: try CosignatureSigner(name: "witness.example/w1"))
        func note(_ n: Int) throws -> SignedNote {
            try log.signNote(Checkpoint(origin: log.name, size: n, root: try MerkleTree.rootHash(size: n, reader: levels)).body)
        }
        let (first, sig1) = try witness.addCheckpoint(previous: nil, oldSize: 0, proof: [], note: try note(10), logKey: logKey, timestamp: 100)
        #expect(CosignatureVerifier.timestamp(of: sig1) == 100)
        let proof = try MerkleTree.consistencyProof(from: 10, to: 20, reader: levels)
        let req = Witness.request(oldSize: 10, proof: proof, note: try note(20))
        let parsed = try Witness.parseRequest(req)
        let (second, sig2) = try witness.addCheckpoint(previous: first, oldSize: parsed.oldSize, proof: parsed.proof, note: parsed.note, logKey: logKey, timestamp: 200)
        #expect(second.size == 20)
        var cosigned = parsed.note
        cosigned.signatures.append(sig2)
        #expect(try cosigned.verify(with: [logKey, try CosignatureVerifier(verifierKey: witness.signer.verifierKey)]).count == 2)
        #expect(throws: Witness.Refusal.conflict(known: 20)) {
            _ = try witness.addCheckpoint(previous: second, oldSize: 10, proof: proof, note: try note(20), logKey: logKey, timestamp: 300)
        }
        // A forked tree of the same size: inconsistent.
        let forked = HashLevels(entries: entries.prefix(5) + [[9, 9, 9]] + entries.dropFirst(6))
        let forkNote = try log.signNote(Checkpoint(origin: log.name, size: 20, root: try MerkleTree.rootHash(size: 20, reader: forked)).body)
        #expect {
            _ = try witness.addCheckpoint(previous: first, oldSize: 10, proof: try MerkleTree.consistencyProof(from: 10, to: 20, reader: forked),
                                          note: forkNote, logKey: logKey, timestamp: 300)
        } throws: { ($0 as? Witness.Refusal).map { if case .inconsistent = $0 { true } else { false } } ?? false }
    }
}

@Suite("Witness policies: which cosignatures make a checkpoint final")
struct WitnessPolicyTests {
    @Test func kOfNGroupsAndNestedGroups() throws {
        let keys = try (0..<4).map { try CosignatureSigner(name: "w\($0).example") }
        let policy = try WitnessPolicy(text: """
            # two of three, and the fourth
            witness a \(keys[0].verifierKey)
            witness b \(keys[1].verifierKey)
            witness c \(keys[2].verifierKey)   # trailing comment
            witness d \(keys[3].verifierKey)
            group two 2 a b c
            group final all two d
            quorum final
            """)
        #expect(!policy.isSatisfied(by: ["a", "b"]) && !policy.isSatisfied(by: ["a", "d"]))
        #expect(policy.isSatisfied(by: ["a", "c", "d"]) && policy.isSatisfied(by: ["a", "b", "c", "d"]))
        // Cosignatures are counted only when they verify over the note's text.
        let note = SignedNote(text: "example.org/log\n3\n\(MerkleHasher.empty.base64)\n", signatures: [])
        var signed = note
        signed.signatures = [try keys[0].cosign(body: note.text, timestamp: 1), try keys[3].cosign(body: note.text, timestamp: 1),
                             try keys[1].cosign(body: "another text\n", timestamp: 1)]
        #expect(policy.cosigners(of: signed) == ["a", "d"])
    }

    @Test func errorsNameTheLine() {
        let k = (try? CosignatureSigner(name: "w.example"))?.verifierKey ?? ""
        for (text, line) in [("witness a\nquorum a", "line 1"), ("witness a \(k)\ngroup g 3 a\nquorum g", "line 2"),
                             ("witness a \(k)\ngroup g any b\nquorum g", "line 2"), ("witness a \(k)\nquorum b", "line 2"),
                             ("witness a \(k)\nfrobnicate\nquorum a", "line 2"), ("witness a \(k)", "no quorum")] {
            #expect(throws: LogFormatError.self, "\(text)") { try WitnessPolicy(text: text) }
            do { _ = try WitnessPolicy(text: text) } catch { #expect(error.message.contains(line), "\(error.message)") }
        }
    }
}
