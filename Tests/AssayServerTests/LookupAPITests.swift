import AssayDomain
import AssayServer
import AssayStore
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TransparencyLog

/// Verifiable lookup by key over the API: the proof checks offline, follows new entries, proves absence,
/// and fails when anything in it is changed; `verify` rebuilds the index and compares its signed roots.
@Suite("Verifiable lookup by key")
struct LookupAPITests {
    @Test func lookupsProveTheLatestEntryAndThatNoLaterOneExists() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let headers = try await APITests.registrarHeaders(store)
        let vkey = try Ed25519NoteVerifier(verifierKey: store.verifierKey)
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            func lookup(_ path: String) async throws -> LookupProof {
                try await client.execute(uri: "/api/v1/lookup/\(path)", method: .get) { r in
                    #expect(r.status == .ok, "\(path)")
                    return try LookupProof(json: JSONParser.parse(Array(buffer: r.body)))
                }
            }
            let before = try await lookup("party/gecamines")
            let v = try before.verify(with: vkey)
            #expect(v.indexes.count >= 5 && v.size == Int64(store.servedSize))
            // A new entry about the party: the next lookup's latest is it, at the new size.
            try await client.execute(uri: "/api/v1/parties", method: .post, headers: headers, body: ByteBuffer(string:
                #"{"id":"lookup-co","name":"Lookup Co","kind":"company","country":"CD"}"#)) { r in #expect(r.status == .created) }
            try await client.execute(uri: "/api/v1/ownerships", method: .post, headers: headers, body: ByteBuffer(string:
                #"{"id":"own-lookup","subject":"lookup-co","interestedParty":"gecamines","share":{"exact":"10"},"synthetic":true}"#)) { r in
                #expect(r.status == .created, "\(String(buffer: r.body))")
            }
            let after = try await lookup("party/gecamines")
            let w = try after.verify(with: vkey)
            #expect(w.indexes.count == v.indexes.count + 1 && w.indexes.last == Int64(store.servedSize) - 1)
            #expect(String(decoding: w.latest ?? [], as: UTF8.self).contains("own-lookup"))
            // Both index notes are in the index log, which only grew between them (its consistency proof holds).
            let (first, second) = (try #require(before.indexLog), try #require(after.indexLog))
            let c1 = try Checkpoint(body: first.checkpoint.text), c2 = try Checkpoint(body: second.checkpoint.text)
            #expect(c1.origin == "api.local/registry/index-log" && c2.size > c1.size && second.position > first.position)
            try await client.execute(uri: "/log/index/proof/consistency?from=\(c1.size)&to=\(c2.size)", method: .get) { r in
                let hashes = (try APITests.object(r)["proof"] as? [String] ?? []).compactMap(TreeHash.init(base64:))
                #expect(MerkleVerifier.verifyConsistency(size1: c1.size, size2: c2.size, root1: c1.root, root2: c2.root, proof: hashes))
            }
            try await client.execute(uri: "/log/index/checkpoint", method: .get) { r in
                let note = try SignedNote(String(buffer: r.body))
                _ = try note.verify(with: [vkey])
                #expect(try Checkpoint(body: note.text).size >= c2.size)
            }
            var misplaced = after
            misplaced.indexLog?.position = first.position
            #expect(throws: LogFormatError.self) { try misplaced.verify(with: vkey) }
            // The old proof is still valid for its checkpoint, but says what was true then.
            #expect(try before.verify(with: vkey).indexes == v.indexes)
            // Absence is proven too.
            let none = try await lookup("lot/NO-SUCH-LOT")
            #expect(try none.verify(with: vkey).indexes.isEmpty)
            // Tampering: dropping an entry, claiming an older latest, or the absent key's proof for a present key.
            var dropped = after
            dropped.indexes.removeFirst()
            #expect(throws: LogFormatError.self) { try dropped.verify(with: vkey) }
            var stale = after
            stale.indexes.removeLast()
            stale.latest = before.latest
            #expect(throws: LogFormatError.self) { try stale.verify(with: vkey) }
            var hidden = after
            hidden.indexes = []
            hidden.latest = nil
            #expect(throws: LogFormatError.self) { try hidden.verify(with: vkey) }
            try await client.execute(uri: "/api/v1/lookup/colour/red", method: .get) { r in #expect(r.status == .badRequest) }
        }
        // The signed index roots match the index rebuilt from the journal.
        let report = try await store.verify(with: vkey)
        #expect(report.indexRoots >= 2)
    }

    @Test func prefixTreeRootsDoNotDependOnInsertionOrder() throws {
        var keys: [TreeHash] = []
        for i in 0..<300 { keys.append(VerifiableIndex.keyHash("k\(i)")) }
        var a = PrefixTree(), b = PrefixTree()
        for (i, k) in keys.enumerated() { a.set(k, VerifiableIndex.keyHash("v\(i)")) }
        for (i, k) in keys.enumerated().reversed() { b.set(k, VerifiableIndex.keyHash("v\(i)")) }
        let root = a.root()
        #expect(root == b.root() && a.count == 300)
        for (i, k) in keys.enumerated() where i % 7 == 0 {
            let p = a.proof(k)
            #expect(p.verify(key: k, value: VerifiableIndex.keyHash("v\(i)"), root: root))
            #expect(!p.verify(key: k, value: VerifiableIndex.keyHash("other"), root: root))
            #expect(!p.verify(key: k, value: nil, root: root))
        }
        for i in 0..<50 {
            let absent = VerifiableIndex.keyHash("absent\(i)")
            let p = a.proof(absent)
            #expect(p.verify(key: absent, value: nil, root: root))
            #expect(!p.verify(key: absent, value: VerifiableIndex.keyHash("v0"), root: root))
        }
    }
}
