import Crypto

/// RFC 9162 §2.1.1 hashing: leaves are `SHA-256(0x00 ‖ entry)`, interior nodes `SHA-256(0x01 ‖ left ‖ right)`,
/// and the empty tree's hash is `SHA-256()`. The prefixes keep a leaf from ever passing for a node.
public enum MerkleHasher {
    public static func leaf<C: Collection>(_ entry: C) -> TreeHash where C.Element == UInt8 {
        var h = SHA256()
        withUnsafeBytes(of: UInt8(0x00)) { h.update(bufferPointer: $0) }
        let contiguous: Void? = entry.withContiguousStorageIfAvailable { h.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        if contiguous == nil { h.update(data: Array(entry)) }
        return TreeHash(digest: h.finalize())
    }

    public static func node(_ left: TreeHash, _ right: TreeHash) -> TreeHash {
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buf in
            buf[0] = 0x01
            left.withBytes { UnsafeMutableRawBufferPointer(rebasing: buf[1..<33]).copyMemory(from: $0) }
            right.withBytes { UnsafeMutableRawBufferPointer(rebasing: buf[33..<65]).copyMemory(from: $0) }
            var h = SHA256()
            h.update(bufferPointer: UnsafeRawBufferPointer(buf))
            return TreeHash(digest: h.finalize())
        }
    }

    /// `SHA-256()`, the hash of the empty tree.
    public static let empty = TreeHash(digest: SHA256.hash(data: [UInt8]()))
}
