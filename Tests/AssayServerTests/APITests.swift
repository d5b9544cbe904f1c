import AssayIngest
import AssayServer
import AssayStore
import AssayTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TransparencyLog

@Suite("The HTTP API and the log's tile API")
struct APITests {
    /// The demo registry on this run's backend, or in a SQLite file when the test needs SQLite itself.
    static func demoStore(sqlite: Bool = false) async throws -> (RelationalStore, String) {
        let path = sqlite ? NSTemporaryDirectory() + "api-\(UUID().uuidString).sqlite" : try TestDatabase.fresh("api")
        let store = try await RelationalStore.open(database: path, geography: try ReferenceData.geography(),
                                                   signers: [try Ed25519NoteSigner(name: "api.local/registry")])
        // As the command line does: the server prices royalties with the schedule the store is given.
        store.useRoyalties(try RoyaltyRates.schedule())
        _ = try await store.append(try DemoSet.commands(), author: "demo")
        return (store, path)
    }

    static func remove(_ path: String) { TestDatabase.remove(path) }

    @Test func withoutARoyaltyScheduleRoyaltyViewsSayWhy() async throws {
        let path = try TestDatabase.fresh("api")
        defer { APITests.remove(path) }
        let store = try await RelationalStore.open(database: path, geography: try ReferenceData.geography(),
                                                   signers: [try Ed25519NoteSigner(name: "api.local/registry")])
        #expect(store.royalties == nil)
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/reports/royalties", method: .get) { r in
                #expect(r.status == .serviceUnavailable)
                #expect(String(buffer: r.body).contains("no-royalty-schedule"))
            }
            // What needs no schedule still answers.
            try await client.execute(uri: "/api/v1/reports/balance", method: .get) { r in #expect(r.status == .ok) }
        }
        await store.close()
    }

    func json(_ r: TestResponse) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any])
    }

    @Test func listsReadsAndProblems() async throws {
        let (store, path) = try await Self.demoStore()
        defer { Self.remove(path) }
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/agreements?limit=5", method: .get) { r in
                #expect(r.status == .ok && r.headers[.contentType] == "application/json")
                let body = try json(r)
                #expect((body["items"] as? [Any])?.count == 5)
                let next = try #require(body["next"] as? String)
                try await client.execute(uri: "/api/v1/agreements?limit=5&after=\(next)", method: .get) { r2 in
                        let body2 = try json(r2)
                    let ids = (body2["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                    #expect(ids.count == 5 && ids.allSatisfy { $0 > next })
                }
            }
            try await client.execute(uri: "/api/v1/agreements?status=in-force&limit=100", method: .get) { r in
                let body = try json(r)
                let items = body["items"] as? [[String: Any]] ?? []
                #expect(items.count == 3 && items.allSatisfy { $0["status"] as? String == "in-force" })
            }
            try await client.execute(uri: "/api/v1/sites?minerals=tin&limit=5", method: .get) { r in
                let body = try json(r)
                let items = body["items"] as? [[String: Any]] ?? []
                #expect(items.count == 5 && items.allSatisfy { ($0["minerals"] as? [String])?.contains("tin") == true })
                #expect(body["next"] is String)
            }
            try await client.execute(uri: "/api/v1/sites/bisie", method: .get) { r in
                #expect(r.status == .ok)
                let body = try json(r)
                #expect((body["record"] as? [String: Any])?["name"] as? String == "Bisie (Mpama North)")
            }
            try await client.execute(uri: "/api/v1/sites/nowhere", method: .get) { r in
                #expect(r.status == .notFound && r.headers[.contentType] == "application/problem+json")
                let body = try json(r)
                #expect((body["detail"] as? String)?.contains("nowhere") == true)
            }
            try await client.execute(uri: "/api/v1/parties/bisie", method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/api/v1/spaceships", method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/api/v1/reports/balance?as-of=2026-11-23&agreement=sicomines-2024-amendment", method: .get) { r in
                let body = try json(r)
                let overdue = (body["obligations"] as? [[String: Any]] ?? []).filter { $0["overdue"] as? Bool == true }
                #expect(overdue.count == 2)
            }
            try await client.execute(uri: "/api/v1/reports/ownership", method: .get) { r in
                #expect(String(buffer: r.body).contains("\"kfm-pe-661\""))
            }
            try await client.execute(uri: "/api/v1/reports/collisions", method: .get) { r in
                #expect(String(buffer: r.body).contains("dathcom-pr-13359"))
            }
            try await client.execute(uri: "/api/v1/reports/balance?as-of=yesterday", method: .get) { r in
                let body = try json(r)
                #expect(r.status == .badRequest && body["field"] as? String == "as-of")
            }
            try await client.execute(uri: "/api/v1/parties?limit=0", method: .get) { r in
                let body = try json(r)
                #expect(r.status == .badRequest && (body["field"] as? String) == "limit")
            }
        }
    }

    @Test func tilesCheckpointAndProofsVerify() async throws {
        let (store, path) = try await Self.demoStore()
        defer { Self.remove(path) }
        let key = try Ed25519NoteVerifier(verifierKey: store.verifierKey)
        let app = Application(router: AssayApplication.router(store: store))
        try await app.test(.router) { client in
            let note = try await client.execute(uri: "/log/checkpoint", method: .get) { r in
                try SignedNote(String(buffer: r.body))
            }
            #expect(try note.verify(with: [key]) == ["api.local/registry"])
            let cp = try Checkpoint(body: note.text)
            // Rebuild the root from the level-0 tiles served over HTTP, as an outside client would.
            var leaves: [TreeHash] = []
            for t in 0...((cp.size - 1) / 256) {
                let width = min(256, cp.size - t * 256)
                let tile = Tile(level: 0, index: t, width: width)
                try await client.execute(uri: "/" + tile.path.replacingOccurrences(of: "tile/", with: "log/tile/"), method: .get) { r in
                    #expect(r.status == .ok)
                    #expect(r.headers[.cacheControl] == (width == 256 ? "public, max-age=31536000, immutable" : "public, max-age=60"))
                    let bytes = [UInt8](buffer: r.body)
                    for i in 0..<width { leaves.append(TreeHash(bytes: bytes[(i * 32)..<(i * 32 + 32)])!) }
                }
            }
            var hashes = MemoryHashStore()
            for l in leaves { hashes.append(l) }
            #expect(try MerkleTree.rootHash(size: cp.size, reader: hashes) == cp.root)
            // Entry bundles hold the entries whose hashes the tiles hold.
            try await client.execute(uri: "/log/tile/entries/000", method: .get) { r in
                let entries = try Tile.entries(ofBundle: [UInt8](buffer: r.body))
                #expect(entries.count == 256 && MerkleHasher.leaf(entries[60]) == leaves[60])
            }
            try await client.execute(uri: "/log/proof/inclusion?id=kisanfu", method: .get) { r in
                let body = try json(r)
                let proof = (body["proof"] as? [String] ?? []).compactMap(TreeHash.init(base64:))
                let index = try #require(body["index"] as? Int)
                #expect(MerkleVerifier.verifyInclusion(leaf: leaves[index], index: index, size: cp.size, proof: proof, root: cp.root))
            }
            try await client.execute(uri: "/log/proof/consistency?from=100&to=\(cp.size)", method: .get) { r in
                let body = try json(r)
                let proof = (body["proof"] as? [String] ?? []).compactMap(TreeHash.init(base64:))
                #expect(MerkleVerifier.verifyConsistency(size1: 100, size2: cp.size, root1: try MerkleTree.rootHash(size: 100, reader: hashes),
                                                         root2: cp.root, proof: proof))
            }
            try await client.execute(uri: "/log/proof/inclusion?leaf=\(leaves[42].hex)", method: .get) { r in
                let body = try json(r)
                #expect(body["index"] as? Int == 42)
            }
            try await client.execute(uri: "/log/entries/43?lang=en", method: .get) { r in
                let html = String(buffer: r.body)
                #expect(r.status == .ok && html.contains(leaves[42].hex) && html.contains("verify-inclusion"))
            }
            try await client.execute(uri: "/metrics", method: .get) { r in
                let text = String(buffer: r.body)
                #expect(text.contains("assay_log_size \(cp.size)") && text.contains("assay_group_commit_batches"))
            }
            try await client.execute(uri: "/log/tile/0/999", method: .get) { r in #expect(r.status == .notFound) }
            try await client.execute(uri: "/log/tile/0/12", method: .get) { r in #expect(r.status == .badRequest) }
            try await client.execute(uri: "/log/proof/inclusion?index=99999", method: .get) { r in #expect(r.status == .badRequest) }
            // A size that is not a number is refused, naming it (it was read as "the latest size").
            try await client.execute(uri: "/log/proof/inclusion?index=3&size=null", method: .get) { r in
                #expect(r.status == .badRequest && String(buffer: r.body).contains("\"field\":\"size\""))
            }
        }
    }
}
