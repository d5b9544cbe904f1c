import Crypto
import Foundation
import Testing
@testable import TransparencyLog

@Suite("CBOR, COSE_Sign1 and COSE receipts")
struct COSETests {
    static func hex(_ s: String) -> [UInt8] { Hex.decode(s.lowercased()) ?? [] }

    /// RFC 8949 Appendix A: each item and its encoding (those the subset supports).
    static let appendixA: [(CBOR, String)] = [
        (.unsigned(0), "00"), (.unsigned(1), "01"), (.unsigned(10), "0a"), (.unsigned(23), "17"), (.unsigned(24), "1818"),
        (.unsigned(25), "1819"), (.unsigned(100), "1864"), (.unsigned(1000), "1903e8"), (.unsigned(1_000_000), "1a000f4240"),
        (.unsigned(1_000_000_000_000), "1b000000e8d4a51000"), (.unsigned(UInt64.max), "1bffffffffffffffff"),
        (.negative(UInt64.max), "3bffffffffffffffff"), (.int(-1), "20"), (.int(-10), "29"), (.int(-100), "3863"), (.int(-1000), "3903e7"),
        (.bool(false), "f4"), (.bool(true), "f5"), (.null, "f6"),
        (.tagged(1, .unsigned(1_363_896_240)), "c11a514b67b0"),
        (.bytes([]), "40"), (.bytes([1, 2, 3, 4]), "4401020304"),
        (.text(""), "60"), (.text("a"), "6161"), (.text("IETF"), "6449455446"), (.text("\"\\"), "62225c"),
        (.text("\u{00fc}"), "62c3bc"), (.text("\u{6c34}"), "63e6b0b4"),
        (.array([]), "80"), (.array([.unsigned(1), .unsigned(2), .unsigned(3)]), "83010203"),
        (.array([.unsigned(1), .array([.unsigned(2), .unsigned(3)]), .array([.unsigned(4), .unsigned(5)])]), "8301820203820405"),
        (.array((1...25).map { .unsigned($0) }), "98190102030405060708090a0b0c0d0e0f101112131415161718181819"),
        (.map([]), "a0"), (.map([CBOR.Pair(.unsigned(1), .unsigned(2)), CBOR.Pair(.unsigned(3), .unsigned(4))]), "a201020304"),
        (.map([CBOR.Pair(.text("a"), .unsigned(1)), CBOR.Pair(.text("b"), .array([.unsigned(2), .unsigned(3)]))]), "a26161016162820203"),
        (.array([.text("a"), .map([CBOR.Pair(.text("b"), .text("c"))])]), "826161a161626163"),
    ]

    @Test func encodesAndDecodesRFC8949AppendixA() throws {
        for (item, expected) in Self.appendixA {
            #expect(Hex.encode(item.encoded) == expected, "\(item)")
            #expect(try CBOR(decoding: Self.hex(expected), deterministic: true) == item, "\(expected)")
        }
    }

    @Test func sortsMapKeysByTheirEncodedBytes() throws {
        // RFC 8949 §4.2.1: 10 (0a) < -1 (20) < "a" (6161) < "b" (6162), whatever order they were given in.
        let m = CBOR.map([CBOR.Pair(.text("b"), .unsigned(1)), CBOR.Pair(.text("a"), .unsigned(2)),
                          CBOR.Pair(.int(-1), .unsigned(3)), CBOR.Pair(.unsigned(10), .unsigned(4))])
        #expect(Hex.encode(m.encoded) == "a40a042003616102616201")
        // Out of order is read when not asked for determinism, refused when asked.
        let unsorted = Self.hex("a2616201616102")
        #expect(try CBOR(decoding: unsorted).map?.count == 2)
        #expect(throws: CBORError.self) { try CBOR(decoding: unsorted, deterministic: true) }
    }

    @Test func refusesWhatTheSubsetDoesNotAccept() {
        for (bad, why) in [("1817", "not shortest"), ("9f01ff", "indefinite"), ("0101", "trailing"), ("a201020103", "duplicate key"),
                           ("f93c00", "float"), ("4401", "truncated"), ("62c3", "truncated text"),
                           ("9b00000000ffffffff", "array longer than input"), ("62fffe", "not UTF-8"), ("1c", "reserved")] {
            #expect(throws: CBORError.self, "\(why)") { try CBOR(decoding: Self.hex(bad)) }
        }
        // Nesting is bounded: 100 nested arrays are refused, not a stack overflow.
        #expect(throws: CBORError.self) { try CBOR(decoding: [UInt8](repeating: 0x81, count: 100) + [0x00]) }
    }

    /// cose-wg/Examples eddsa-sig-02 (a COSE_Sign1 with EdDSA): the Sig_structure ("ToBeSign") it gives, and
    /// the message's bytes, decoded and encoded again without a change.
    @Test func matchesTheCOSEWorkingGroupExample() throws {
        let protected = CBOR.map([CBOR.Pair(.int(COSESign1.Label.alg), .int(COSESign1.eddsa))]).encoded
        #expect(Hex.encode(protected) == "a10127")
        let tbs = COSESign1.toBeSigned(protectedBytes: protected, payload: Array("This is the content.".utf8))
        #expect(Hex.encode(tbs) == "846a5369676e61747572653143a101274054546869732069732074686520636f6e74656e742e")
        let wire = Self.hex("D28443A10127A10445336434343854546869732069732074686520636F6E74656E742E5872988240A3A2F189BD486DE14AA77F54686C576A09F2E7ED9BAE910DF9139C2AC3BE7C27B7E10A20FA17C9D57D3510A2CF1F634BC0345AB9BE00849842171D1E9E98B2674C0E38BFCF6C557A1692B01B71015A47AC9F7748840CAD1DA80CBB5B349309FEBB912672B377C8B2072AF1598B3700")
        let message = try COSESign1(decoding: wire)
        #expect(message.payload == Array("This is the content.".utf8) && message.signature.count == 114)
        #expect(CBOR.map(message.unprotected)[.int(COSESign1.Label.kid)] == .bytes(Array("3d448".utf8)))
        #expect(message.encoded == wire)
    }

    @Test func signsAndVerifiesEd25519Statements() throws {
        let key = Curve25519.Signing.PrivateKey()
        let payload = Array(#"{"lot":"lot-1"}"#.utf8)
        let m = try COSESign1.sign(protected: [CBOR.Pair(.int(COSESign1.Label.kid), .bytes([1, 2]))], payload: payload, key: key)
        let read = try COSESign1(decoding: m.encoded)
        #expect(read.verify(key: key.publicKey))
        #expect(!read.verify(key: Curve25519.Signing.PrivateKey().publicKey))
        var forged = read
        forged.payload = Array(#"{"lot":"lot-2"}"#.utf8)
        #expect(!forged.verify(key: key.publicKey))
    }

    /// A log of `n` entries in memory, its signer and verifier.
    static func log(_ n: Int) throws -> (entries: [[UInt8]], hashes: MemoryHashStore, signer: Ed25519NoteSigner, verifier: Ed25519NoteVerifier) {
        let entries = (0..<n).map { Array("entry \($0)".utf8) }
        var hashes = MemoryHashStore()
        for e in entries { hashes.append(MerkleHasher.leaf(e)) }
        let signer = try Ed25519NoteSigner(name: "example.org/log")
        return (entries, hashes, signer, try Ed25519NoteVerifier(verifierKey: signer.verifierKey))
    }

    @Test func receiptsProveEachEntryAndNothingElse() throws {
        let (entries, hashes, signer, verifier) = try Self.log(13)
        let root = try MerkleTree.rootHash(size: 13, reader: hashes)
        for i in 0..<13 {
            let path = try MerkleTree.inclusionProof(index: i, size: 13, reader: hashes)
            let receipt = try COSEReceipt.issue(index: i, size: 13, path: path, root: root, signer: signer)
            let proven = try COSEReceipt.verify(receipt, entry: entries[i], key: verifier)
            #expect(proven == COSEReceipt.Proven(index: i, size: 13, root: root, issuer: "example.org/log"))
            // Another entry's bytes, another log's key: refused.
            #expect(throws: ReceiptError.self) { try COSEReceipt.verify(receipt, entry: entries[(i + 1) % 13], key: verifier) }
        }
        let other = try Ed25519NoteVerifier(verifierKey: try Ed25519NoteSigner(name: "example.org/log").verifierKey)
        let r0 = try COSEReceipt.issue(index: 0, size: 13, path: try MerkleTree.inclusionProof(index: 0, size: 13, reader: hashes), root: root, signer: signer)
        #expect(throws: ReceiptError.self) { try COSEReceipt.verify(r0, entry: entries[0], key: other) }
        #expect(throws: ReceiptError.self) { try COSEReceipt.verify(Array(r0.dropLast()), entry: entries[0], key: verifier) }
    }

    /// The receipts verify with a verifier written from the RFCs in Python (cbor2 and cryptography), which
    /// shares no code with Assay; a receipt for another entry fails there too.
    @Test func anIndependentVerifierAcceptsTheReceipts() throws {
        let (entries, hashes, signer, _) = try Self.log(6)
        let root = try MerkleTree.rootHash(size: 6, reader: hashes)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cose-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let pub = Hex.encode(Array(signer.key.publicKey.rawRepresentation))
        for i in [0, 3, 5] {
            let receipt = try COSEReceipt.issue(index: i, size: 6, path: try MerkleTree.inclusionProof(index: i, size: 6, reader: hashes), root: root, signer: signer)
            try Data(receipt).write(to: dir.appendingPathComponent("r.cose"))
            try Data(entries[i]).write(to: dir.appendingPathComponent("e.bin"))
            let ok = try Self.python(["r.cose", "e.bin", pub], in: dir)
            #expect(ok.status == 0 && ok.output == "ok index=\(i) size=6 root=\(root.hex)\n", "\(ok.output)")
            try Data(entries[(i + 1) % 6]).write(to: dir.appendingPathComponent("e.bin"))
            let bad = try Self.python(["r.cose", "e.bin", pub], in: dir)
            #expect(bad.status == 1 && bad.output.hasPrefix("invalid:"), "\(bad.output)")
        }
    }

    static func python(_ arguments: [String], in dir: URL) throws -> (status: Int32, output: String) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/verify-cose-receipt.py").path
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        p.arguments = [script] + arguments
        p.currentDirectoryURL = dir
        let pipe = Pipe()
        p.standardOutput = pipe
        p.standardError = pipe
        try p.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
