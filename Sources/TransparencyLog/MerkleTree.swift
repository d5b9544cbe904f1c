/// Reads the hash of a complete subtree: `2^level` leaves starting at leaf `index << level`.
/// Tiles, an in-memory store or a database can answer it; proofs never rehash leaves.
public protocol HashReader {
    func hash(level: Int, index: Int) throws -> TreeHash
}

/// Why a proof could not be made.
public struct ProofError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// Tree hashes and the proofs of RFC 9162 §2.1, built from complete-subtree hashes.
///
/// For example:
/// ```swift
/// let store = MemoryHashStore()
/// for e in entries { store.append(MerkleHasher.leaf(e)) }
/// let root = try MerkleTree.rootHash(size: store.size, reader: store)
/// let path = try MerkleTree.inclusionProof(index: 3, size: store.size, reader: store)
/// ```
public enum MerkleTree {
    /// The largest power of two strictly below `n` (n ≥ 2): RFC 9162's split point `k`.
    @inline(__always)
    public static func split(_ n: Int) -> Int { 1 << (Int.bitWidth - 1 - (n - 1).leadingZeroBitCount) }

    /// MTH of leaves `[start, end)`, from the aligned complete subtrees that make up the range.
    public static func rangeHash(_ start: Int, _ end: Int, reader: some HashReader) throws -> TreeHash {
        let n = end - start
        if n & (n - 1) == 0, start % n == 0 {
            return try reader.hash(level: n.trailingZeroBitCount, index: start >> n.trailingZeroBitCount)
        }
        let k = split(n)
        return MerkleHasher.node(try rangeHash(start, start + k, reader: reader), try rangeHash(start + k, end, reader: reader))
    }

    /// The root hash of the first `size` leaves (`SHA-256()` for the empty tree).
    public static func rootHash(size: Int, reader: some HashReader) throws -> TreeHash {
        guard size > 0 else { return MerkleHasher.empty }
        return try rangeHash(0, size, reader: reader)
    }

    /// RFC 9162 §2.1.3.1 PATH(index, D[0:size]): sibling hashes from the leaf up.
    public static func inclusionProof(index: Int, size: Int, reader: some HashReader) throws -> [TreeHash] {
        guard index >= 0, index < size else { throw ProofError("index \(index) is not in a tree of size \(size)") }
        var proof: [TreeHash] = []
        // Walk down from the root, collecting the sibling at each split, then reverse (leaf first).
        var start = 0, end = size
        while end - start > 1 {
            let k = split(end - start)
            if index - start < k {
                proof.append(try rangeHash(start + k, end, reader: reader))
                end = start + k
            } else {
                proof.append(try rangeHash(start, start + k, reader: reader))
                start += k
            }
        }
        return proof.reversed()
    }

    /// RFC 9162 §2.1.4.1 PROOF(m, D[0:n]). From size 0, and between equal sizes, the proof is empty.
    public static func consistencyProof(from m: Int, to n: Int, reader: some HashReader) throws -> [TreeHash] {
        guard m >= 0, m <= n else { throw ProofError("cannot prove consistency from size \(m) to the smaller size \(n)") }
        if m == 0 || m == n { return [] }
        var proof: [TreeHash] = []
        // SUBPROOF(m, D[start:end], complete), iteratively; appended outermost last, so collect then reverse.
        var start = 0, end = n, mm = m, complete = true
        while true {
            let size = end - start
            if mm == size {
                if !complete { proof.append(try rangeHash(start, end, reader: reader)) }
                break
            }
            let k = split(size)
            if mm <= k {
                proof.append(try rangeHash(start + k, end, reader: reader))
                end = start + k
            } else {
                proof.append(try rangeHash(start, start + k, reader: reader))
                start += k
                mm -= k
                complete = false
            }
        }
        return proof.reversed()
    }
}

/// Every complete-subtree hash of a growing tree, in memory: level 0 holds the leaf hashes, level `l`
/// the hashes of aligned runs of `2^l` leaves. About two hashes (64 bytes) per leaf. A value type,
/// appended to in place; share it between tasks inside a `Mutex`.
public struct MemoryHashStore: HashReader, Sendable {
    public private(set) var levels: [[TreeHash]] = [[]]

    public init() {}

    public var size: Int { levels[0].count }

    /// Appends a leaf hash and every subtree hash it completes.
    public mutating func append(_ leaf: TreeHash) {
        levels[0].append(leaf)
        var level = 0
        var index = levels[0].count - 1
        while index & 1 == 1 {
            let parent = MerkleHasher.node(levels[level][index - 1], levels[level][index])
            level += 1
            if levels.count == level { levels.append([]) }
            levels[level].append(parent)
            index >>= 1
        }
    }

    public mutating func reserve(_ leaves: Int) {
        levels[0].reserveCapacity(leaves)
    }

    /// Drops everything after the first `size` leaves (to undo a batch that was not made durable).
    public mutating func truncate(to size: Int) {
        for l in 0..<levels.count {
            let keep = size >> l
            if levels[l].count > keep { levels[l].removeLast(levels[l].count - keep) }
        }
    }

    public func hash(level: Int, index: Int) throws -> TreeHash {
        guard level < levels.count, index < levels[level].count, index >= 0 else {
            throw ProofError("no complete subtree at level \(level), index \(index) in a tree of size \(size)")
        }
        return levels[level][index]
    }
}

/// An immutable copy of a ``MemoryHashStore``'s hashes, safe to share between tasks.
public struct HashLevels: HashReader, Sendable {
    public let levels: [[TreeHash]]
    public var size: Int { levels.first?.count ?? 0 }

    public init(levels: [[TreeHash]]) { self.levels = levels }

    /// Hashes every entry and builds every level.
    public init<S: Sequence>(entries: S) where S.Element == [UInt8] {
        var store = MemoryHashStore()
        for e in entries { store.append(MerkleHasher.leaf(e)) }
        levels = store.levels
    }

    public func hash(level: Int, index: Int) throws -> TreeHash {
        guard level < levels.count, index >= 0, index < levels[level].count else {
            throw ProofError("no complete subtree at level \(level), index \(index) in a tree of size \(size)")
        }
        return levels[level][index]
    }
}
