import AssayServer
import AssayStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TransparencyLog

@Suite("The add-checkpoint witness endpoint")
struct WitnessEndpointTests {
    @Test func cosignsGrowthAndRefusesConflictsForksAndStrangers() async throws {
        let entries = (0..<30).map { [UInt8]("w\($0)".utf8) }
        let levels = HashLevels(entries: entries)
        let log = try Ed25519NoteSigner(name: "assay.example/log")
        let cosigner = try CosignatureSigner(name: "witness.example/w1")
        let state = NSTemporaryDirectory() + "witness-\(UUID().uuidString).state"
        defer { try? FileManager.default.removeItem(atPath: state) }
        let endpoint = try WitnessEndpoint(witness: Witness(signer: cosigner), logKey: try Ed25519NoteVerifier(verifierKey: log.verifierKey), statePath: state)
        let router = Router(context: AssayContext.self)
        endpoint.register(on: router)
        func note(_ n: Int, _ l: HashLevels, signer: Ed25519NoteSigner) throws -> SignedNote {
            try signer.signNote(Checkpoint(origin: "assay.example/log", size: n, root: try MerkleTree.rootHash(size: n, reader: l)).body)
        }
        let first = Witness.request(oldSize: 0, proof: [], note: try note(10, levels, signer: log))
        let second = Witness.request(oldSize: 10, proof: try MerkleTree.consistencyProof(from: 10, to: 30, reader: levels), note: try note(30, levels, signer: log))
        let forked = HashLevels(entries: [[9]] + entries.dropFirst())
        let fork = Witness.request(oldSize: 30, proof: try MerkleTree.consistencyProof(from: 30, to: 30, reader: forked), note: try note(30, forked, signer: log))
        let stranger = Witness.request(oldSize: 30, proof: [], note: try note(30, levels, signer: try Ed25519NoteSigner(name: "assay.example/log")))
        let verifier = try CosignatureVerifier(verifierKey: cosigner.verifierKey)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/add-checkpoint", method: .post, body: ByteBuffer(string: first)) { r in
                #expect(r.status == .ok)
                let sig = try SignedNote("x\n\n" + String(buffer: r.body)).signatures[0]
                let cp = try Checkpoint(body: try SignedNote(String(first.split(separator: "\n\n", maxSplits: 1)[1])).text)
                #expect(verifier.verify(text: Array(cp.body.utf8), signature: sig.signature))
            }
            try await client.execute(uri: "/add-checkpoint", method: .post, body: ByteBuffer(string: second)) { r in #expect(r.status == .ok) }
            try await client.execute(uri: "/add-checkpoint", method: .post, body: ByteBuffer(string: first)) { r in
                #expect(r.status == .conflict && String(buffer: r.body) == "30\n")
            }
            try await client.execute(uri: "/add-checkpoint", method: .post, body: ByteBuffer(string: fork)) { r in #expect(r.status == .unprocessableContent) }
            try await client.execute(uri: "/add-checkpoint", method: .post, body: ByteBuffer(string: stranger)) { r in #expect(r.status == .forbidden) }
            try await client.execute(uri: "/add-checkpoint", method: .post, body: ByteBuffer(string: "garbage")) { r in #expect(r.status == .badRequest) }
        }
        // The state survives: a new endpoint knows size 30.
        #expect(try Checkpoint(body: String(contentsOfFile: state, encoding: .utf8)).size == 30)
    }
}
