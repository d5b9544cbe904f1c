import Crypto

/// A compressed sparse Merkle tree (a binary prefix tree) over 256-bit keys: the map of a verifiable index.
///
/// Each key (a SHA-256) holds a 32-byte value. A subtree holding one key is that key's leaf,
/// `SHA-256(0x00 ‖ key ‖ value)`, whatever its depth; a subtree holding none hashes to 32 zero bytes; any
/// other subtree at depth `d` splits on bit `d` of the keys (most significant first) and hashes to
/// `SHA-256(0x01 ‖ left ‖ right)`. So the root commits to every key and value, a proof is one sibling per
/// level down to where the key's path ends (about log₂ of the number of keys), and a proof of absence ends at
/// an empty subtree or at another key's leaf.
///
/// Written here because no Swift package gives a verifiable map; the design follows the transparency-dev
/// verifiable-index notes (an input log, a map from entries to keys, a prefix tree over the keys).
public struct PrefixTree: Sendable {
    /// Nodes in one array; index 0 is unused (0 means "none").
    struct Node: Sendable {
        var left: Int32 = 0
        var right: Int32 = 0
        var key: TreeHash?
        var value: TreeHash?
        var hash: TreeHash = PrefixTree.zero
        var dirty = true
        var isLeaf: Bool { key != nil }
    }

    public static let zero = TreeHash(bytes: [UInt8](repeating: 0, count: 32))!
    var nodes: [Node] = [Node()]
    var rootIndex: Int32 = 0
    public private(set) var count = 0

    public init() {}

    /// The leaf hash of `key` holding `value`.
    public static func leafHash(key: TreeHash, value: TreeHash) -> TreeHash {
        var h = SHA256()
        h.update(data: [0x00])
        key.withBytes { h.update(bufferPointer: $0) }
        value.withBytes { h.update(bufferPointer: $0) }
        return TreeHash(digest: h.finalize())
    }

    static func nodeHash(_ l: TreeHash, _ r: TreeHash) -> TreeHash {
        var h = SHA256()
        h.update(data: [0x01])
        l.withBytes { h.update(bufferPointer: $0) }
        r.withBytes { h.update(bufferPointer: $0) }
        return TreeHash(digest: h.finalize())
    }

    static func bit(_ key: TreeHash, _ depth: Int) -> Bool {
        key.withBytes { b in (b[depth >> 3] >> (7 - UInt8(depth & 7))) & 1 == 1 }
    }

    mutating func newLeaf(_ key: TreeHash, _ value: TreeHash) -> Int32 {
        nodes.append(Node(key: key, value: value))
        return Int32(nodes.count - 1)
    }

    /// Sets `key` to `value` (adding the key if new). The root is recomputed lazily.
    public mutating func set(_ key: TreeHash, _ value: TreeHash) {
        if rootIndex == 0 { rootIndex = newLeaf(key, value); count += 1; return }
        rootIndex = insert(rootIndex, key, value, depth: 0)
    }

    mutating func insert(_ at: Int32, _ key: TreeHash, _ value: TreeHash, depth: Int) -> Int32 {
        if nodes[Int(at)].isLeaf {
            if nodes[Int(at)].key == key {
                nodes[Int(at)].value = value
                nodes[Int(at)].dirty = true
                return at
            }
            // Split: internal nodes down to where the two keys part.
            count += 1
            let other = at
            let otherKey = nodes[Int(at)].key!
            let leaf = newLeaf(key, value)
            return split(other, otherKey, leaf, key, depth: depth)
        }
        let goRight = Self.bit(key, depth)
        let child = goRight ? nodes[Int(at)].right : nodes[Int(at)].left
        let updated: Int32
        if child == 0 { updated = newLeaf(key, value); count += 1 } else { updated = insert(child, key, value, depth: depth + 1) }
        if goRight { nodes[Int(at)].right = updated } else { nodes[Int(at)].left = updated }
        nodes[Int(at)].dirty = true
        return at
    }

    mutating func split(_ a: Int32, _ aKey: TreeHash, _ b: Int32, _ bKey: TreeHash, depth: Int) -> Int32 {
        var node = Node()
        let aRight = Self.bit(aKey, depth), bRight = Self.bit(bKey, depth)
        if aRight == bRight {
            let below = split(a, aKey, b, bKey, depth: depth + 1)
            if aRight { node.right = below } else { node.left = below }
        } else {
            node.left = aRight ? b : a
            node.right = aRight ? a : b
        }
        nodes.append(node)
        return Int32(nodes.count - 1)
    }

    /// The root hash (zero for the empty tree).
    public mutating func root() -> TreeHash { rootIndex == 0 ? Self.zero : rehash(rootIndex) }

    mutating func rehash(_ i: Int32) -> TreeHash {
        guard i != 0 else { return Self.zero }
        let n = nodes[Int(i)]
        guard n.dirty else { return n.hash }
        let h: TreeHash
        if let key = n.key, let value = n.value { h = Self.leafHash(key: key, value: value) } else {
            h = Self.nodeHash(rehash(n.left), rehash(n.right))
        }
        nodes[Int(i)].hash = h
        nodes[Int(i)].dirty = false
        return h
    }

    /// The value of `key`, if present.
    public func value(_ key: TreeHash) -> TreeHash? {
        var i = rootIndex, depth = 0
        while i != 0 {
            let n = nodes[Int(i)]
            if n.isLeaf { return n.key == key ? n.value : nil }
            i = Self.bit(key, depth) ? n.right : n.left
            depth += 1
        }
        return nil
    }

    /// A proof of `key`'s value, or of its absence, against ``root()`` (call `root()` first).
    public mutating func proof(_ key: TreeHash) -> PrefixProof {
        _ = root()
        var siblings: [TreeHash] = []
        var i = rootIndex, depth = 0
        while i != 0 {
            let n = nodes[Int(i)]
            if n.isLeaf {
                if n.key == key { return PrefixProof(siblings: siblings, other: nil) }
                return PrefixProof(siblings: siblings, other: (n.key!, n.value!))
            }
            let right = Self.bit(key, depth)
            siblings.append(nodes[Int(right ? n.left : n.right)].hashOrZero(i: right ? n.left : n.right))
            i = right ? n.right : n.left
            depth += 1
        }
        return PrefixProof(siblings: siblings, other: nil)
    }
}

extension PrefixTree.Node {
    func hashOrZero(i: Int32) -> TreeHash { i == 0 ? PrefixTree.zero : hash }
}

/// A proof that a key holds a value (or no value) in a ``PrefixTree`` with a given root: the sibling hashes
/// from the root down to where the key's path ends and, for an absent key whose path ends at another key's
/// leaf, that key and its value.
public struct PrefixProof: Sendable, Hashable {
    public var siblings: [TreeHash]
    public var other: (key: TreeHash, value: TreeHash)?

    public init(siblings: [TreeHash], other: (key: TreeHash, value: TreeHash)?) { self.siblings = siblings; self.other = other }

    public static func == (a: PrefixProof, b: PrefixProof) -> Bool {
        a.siblings == b.siblings && a.other?.key == b.other?.key && a.other?.value == b.other?.value
    }
    public func hash(into h: inout Hasher) { h.combine(siblings); h.combine(other?.key); h.combine(other?.value) }

    /// Whether the proof shows `key` holding `value` (nil: absent) in the tree with `root`.
    public func verify(key: TreeHash, value: TreeHash?, root: TreeHash) -> Bool {
        let depth = siblings.count
        guard depth <= 256 else { return false }
        var h: TreeHash
        if let value {
            guard other == nil else { return false }
            h = PrefixTree.leafHash(key: key, value: value)
        } else if let other {
            // Another key's leaf where this key's path ends: it must share the path so far, and be another key.
            guard other.key != key, (0..<depth).allSatisfy({ PrefixTree.bit(other.key, $0) == PrefixTree.bit(key, $0) }) else { return false }
            h = PrefixTree.leafHash(key: other.key, value: other.value)
        } else {
            h = PrefixTree.zero
        }
        // An empty subtree or a lone leaf is never the child of a node whose other child is empty.
        for d in stride(from: depth - 1, through: 0, by: -1) {
            let s = siblings[d]
            h = PrefixTree.bit(key, d) ? PrefixTree.nodeHash(s, h) : PrefixTree.nodeHash(h, s)
        }
        return h == root
    }

    /// The proof in bytes: a count, the flag and other key, the siblings (what `bytes` in the benchmark counts).
    public var size: Int { 1 + 1 + (other == nil ? 0 : 64) + 32 * siblings.count }
}
