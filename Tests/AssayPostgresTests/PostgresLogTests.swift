import AssayPostgres
import Foundation
import PostgresNIO
import Testing
import TransparencyLog

/// Each test starts its own throwaway cluster with `scripts/pg` and stops it at the end.
@Suite struct PostgresLogTests {
    let signer: Ed25519NoteSigner
    let verifier: Ed25519NoteVerifier

    init() throws {
        signer = try Ed25519NoteSigner(name: "test.local/pglog")
        verifier = try Ed25519NoteVerifier(verifierKey: signer.verifierKey)
    }

    func entry(_ server: String, _ task: Int, _ i: Int) -> [UInt8] { Array("\(server)-\(task)-\(i)".utf8) }

    @Test func twoServersAppendConcurrentlyWithoutForking() async throws {
        try await PostgresCluster.with { cluster in
            let a = try await PostgresLog(url: cluster.url, signer: signer)
            let b = try await PostgresLog(url: cluster.url, signer: signer)
            // 4 tasks on each server: single appends (group commit) and one bulk append per server.
            let acknowledged = try await withThrowingTaskGroup(of: [(Int, [UInt8], SignedNote?)].self) { group in
                for (name, log) in [("a", a), ("b", b)] {
                    for k in 0..<4 {
                        group.addTask {
                            var out: [(Int, [UInt8], SignedNote?)] = []
                            for i in 0..<25 {
                                let e = entry(name, k, i)
                                out.append((try await log.append(e), e, log.latestCheckpoint()))
                            }
                            return out
                        }
                    }
                    group.addTask {
                        let entries = (0..<300).map { entry(name, 99, $0) }
                        let note = try await log.appendBulk(entries)
                        let size = try Checkpoint(body: note.text).size
                        return entries.enumerated().map { (size - entries.count + $0.offset, $0.element, note) }
                    }
                }
                var all: [(Int, [UInt8], SignedNote?)] = []
                for try await part in group { all += part }
                return all
            }
            #expect(acknowledged.count == 2 * (4 * 25 + 300))
            #expect(Set(acknowledged.map(\.0)).count == acknowledged.count, "two appends were acknowledged at one index")

            try await a.refresh()
            let finalNote = try #require(a.latestCheckpoint())
            let final = try Checkpoint(body: finalNote.text)
            #expect(final.size == acknowledged.count)

            // Every acknowledged index holds its entry, and the stored checkpoints have distinct sizes.
            let (stored, checkpointSizes) = try await cluster.withClient { client in
                var stored: [Int: [UInt8]] = [:]
                for try await (idx, data) in try await client.query("SELECT idx, data FROM log_entry").decode((Int, ByteBuffer).self) {
                    stored[idx] = Array(data.readableBytesView)
                }
                var sizes: [Int] = []
                for try await s in try await client.query("SELECT size FROM log_checkpoint").decode(Int.self) { sizes.append(s) }
                return (stored, sizes)
            }
            for (index, e, _) in acknowledged { #expect(stored[index] == e, "index \(index) does not hold the entry acknowledged there") }
            #expect(Set(checkpointSizes).count == checkpointSizes.count)

            // Every checkpoint either server published is consistent with the final one.
            let published = acknowledged.compactMap(\.2) + [finalNote]
            for note in published {
                _ = try note.verify(with: [verifier])
                let cp = try Checkpoint(body: note.text)
                let proof = try a.consistencyProof(from: cp.size, to: final.size)
                #expect(MerkleVerifier.verifyConsistency(size1: cp.size, size2: final.size, root1: cp.root, root2: final.root, proof: proof),
                        "checkpoint \(cp.size) is not consistent with the final one")
            }
            // Inclusion of one entry from each server through the other server's tree.
            try await b.refresh()
            for (index, e, _) in acknowledged.prefix(5) {
                let proof = try b.inclusionProof(index: index, size: final.size)
                #expect(MerkleVerifier.verifyInclusion(leaf: MerkleHasher.leaf(e), index: index, size: final.size, proof: proof, root: final.root))
            }
            #expect(try await a.verify(with: verifier) == final.size)
            // Entry bundles are built from the stored entries: the full first one, and the partial last one.
            #expect(try await a.entryBundle(index: 0) == Tile.bundle((0..<256).map { stored[$0]! }))
            let lastStart = final.size / 256 * 256
            #expect(try await b.entryBundle(index: final.size / 256, width: final.size - lastStart)
                    == Tile.bundle((lastStart..<final.size).map { stored[$0]! }))
            await #expect(throws: PostgresLogError.self) { _ = try await a.entryBundle(index: final.size / 256, width: 256) }
            await a.close()
            await b.close()

            // A third server opening the database sees the same log.
            let c = try await PostgresLog(url: cluster.url, signer: signer)
            #expect(c.latestCheckpoint()?.serialized == finalNote.serialized)
            await c.close()
        }
    }

    /// A transaction refused in the middle, or at COMMIT, leaves no row, no checkpoint and no trace in
    /// memory: the next append takes the same index and the log verifies.
    @Test func refusedTransactionLeavesNoTrace() async throws {
        try await PostgresCluster.with { cluster in
            let log = try await PostgresLog(url: cluster.url, signer: signer)
            _ = try await log.appendBulk((0..<300).map { entry("x", 0, $0) })
            let before = try #require(log.latestCheckpoint())
            try await cluster.withClient { client in
                try await client.query("CREATE TABLE refuse (at TEXT PRIMARY KEY)")
                try await client.query("""
                    CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                      IF EXISTS (SELECT 1 FROM refuse WHERE at = TG_ARGV[0]) THEN RAISE EXCEPTION 'refused by the test (%)', TG_ARGV[0]; END IF;
                      RETURN NEW;
                    END $$
                    """)
                try await client.query("""
                    CREATE TRIGGER refuse_now BEFORE INSERT ON log_tile FOR EACH ROW EXECUTE FUNCTION refuse('now')
                    """)
                // Fires at COMMIT: the transaction did everything, then COMMIT is refused.
                try await client.query("""
                    CREATE CONSTRAINT TRIGGER refuse_commit AFTER INSERT ON log_checkpoint DEFERRABLE INITIALLY DEFERRED
                    FOR EACH ROW EXECUTE FUNCTION refuse('commit')
                    """)
            }
            func counts() async throws -> [Int] {
                try await cluster.withClient { client in
                    var out: [Int] = []
                    for table in ["log_entry", "log_tile", "log_checkpoint"] {
                        for try await n in try await client.query("SELECT count(*)::int8 FROM \(unescaped: table)").decode(Int.self) { out.append(n) }
                    }
                    for try await n in try await client.query("SELECT size FROM log_head").decode(Int.self) { out.append(n) }
                    return out
                }
            }
            let rowsBefore = try await counts()
            for at in ["now", "commit"] {
                try await cluster.withClient { client in _ = try await client.query("INSERT INTO refuse VALUES (\(at))") }
                let error = await #expect(throws: PostgresLogError.self) { _ = try await log.append(entry("refused", 0, 0)) }
                #expect(error?.message.contains("refused by the test (\(at))") == true, "\(String(describing: error))")
                await #expect(throws: PostgresLogError.self) { _ = try await log.appendBulk((0..<10).map { entry("refused", 1, $0) }) }
                #expect(try await counts() == rowsBefore)
                #expect(log.latestCheckpoint()?.serialized == before.serialized)
                try await cluster.withClient { client in _ = try await client.query("DELETE FROM refuse") }
            }
            #expect(try await log.append(entry("after", 0, 0)) == 300)
            #expect(try await log.verify(with: verifier) == 301)
            await log.close()
        }
    }

    @Test func twoCheckpointsOfOneSizeCannotBeStored() async throws {
        try await PostgresCluster.with { cluster in
            let log = try await PostgresLog(url: cluster.url, signer: signer)
            let note = try await log.appendBulk([entry("y", 0, 0), entry("y", 0, 1)])
            let other = try signer.signNote(Checkpoint(origin: signer.name, size: 2, root: MerkleHasher.leaf([1])).body)
            await #expect(throws: (any Error).self) {
                try await cluster.withClient { client in
                    _ = try await client.query("INSERT INTO log_checkpoint (size, root, note) VALUES (2, \(ByteBuffer(bytes: MerkleHasher.leaf([1]).bytes)), \(other.serialized))")
                }
            }
            #expect(try await log.verify(with: verifier) == 2)
            #expect(log.latestCheckpoint()?.serialized == note.serialized)
            await log.close()
        }
    }

    @Test func aURLThatIsNotPostgresIsRefusedWithAHint() async throws {
        let error = await #expect(throws: PostgresLogError.self) { _ = try await PostgresLog(url: "sqlite:///tmp/x", signer: signer) }
        #expect(error?.message.contains("postgres://USER@HOST:PORT/DATABASE") == true)
    }
}
