/// The right edge of a Merkle tree (RFC 9162): the roots of its perfect subtrees, largest first — at most
/// one per bit of the size. It is all a follower needs to keep to extend a tree it has checked with new
/// leaves and recompute the root, so a monitor verifies every entry it is shown without storing them.
public struct CompactRange: Sendable, Hashable {
    /// The number of leaves covered.
    public private(set) var size: Int
    /// The perfect subtrees' roots, left to right (sizes are the set bits of `size`, largest first).
    public private(set) var hashes: [TreeHash]

    /// The empty tree.
    public init() { size = 0; hashes = [] }

    /// A range kept from before; refused when the number of hashes is not the number of set bits of `size`.
    public init(size: Int, hashes: [TreeHash]) throws(LogFormatError) {
        guard size >= 0, size.nonzeroBitCount == hashes.count else {
            throw LogFormatError("a compact range of size \(size) holds \(size.nonzeroBitCount) hashes, not \(hashes.count)")
        }
        self.size = size; self.hashes = hashes
    }

    /// Adds the leaf with hash `leaf` at index `size`.
    public mutating func append(_ leaf: TreeHash) {
        var h = leaf
        var n = size
        // Each trailing 1 bit of the old size is a subtree of the same height as the carry: merge them.
        while n & 1 == 1 {
            h = MerkleHasher.node(hashes.removeLast(), h)
            n >>= 1
        }
        hashes.append(h)
        size += 1
    }

    /// The root of the tree of `size` leaves.
    public var root: TreeHash {
        guard var r = hashes.last else { return MerkleHasher.empty }
        for h in hashes.dropLast().reversed() { r = MerkleHasher.node(h, r) }
        return r
    }
}
