import Crypto

/// A COSE receipt (RFC 9942) for the verifiable data structure `RFC9162_SHA256`: a COSE_Sign1 signed by
/// the log's key over the tree root (a detached payload) whose unprotected header carries an inclusion
/// proof `[tree-size, leaf-index, inclusion-path]`. A SCITT verifier that knows nothing of Assay checks it
/// with the entry's bytes and the log's Ed25519 public key: it hashes the entry as an RFC 9162 leaf, folds
/// the path to a root, and verifies the signature over that root.
///
/// The protected header holds `alg` (EdDSA), `kid` (the log key's 4-byte note key ID), the CWT claims
/// with `iss` (the log's origin, as in its checkpoints) and `vds` = 1.
public enum COSEReceipt {
    /// `RFC9162_SHA256` in the COSE Verifiable Data Structures registry.
    public static let rfc9162SHA256: Int64 = 1
    /// The inclusion-proof label inside the verifiable data structure proofs (396) map.
    public static let inclusionProofs: Int64 = -1

    /// What a verified receipt proves: the entry is at `index` in the tree of `size` with `root`.
    public struct Proven: Sendable, Hashable {
        public var index: Int
        public var size: Int
        public var root: TreeHash
        public var issuer: String?
    }

    /// A receipt for the leaf at `index` in the tree of `size` with `root`, signed by the log's key.
    public static func issue(index: Int, size: Int, path: [TreeHash], root: TreeHash, signer: Ed25519NoteSigner) throws -> [UInt8] {
        let proof = CBOR.array([.int(Int64(size)), .int(Int64(index)), .array(path.map { .bytes($0.bytes) })]).encoded
        let protected: [CBOR.Pair] = [
            CBOR.Pair(.int(COSESign1.Label.alg), .int(COSESign1.eddsa)),
            CBOR.Pair(.int(COSESign1.Label.kid), .bytes(keyIDBytes(signer.keyID))),
            CBOR.Pair(.int(COSESign1.Label.cwtClaims), .map([CBOR.Pair(.int(1), .text(signer.name))])),
            CBOR.Pair(.int(COSESign1.Label.vds), .int(rfc9162SHA256)),
        ]
        let unprotected = [CBOR.Pair(.int(COSESign1.Label.vdp), .map([CBOR.Pair(.int(inclusionProofs), .array([.bytes(proof)]))]))]
        return try COSESign1.sign(protected: protected, unprotected: unprotected, payload: root.bytes, detached: true, key: signer.key).encoded
    }

    /// Checks `receipt` for the entry `entry` against the log's verifier key. Every inclusion proof it
    /// carries must lead to a root the signature covers.
    public static func verify(_ receipt: [UInt8], entry: [UInt8], key: Ed25519NoteVerifier) throws(ReceiptError) -> Proven {
        let message: COSESign1
        do { message = try COSESign1(decoding: receipt) } catch { throw ReceiptError("not a COSE_Sign1 message: \(error.message)") }
        guard message.payload == nil else { throw ReceiptError("a receipt's payload is detached (the root it signs is computed from the proof)") }
        let protected = CBOR.map(message.protected)
        guard protected[.int(COSESign1.Label.vds)] == .int(rfc9162SHA256) else { throw ReceiptError("the protected header does not name the RFC9162_SHA256 data structure (395: 1)") }
        guard protected[.int(COSESign1.Label.alg)] == .int(COSESign1.eddsa) else { throw ReceiptError("the algorithm is not EdDSA (-8)") }
        if let kid = protected[.int(COSESign1.Label.kid)], kid != .bytes(keyIDBytes(key.keyID)) {
            throw ReceiptError("signed by another key (kid \(Hex.encode(kid.bytes ?? [])), expected \(Hex.encode(keyIDBytes(key.keyID))))")
        }
        let issuer = protected[.int(COSESign1.Label.cwtClaims)]?[.int(1)]?.text
        guard let proofs = CBOR.map(message.unprotected)[.int(COSESign1.Label.vdp)]?[.int(inclusionProofs)]?.array, !proofs.isEmpty else {
            throw ReceiptError("no inclusion proof (396 → -1) in the unprotected header")
        }
        var proven: [Proven] = []
        for item in proofs {
            guard let bytes = item.bytes, let parts = try? CBOR(decoding: bytes).array, parts.count == 3,
                  let size = parts[0].int, let index = parts[1].int, size > 0, index >= 0, let path = parts[2].array else {
                throw ReceiptError("an inclusion proof is not [tree-size, leaf-index, [path…]]")
            }
            var hashes: [TreeHash] = []
            for h in path {
                guard let b = h.bytes, let t = TreeHash(bytes: b) else { throw ReceiptError("a path element is not a 32-byte hash") }
                hashes.append(t)
            }
            guard let root = MerkleVerifier.rootFromInclusion(leaf: MerkleHasher.leaf(entry), index: UInt64(index), size: UInt64(size), proof: hashes) else {
                throw ReceiptError("the inclusion path does not fit leaf \(index) of a tree of \(size)")
            }
            guard message.verify(key: key.key, detachedPayload: root.bytes) else {
                throw ReceiptError("the signature does not verify over the root this entry and proof give: the entry is not the one at leaf \(index), or the receipt was not signed by \(key.name)")
            }
            proven.append(Proven(index: Int(index), size: Int(size), root: root, issuer: issuer))
        }
        guard let first = proven.first, proven.allSatisfy({ $0.index == first.index }) else {
            throw ReceiptError("the receipt's inclusion proofs are for different leaves")
        }
        return first
    }

    static func keyIDBytes(_ id: UInt32) -> [UInt8] { [UInt8(id >> 24), UInt8(id >> 16 & 0xFF), UInt8(id >> 8 & 0xFF), UInt8(id & 0xFF)] }
}

/// Why a COSE receipt does not prove what it claims, in words a user can act on.
public struct ReceiptError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
