import Crypto
import Foundation
import Testing
@testable import TransparencyLog

/// Proof text read strictly, 64-bit indexes and sizes, and ambiguous verifier keys.
@Suite("Strict proofs, 64-bit positions and unambiguous keys")
struct StrictInputTests {
    static let entries = (0..<7).map { [UInt8]("e\($0)".utf8) }
    static let levels = HashLevels(entries: entries)

    /// Hex of `n` bytes of 0xab: not a hash unless n is 32.
    func bytesHex(_ n: Int) -> String { String(repeating: "ab", count: n) }

    @Test func proofListsRefuseEmptyAndWrongSizedElementsWhereverTheyStand() throws {
        let proof = try MerkleTree.inclusionProof(index: 2, size: 7, reader: Self.levels)
        let (a, b, c) = (proof[0].hex, proof[1].hex, proof[2].hex)
        #expect(try ProofHashes.parse(list: "") == [])
        #expect(try ProofHashes.parse(list: "\(a),\(b),\(c)") == proof)
        #expect(try ProofHashes.parse(list: "\(a), \(b) ,\(c)") == proof)  // spaces around an element are not part of it
        for bad in [",", ",,", " ", ",\(a),\(b),\(c)", "\(a),,\(b),\(c)", "\(a),\(b),\(c),", "\(a),\(b),,\(c)", "\(a), ,\(b)",
                    "\(a),\(bytesHex(31))", "\(bytesHex(33)),\(a)", "\(a),\(b)\(c)", "\(a),zz"] {
            #expect(throws: LogFormatError.self, "\(bad)") { try ProofHashes.parse(list: bad) }
        }
        // Base64 lines: 32 bytes each, no empty line.
        let lines = proof.map(\.base64)
        #expect(try ProofHashes.parse(lines: lines) == proof)
        for bad in [[""], ["", lines[0]], [lines[0], ""], [lines[0], "", lines[1]], [Base64.encode([UInt8](repeating: 1, count: 31))],
                    [Base64.encode([UInt8](repeating: 1, count: 33))]] {
            #expect(throws: LogFormatError.self, "\(bad)") { try ProofHashes.parse(lines: bad) }
        }
        #expect {
            try ProofHashes.parse(list: "\(a),,\(b)", what: "--proof")
        } throws: { ($0 as? LogFormatError)?.message.contains("--proof element 2 of 3: empty") == true }
    }

    @Test func proofBundlesRefuseAnEmptyLineAmongTheirHashes() throws {
        let log = try Ed25519NoteSigner(name: "assay.example/log")
        let key = try Ed25519NoteVerifier(verifierKey: log.verifierKey)
        func bundle(index: Int, size: Int) throws -> ProofBundle {
            let cp = Checkpoint(origin: log.name, size: size, root: try MerkleTree.rootHash(size: size, reader: Self.levels))
            return ProofBundle(extra: Self.entries[index], index: index, proof: try MerkleTree.inclusionProof(index: index, size: size, reader: Self.levels),
                               checkpoint: try log.signNote(cp.body))
        }
        let full = try bundle(index: 2, size: 7)
        #expect(try ProofBundle(text: full.text).verify(logKey: key).0.size == 7)
        let hashes = full.proof.map { $0.base64 + "\n" }
        let head = "\(ProofBundle.header)\nextra \(Base64.encode(Self.entries[2]))\nindex 2\n"
        let tail = "\n" + full.checkpoint.serialized
        #expect(head + hashes.joined() + tail == full.text)
        // An empty line first, in the middle, last, and twice.
        func emptyLines(_ count: Int, at i: Int) -> String {
            (hashes.prefix(i) + Array(repeating: "\n", count: count) + hashes.dropFirst(i)).joined()
        }
        for lines in [emptyLines(1, at: 0), emptyLines(1, at: 1), emptyLines(1, at: hashes.count), emptyLines(2, at: 2)] {
            let text = head + lines + tail
            #expect(throws: LogFormatError.self, "\(text)") { try ProofBundle(text: text) }
        }
        // A one-entry tree: its proof is empty; an empty line where it would be is refused.
        let one = try bundle(index: 0, size: 1)
        #expect(try ProofBundle(text: one.text).proof.isEmpty)
        let lone = one.text.replacingOccurrences(of: "index 0\n\n", with: "index 0\n\n\n")
        #expect {
            try ProofBundle(text: lone)
        } throws: { ($0 as? LogFormatError)?.message.contains("empty line") == true }
        // A proof line that is not 32 bytes.
        let short = head + Base64.encode([UInt8](repeating: 1, count: 31)) + "\n" + hashes.dropFirst().joined() + tail
        #expect(throws: LogFormatError.self) { try ProofBundle(text: short) }
    }

    @Test func addCheckpointRequestsRefuseAnEmptyProofLine() throws {
        let log = try Ed25519NoteSigner(name: "assay.example/log")
        let note = try log.signNote(Checkpoint(origin: log.name, size: 7, root: try MerkleTree.rootHash(size: 7, reader: Self.levels)).body)
        let proof = try MerkleTree.consistencyProof(from: 3, to: 7, reader: Self.levels)
        let request = Witness.request(oldSize: 3, proof: proof, note: note)
        #expect(try Witness.parseRequest(request).proof == proof)
        for bad in [request.replacingOccurrences(of: "old 3\n", with: "old 3\n\n"),
                    request.replacingOccurrences(of: proof[0].base64 + "\n", with: proof[0].base64 + "\n\n")] {
            #expect(throws: LogFormatError.self) { try Witness.parseRequest(bad) }
        }
    }

    @Test func verifiersAnswerOverTheWholeUInt64Range() {
        let leaf = MerkleHasher.leaf(Array("last".utf8))
        let left = MerkleHasher.leaf(Array("the first 2^63 leaves".utf8))  // stands for MTH(D[0:2^63])
        let half = UInt64(1) << 63
        // The tree of 2^63 + 1 leaves: its root is node(MTH(D[0:2^63]), the last leaf).
        let root = MerkleHasher.node(left, leaf)
        #expect(MerkleVerifier.verifyInclusion(leaf: leaf, index: half, size: half + 1, proof: [left], root: root))
        #expect(!MerkleVerifier.verifyInclusion(leaf: leaf, index: half - 1, size: half + 1, proof: [left], root: root))
        #expect(MerkleVerifier.verifyConsistency(size1: half, size2: half + 1, root1: left, root2: root, proof: [leaf]))
        #expect(!MerkleVerifier.verifyConsistency(size1: half, size2: half + 1, root1: left, root2: root, proof: [leaf, leaf]))
        #expect(!MerkleVerifier.verifyConsistency(size1: half + 1, size2: half + 1, root1: left, root2: root, proof: []))
        // The largest tree, 2^64 - 1 leaves, is 64 complete subtrees of 2^63, 2^62, …, 1 leaves: its last
        // leaf's proof is the other 63 subtrees' hashes, smallest first.
        let max = UInt64.max
        let junk = (0..<70).map { MerkleHasher.leaf([UInt8($0)]) }
        let subtrees = Array(junk.prefix(63))
        let rootMax = subtrees.reduce(leaf) { MerkleHasher.node($1, $0) }
        #expect(MerkleVerifier.verifyInclusion(leaf: leaf, index: max - 1, size: max, proof: subtrees, root: rootMax))
        #expect(!MerkleVerifier.verifyInclusion(leaf: leaf, index: max - 1, size: max, proof: Array(subtrees.dropLast()), root: rootMax))
        #expect(!MerkleVerifier.verifyInclusion(leaf: leaf, index: max - 2, size: max, proof: subtrees, root: rootMax))
        // From the first 2^63 leaves to all 2^64 - 1: the proof is the hash of the other 2^63 - 1.
        #expect(MerkleVerifier.verifyConsistency(size1: half, size2: max, root1: left, root2: MerkleHasher.node(left, junk[0]), proof: [junk[0]]))
        for n in [0, 1, 63, 64, 65, 70] {
            let proof = Array(junk.prefix(n))
            #expect(!MerkleVerifier.verifyInclusion(leaf: leaf, index: max, size: max, proof: proof, root: root))
            #expect(!MerkleVerifier.verifyInclusion(leaf: leaf, index: max - 1, size: max, proof: proof, root: root))
            #expect(!MerkleVerifier.verifyInclusion(leaf: leaf, index: 0, size: max, proof: proof, root: root))
            #expect(!MerkleVerifier.verifyInclusion(leaf: leaf, index: max, size: 7, proof: proof, root: root))
            #expect(!MerkleVerifier.verifyConsistency(size1: max, size2: max - 1, root1: root, root2: root, proof: proof))
            #expect(!MerkleVerifier.verifyConsistency(size1: max - 1, size2: max, root1: root, root2: root, proof: proof))
            #expect(!MerkleVerifier.verifyConsistency(size1: 1, size2: max, root1: root, root2: root, proof: proof))
            #expect(!MerkleVerifier.verifyConsistency(size1: half, size2: max, root1: root, root2: root, proof: proof))
        }
        #expect(MerkleVerifier.verifyConsistency(size1: max, size2: max, root1: root, root2: root, proof: []))
        // The Int entry points: negative positions are no positions.
        #expect(!MerkleVerifier.verifyInclusion(leaf: leaf, index: -1, size: 7, proof: [], root: root))
        #expect(!MerkleVerifier.verifyConsistency(size1: -1, size2: 7, root1: root, root2: root, proof: []))
        #expect(!MerkleVerifier.verifyConsistency(size1: 1, size2: -7, root1: root, root2: root, proof: []))
    }

    @Test func aVerifierKeyGivenTwiceIsAmbiguous() throws {
        let log = try Ed25519NoteSigner(name: "assay.example/log")
        let note = try log.signNote(Checkpoint(origin: log.name, size: 1, root: MerkleHasher.leaf([1])).body)
        let v = try Ed25519NoteVerifier(verifierKey: log.verifierKey)
        #expect(try note.verify(with: [v]) == [log.name])
        let id = "assay.example/log+" + String(log.keyID, radix: 16).leftPadded(to: 8)
        #expect {
            try note.verify(with: [v, try Ed25519NoteVerifier(verifierKey: log.verifierKey)])
        } throws: { ($0 as? NoteVerificationError)?.message.contains("ambiguous key \(id)") == true }
        // Another key of the same name is not the same key: allowed (its signature is simply absent).
        let other = try Ed25519NoteVerifier(verifierKey: try Ed25519NoteSigner(name: log.name).verifierKey)
        #expect(try note.verify(with: [v, other]) == [log.name])
        #expect(throws: NoteVerificationError.self) { try NoteKeys.checkUnambiguous([other, v, other]) }
    }
}

extension String {
    func leftPadded(to n: Int) -> String { String(repeating: "0", count: Swift.max(0, n - count)) + self }
}
