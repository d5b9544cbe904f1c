/// The proof verifiers of RFC 9162 §2.1.3.2 (inclusion) and §2.1.4.2 (consistency), step by step.
/// They need nothing but their arguments, so anyone can check a proof offline.
public enum MerkleVerifier {
    /// Whether `proof` shows the leaf with hash `leaf` at `index` in the tree of `size` with root `root`.
    /// A negative index or size is no tree position: `false`.
    public static func verifyInclusion(leaf: TreeHash, index: Int, size: Int, proof: [TreeHash], root: TreeHash) -> Bool {
        guard index >= 0, size >= 0 else { return false }
        return verifyInclusion(leaf: leaf, index: UInt64(index), size: UInt64(size), proof: proof, root: root)
    }

    /// Whether `proof` shows the leaf with hash `leaf` at `index` in the tree of `size` with root `root`,
    /// over the whole range of RFC 9162's 64-bit indexes and sizes: any values are answered (an index
    /// at or beyond the size, or a proof of the wrong length, is `false`), never trapped on.
    public static func verifyInclusion(leaf: TreeHash, index: UInt64, size: UInt64, proof: [TreeHash], root: TreeHash) -> Bool {
        rootFromInclusion(leaf: leaf, index: index, size: size, proof: proof) == root
    }

    /// The root that `proof` leads to from the leaf with hash `leaf` at `index` in a tree of `size`, or nil
    /// when the proof cannot be one for that position (an index at or beyond the size, the wrong length).
    /// A COSE receipt (RFC 9942) signs this root: its verifier computes it, then checks the signature.
    public static func rootFromInclusion(leaf: TreeHash, index: UInt64, size: UInt64, proof: [TreeHash]) -> TreeHash? {
        // 1. leaf_index must be below tree_size (so size ≥ 1 and size - 1 cannot underflow).
        guard index < size else { return nil }
        // 2–3.
        var fn = index, sn = size - 1
        var r = leaf
        // 4.
        for p in proof {
            if sn == 0 { return nil }  // a.
            if fn & 1 == 1 || fn == sn {  // b.
                r = MerkleHasher.node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0, fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                r = MerkleHasher.node(r, p)
            }
            fn >>= 1; sn >>= 1  // c.
        }
        // 5.
        return sn == 0 ? r : nil
    }

    /// Whether `proof` shows the tree of `size1` with `root1` is a prefix of the tree of `size2` with `root2`.
    ///
    /// RFC 9162's algorithm starts from a non-empty first tree and a non-empty proof. Assay also decides
    /// the two cases it leaves out, as the transparency-dev implementations do: between equal sizes the
    /// proof is empty and the roots must be equal; from size 0 (the empty tree, whose root is
    /// `SHA-256()`) the proof is empty, since the empty tree is a prefix of every tree.
    public static func verifyConsistency(size1: Int, size2: Int, root1: TreeHash, root2: TreeHash, proof: [TreeHash]) -> Bool {
        guard size1 >= 0, size2 >= 0 else { return false }
        return verifyConsistency(size1: UInt64(size1), size2: UInt64(size2), root1: root1, root2: root2, proof: proof)
    }

    /// The same over RFC 9162's 64-bit sizes: any values are answered (`false` when the first size is
    /// larger, or the proof does not fit the sizes), never trapped on.
    public static func verifyConsistency(size1: UInt64, size2: UInt64, root1: TreeHash, root2: TreeHash, proof: [TreeHash]) -> Bool {
        guard size1 <= size2 else { return false }
        if size1 == 0 { return proof.isEmpty && root1 == MerkleHasher.empty }
        if size1 == size2 { return proof.isEmpty && root1 == root2 }
        // 1.
        guard !proof.isEmpty else { return false }
        // 2.
        var path = proof
        if size1 & (size1 - 1) == 0 { path.insert(root1, at: 0) }
        // 3–4.
        var fn = size1 - 1, sn = size2 - 1
        while fn & 1 == 1 { fn >>= 1; sn >>= 1 }
        // 5.
        var fr = path[0], sr = path[0]
        // 6.
        for c in path.dropFirst() {
            if sn == 0 { return false }
            if fn & 1 == 1 || fn == sn {
                fr = MerkleHasher.node(c, fr)
                sr = MerkleHasher.node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0, fn != 0 { fn >>= 1; sn >>= 1 }
                }
            } else {
                sr = MerkleHasher.node(sr, c)
            }
            fn >>= 1; sn >>= 1
        }
        // 7.
        return fr == root1 && sr == root2 && sn == 0
    }
}
