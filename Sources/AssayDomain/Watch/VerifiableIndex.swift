import Crypto
import TransparencyLog

/// The verifiable index of the registry's log: for every lot, title, agreement, party and site, the list of
/// journal entries about it, committed to in a prefix tree (``PrefixTree``) whose root is signed for an input
/// checkpoint. A lookup proves "these are all the entries about X, the latest is entry L, and no later one
/// exists in the log at this checkpoint" with one prefix-tree proof; anyone can rebuild the index from the log
/// (``add(entry:)`` over every entry, in order) and compare roots.
///
/// The map from an entry to its keys is ``EntryKeys`` restricted to ``kinds``, computed from the entry's public
/// bytes alone. A key's value is `SHA-256("assay-index-v1" ‖ count ‖ last ‖ chain)` (count and last as 8-byte
/// big-endian, last the log index), where the chain folds every index about the key in order:
/// `chain = SHA-256(chain ‖ index)` from 32 zero bytes.
public struct VerifiableIndex: Sendable {
    /// The kinds of key the index holds.
    public static let kinds = ["lot", "title", "agreement", "party", "site"]

    /// What the index holds for one key.
    public struct Entry: Sendable, Hashable {
        public var count: Int64
        public var last: Int64
        public var chain: TreeHash

        public init(count: Int64, last: Int64, chain: TreeHash) { self.count = count; self.last = last; self.chain = chain }

        /// The value the prefix tree holds.
        public var valueHash: TreeHash {
            var h = SHA256()
            h.update(data: Array("assay-index-v1".utf8))
            h.update(data: VerifiableIndex.bigEndian(count))
            h.update(data: VerifiableIndex.bigEndian(last))
            chain.withBytes { h.update(bufferPointer: $0) }
            return TreeHash(digest: h.finalize())
        }

        /// The entry for a complete list of log indexes, in order (nil for none).
        public init?(indexes: [Int64]) {
            guard let last = indexes.last else { return nil }
            var chain = PrefixTree.zero
            for i in indexes { chain = VerifiableIndex.extend(chain, i) }
            self.init(count: Int64(indexes.count), last: last, chain: chain)
        }
    }

    public private(set) var size: Int64 = 0
    var tree = PrefixTree()
    /// Each key's entry and its position in the tree (SHA-256 of the key, computed once).
    var entries: [String: (entry: Entry, keyHash: TreeHash)] = [:]

    public init() {}

    /// The number of keys.
    public var keyCount: Int { entries.count }

    /// The key of `kind` and `id` in the tree: SHA-256 of `kind:id`.
    public static func keyHash(_ key: String) -> TreeHash { TreeHash(bytes: Array(SHA256.hash(data: Array(key.utf8))))! }

    static func bigEndian(_ v: Int64) -> [UInt8] { (0..<8).map { UInt8(truncatingIfNeeded: UInt64(bitPattern: v) >> (56 - 8 * $0)) } }

    static func extend(_ chain: TreeHash, _ index: Int64) -> TreeHash {
        var h = SHA256()
        chain.withBytes { h.update(bufferPointer: $0) }
        h.update(data: bigEndian(index))
        return TreeHash(digest: h.finalize())
    }

    /// The index's keys of an entry (its public bytes): ``EntryKeys`` of the kinds the index holds.
    public static func keys(ofEntry bytes: [UInt8]) -> [String] {
        guard case .object(let e)? = try? JSONParser.parse(bytes), let command = e["command"] else { return [] }
        return keys(ofCommand: command)
    }

    public static func keys(ofCommand command: JSONValue) -> [String] {
        EntryKeys.keys(of: command).filter { k in kinds.contains { k.hasPrefix($0 + ":") } }
    }

    /// Adds the next entry of the log (log index `size`).
    public mutating func add(entry bytes: [UInt8]) { add(keys: Self.keys(ofEntry: bytes)) }

    /// Adds the next entry of the log, given its keys.
    public mutating func add(keys: [String]) {
        let index = size
        for k in keys {
            var (e, h) = entries[k] ?? (Entry(count: 0, last: 0, chain: PrefixTree.zero), Self.keyHash(k))
            e.count += 1
            e.last = index
            e.chain = Self.extend(e.chain, index)
            entries[k] = (e, h)
            tree.set(h, e.valueHash)
        }
        size += 1
    }

    /// The root over everything added so far.
    public mutating func root() -> TreeHash { tree.root() }

    /// What the index holds for `key`, and the proof of it (or of its absence) against ``root()``.
    public mutating func lookup(_ key: String) -> (entry: Entry?, proof: PrefixProof) {
        (entries[key]?.entry, tree.proof(entries[key]?.keyHash ?? Self.keyHash(key)))
    }

    /// The note that signs an index root for an input size: `<origin>/index`, the size, the root in base64.
    public static func noteText(origin: String, size: Int64, root: TreeHash) -> String {
        "\(origin)/index\n\(size)\n\(root.base64)\n"
    }
}
