import Crypto
import PropertyBased
import Testing
@testable import TransparencyLog

/// An independent reference: RFC 9162 §2.1 written as its recursive definitions over raw leaf data,
/// with SHA-256 from swift-crypto directly (not through MerkleHasher).
enum Reference {
    static func sha(_ bytes: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: bytes)) }
    static func mth(_ d: ArraySlice<[UInt8]>) -> [UInt8] {
        if d.isEmpty { return sha([]) }
        if d.count == 1 { return sha([0] + d[d.startIndex]) }
        var k = 1
        while k * 2 < d.count { k *= 2 }
        return sha([1] + mth(d.prefix(k)) + mth(d.dropFirst(k)))
    }
    static func path(_ m: Int, _ d: ArraySlice<[UInt8]>) -> [[UInt8]] {
        if d.count <= 1 { return [] }
        var k = 1
        while k * 2 < d.count { k *= 2 }
        return m < k ? path(m, d.prefix(k)) + [mth(d.dropFirst(k))] : path(m - k, d.dropFirst(k)) + [mth(d.prefix(k))]
    }
    static func subproof(_ m: Int, _ d: ArraySlice<[UInt8]>, _ b: Bool) -> [[UInt8]] {
        if m == d.count { return b ? [] : [mth(d)] }
        var k = 1
        while k * 2 < d.count { k *= 2 }
        return m <= k ? subproof(m, d.prefix(k), b) + [mth(d.dropFirst(k))] : subproof(m - k, d.dropFirst(k), false) + [mth(d.prefix(k))]
    }
    static func leaves(_ n: Int) -> [[UInt8]] { (0..<n).map { Array("entry \($0)".utf8) } }
}

@Suite("RFC 9162 Merkle trees, proofs and verifiers")
struct MerkleTests {
    static let maxSize = 300
    static let data = Reference.leaves(maxSize)
    static let store = HashLevels(entries: data)

    func h(_ b: [UInt8]) -> TreeHash { TreeHash(bytes: b)! }

    @Test func hashingMatchesTheDefinition() {
        #expect(MerkleHasher.empty.hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(MerkleHasher.leaf([UInt8]()).bytes == Reference.sha([0]))
        let a = MerkleHasher.leaf(Array("a".utf8)), b = MerkleHasher.leaf(Array("b".utf8))
        #expect(MerkleHasher.node(a, b).bytes == Reference.sha([1] + a.bytes + b.bytes))
    }

    @Test func rootsMatchTheReferenceForEverySize() throws {
        for n in 0...Self.maxSize {
            #expect(try MerkleTree.rootHash(size: n, reader: Self.store).bytes == Reference.mth(Self.data.prefix(n)[...]), "size \(n)")
        }
    }

    @Test func inclusionProofsMatchAndVerifyForEveryIndexAndSize() throws {
        for n in 1...64 {
            let root = try MerkleTree.rootHash(size: n, reader: Self.store)
            for m in 0..<n {
                let proof = try MerkleTree.inclusionProof(index: m, size: n, reader: Self.store)
                #expect(proof.map(\.bytes) == Reference.path(m, Self.data.prefix(n)[...]))
                #expect(MerkleVerifier.verifyInclusion(leaf: try Self.store.hash(level: 0, index: m), index: m, size: n, proof: proof, root: root))
            }
        }
    }

    @Test func consistencyProofsMatchAndVerifyForEveryPairOfSizes() throws {
        let roots = try (0...Self.maxSize).map { try MerkleTree.rootHash(size: $0, reader: Self.store) }
        for n in 1...Self.maxSize {
            for m in 1...n {
                let proof = try MerkleTree.consistencyProof(from: m, to: n, reader: Self.store)
                if m < n, n <= 64 { #expect(proof.map(\.bytes) == Reference.subproof(m, Self.data.prefix(n)[...], true)) }
                #expect(MerkleVerifier.verifyConsistency(size1: m, size2: n, root1: roots[m], root2: roots[n], proof: proof), "\(m)→\(n)")
            }
            #expect(MerkleVerifier.verifyConsistency(size1: 0, size2: n, root1: MerkleHasher.empty, root2: roots[n], proof: []))
        }
    }

    @Test func corruptedInclusionProofsFail() async throws {
        await propertyCheck(count: 400, input: Gen.int(in: 2...Self.maxSize), Gen.int(in: 0...10_000), Gen.int(in: 0...7)) { n, pick, bit in
            let m = pick % n
            let root = try MerkleTree.rootHash(size: n, reader: Self.store)
            let leaf = try Self.store.hash(level: 0, index: m)
            let proof = try MerkleTree.inclusionProof(index: m, size: n, reader: Self.store)
            #expect(MerkleVerifier.verifyInclusion(leaf: leaf, index: m, size: n, proof: proof, root: root))
            if !proof.isEmpty {
                var flipped = proof.map(\.bytes)
                let at = pick % flipped.count
                flipped[at][pick % 32] ^= UInt8(1 << bit)
                #expect(!MerkleVerifier.verifyInclusion(leaf: leaf, index: m, size: n, proof: flipped.map { TreeHash(bytes: $0)! }, root: root))
                #expect(!MerkleVerifier.verifyInclusion(leaf: leaf, index: m, size: n, proof: Array(proof.dropLast()), root: root))
            }
            #expect(!MerkleVerifier.verifyInclusion(leaf: leaf, index: m, size: n, proof: proof + [leaf], root: root))
            #expect(!MerkleVerifier.verifyInclusion(leaf: leaf, index: (m + 1) % n, size: n, proof: proof, root: root) || (m + 1) % n == m)
            // A wrong size, with that size's root: fails unless the two proofs happen to be the same hashes.
            if n < Self.maxSize {
                let rootN1 = try MerkleTree.rootHash(size: n + 1, reader: Self.store)
                let same = try MerkleTree.inclusionProof(index: m, size: n + 1, reader: Self.store) == proof
                #expect(!MerkleVerifier.verifyInclusion(leaf: leaf, index: m, size: n + 1, proof: proof, root: rootN1) || same)
            }
            #expect(!MerkleVerifier.verifyInclusion(leaf: leaf, index: n, size: n, proof: proof, root: root))
            let other = try Self.store.hash(level: 0, index: (m + 1) % n)
            #expect(!MerkleVerifier.verifyInclusion(leaf: other, index: m, size: n, proof: proof, root: root) || other == leaf)
        }
    }

    @Test func corruptedConsistencyProofsFail() async throws {
        await propertyCheck(count: 400, input: Gen.int(in: 2...Self.maxSize), Gen.int(in: 0...10_000), Gen.int(in: 0...7)) { n, pick, bit in
            let m = 1 + pick % (n - 1)  // 1 ≤ m < n
            let r1 = try MerkleTree.rootHash(size: m, reader: Self.store), r2 = try MerkleTree.rootHash(size: n, reader: Self.store)
            let proof = try MerkleTree.consistencyProof(from: m, to: n, reader: Self.store)
            #expect(MerkleVerifier.verifyConsistency(size1: m, size2: n, root1: r1, root2: r2, proof: proof))
            var flipped = proof.map(\.bytes)
            flipped[pick % flipped.count][pick % 32] ^= UInt8(1 << bit)
            #expect(!MerkleVerifier.verifyConsistency(size1: m, size2: n, root1: r1, root2: r2, proof: flipped.map { TreeHash(bytes: $0)! }))
            #expect(!MerkleVerifier.verifyConsistency(size1: m, size2: n, root1: r1, root2: r2, proof: Array(proof.dropLast())))
            #expect(!MerkleVerifier.verifyConsistency(size1: m, size2: n, root1: r1, root2: r2, proof: proof + [r1]))
            if n < Self.maxSize {
                let rN1 = try MerkleTree.rootHash(size: n + 1, reader: Self.store)
                let same = try MerkleTree.consistencyProof(from: m, to: n + 1, reader: Self.store) == proof
                #expect(!MerkleVerifier.verifyConsistency(size1: m, size2: n + 1, root1: r1, root2: rN1, proof: proof) || same)
            }
            #expect(!MerkleVerifier.verifyConsistency(size1: m, size2: n, root1: r2, root2: r2, proof: proof) || r1 == r2)
            #expect(!MerkleVerifier.verifyConsistency(size1: n, size2: m, root1: r2, root2: r1, proof: proof))
        }
    }

    @Test func edgeCasesOfConsistency() throws {
        let r5 = try MerkleTree.rootHash(size: 5, reader: Self.store)
        #expect(MerkleVerifier.verifyConsistency(size1: 5, size2: 5, root1: r5, root2: r5, proof: []))
        #expect(!MerkleVerifier.verifyConsistency(size1: 5, size2: 5, root1: r5, root2: MerkleHasher.empty, proof: []))
        #expect(!MerkleVerifier.verifyConsistency(size1: 0, size2: 5, root1: MerkleHasher.empty, root2: r5, proof: [r5]))
        #expect(try MerkleTree.consistencyProof(from: 0, to: 5, reader: Self.store).isEmpty)
        #expect(throws: ProofError.self) { try MerkleTree.consistencyProof(from: 6, to: 5, reader: Self.store) }
        #expect(throws: ProofError.self) { try MerkleTree.inclusionProof(index: 5, size: 5, reader: Self.store) }
    }

    @Test func encodings() {
        let h = MerkleHasher.leaf(Array("x".utf8))
        #expect(TreeHash(hex: h.hex) == h)
        #expect(TreeHash(base64: h.base64) == h)
        #expect(Base64.encode(Array("any carnal pleas".utf8)) == "YW55IGNhcm5hbCBwbGVhcw==")
        #expect(Base64.decode("YW55IGNhcm5hbCBwbGVhcw==") == Array("any carnal pleas".utf8))
        #expect(Base64.decode("YW55IGNhcm5hbCBwbGVhcx==") == nil)  // non-canonical padding bits
        #expect(Base64.decode("YW55*") == nil)
        #expect(TreeHash(hex: "abc") == nil)
    }
}

@Suite("The compact range a monitor keeps")
struct CompactRangeTests {
    @Test func extendsToTheSameRootAsTheWholeTree() throws {
        let leaves = Reference.leaves(70)
        for split in [0, 1, 5, 16, 33, 64, 69, 70] {
            var first = CompactRange()
            for l in leaves.prefix(split) { first.append(MerkleHasher.leaf(l)) }
            #expect(first.root == TreeHash(bytes: Reference.mth(leaves.prefix(split)))!)
            // Kept as (size, hashes), read back, extended with the rest: the root of all 70.
            var resumed = try CompactRange(size: first.size, hashes: first.hashes)
            for l in leaves.dropFirst(split) { resumed.append(MerkleHasher.leaf(l)) }
            #expect(resumed.root == TreeHash(bytes: Reference.mth(leaves[...]))!, "split \(split)")
        }
        #expect(throws: LogFormatError.self) { try CompactRange(size: 3, hashes: [MerkleHasher.empty]) }
    }
}
