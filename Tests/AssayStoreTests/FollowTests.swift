import AssayDomain
import AssayStore
import AssayTestSupport
import Foundation
import Testing
import TransparencyLog

/// Several servers on one PostgreSQL log, and reads from a streaming replica: a store that did not write
/// an entry still serves the checkpoint that covers it once it has followed the log, and a store reading
/// from a replica never serves a checkpoint (or tile) newer than the replica holds. Real servers, own
/// cluster: always runs, whatever backend the rest of the suite uses.
@Suite("Following a shared log", .serialized)
struct FollowTests {
    static func party(_ id: String) throws -> Command {
        try Command(jsonText: #"{"type":"register-party","id":"\#(id)","name":"Party \#(id)","kind":"company"}"#)
    }

    static func open(_ url: String, read: String? = nil) async throws -> RelationalStore {
        try await RelationalStore.open(database: url, readDatabase: read, geography: Fixtures.geography, signers: [Fixtures.signer])
    }

    @Test func aStoreThatDidNotWriteServesWhatAnotherSigned() async throws {
        let pg = try TestPostgres()
        defer { pg.stop() }
        let a = try await Self.open(pg.url)
        let b = try await Self.open(pg.url)
        _ = try await a.append([try Self.party("p1"), try Self.party("p2"), try Self.party("p3")], author: "test")
        #expect(b.servedSize == 0, "b has not looked yet")
        #expect(try await b.follow() == 3)
        let (aNote, bNote) = (try #require(a.latestCheckpoint()), try #require(b.servedCheckpoint()))
        #expect(aNote.serialized == bNote.serialized)
        #expect(try b.inclusionProof(index: 2).proof == (try a.inclusionProof(index: 2).proof))
        #expect(try await b.tileData(try Tile(path: "tile/0/000.p/3")) == (try await a.tileData(try Tile(path: "tile/0/000.p/3"))))
        // b writes next: its entry extends the tree a signed, and a follows b.
        let receipts = try await b.append([try Self.party("p4")], author: "test")
        #expect(receipts.first?.sequence == 4)
        #expect(try await a.follow() == 4)
        #expect(a.latestCheckpoint()?.serialized == b.latestCheckpoint()?.serialized)
        await a.close()
        await b.close()
    }

    /// Following while writing: a server's catch-up under the log's lock and its follower both take in
    /// what others committed, and neither may skip or repeat an entry (a race here once made a server
    /// sign a root over a tree with entries missing).
    @Test func followingWhileWritingNeverSignsAWrongRoot() async throws {
        let pg = try TestPostgres()
        defer { pg.stop() }
        let a = try await Self.open(pg.url)
        let b = try await Self.open(pg.url)
        let c = try await Self.open(pg.url)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for (store, name) in [(a, "a"), (b, "b"), (c, "c")] {
                for t in 0..<4 {
                    group.addTask {
                        for i in 0..<40 { _ = try await store.append([try Self.party("\(name)-\(t)-\(i)")], author: "test") }
                    }
                }
                group.addTask {
                    for _ in 0..<1500 { try await store.follow() }
                }
            }
            try await group.waitForAll()
        }
        try await a.follow()
        try await b.follow()
        #expect(a.publishedSize == 480)
        #expect(a.latestCheckpoint()?.serialized == b.latestCheckpoint()?.serialized)
        let report = try await a.verify(with: try Ed25519NoteVerifier(verifierKey: a.verifierKey))
        #expect(report.entries == 480)
        #expect(report.checkpointSize == 480)
        await a.close()
        await b.close()
        await c.close()
    }

    /// After a failover a server's tree can end with entries the new primary never had (the old one
    /// showed their commit before its standby confirmed it), while other servers have appended different
    /// entries at those positions. Its next write finds where the tree and the journal part and takes in
    /// the journal's entries, so the root it signs is the journal's.
    /// With as many entries appended as were dropped, the journal is as long as the tree: only its last
    /// entry tells them apart (what the write's lock reads with the head row).
    @Test(arguments: [2, 3])
    func aTreeWithEntriesAFailoverDroppedIsCutBackBeforeItsNextWrite(appended: Int) async throws {
        let pg = try TestPostgres()
        defer { pg.stop() }
        let a = try await Self.open(pg.url)
        _ = try await a.append([try Self.party("p1"), try Self.party("p2")], author: "test")
        // x1 and x2 commit, but their checkpoint is never signed (as when the primary dies first)...
        try TestDatabase.execute(pg.url, """
            CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'primary gone'; END $$;
            CREATE TRIGGER refuse BEFORE INSERT ON log_checkpoint FOR EACH ROW EXECUTE FUNCTION refuse();
            """)
        await #expect(throws: (any Error).self) { try await a.append([try Self.party("x1"), try Self.party("x2")], author: "test") }
        #expect(a.publishedSize == 2)
        // ...and the promoted standby never had them.
        try TestDatabase.execute(pg.url, """
            DROP TRIGGER refuse ON log_checkpoint;
            DELETE FROM journal WHERE seq > 2; DELETE FROM entity WHERE id IN ('x1', 'x2'); DELETE FROM party WHERE id IN ('x1', 'x2');
            DELETE FROM party_search WHERE id IN ('x1', 'x2');
            DELETE FROM log_tile WHERE level = 0 AND width > 2; UPDATE log_head SET size = 2;
            """)
        // Another server appends three entries where x1 and x2 were; then the first writes again.
        let b = try await Self.open(pg.url)
        _ = try await b.append(try (1...appended).map { try Self.party("y\($0)") }, author: "test")
        let receipts = try await a.append([try Self.party("z1")], author: "test")
        #expect(receipts.first?.sequence == Int64(3 + appended))
        try await b.follow()
        #expect(b.publishedSize == 3 + appended)
        #expect(a.latestCheckpoint()?.serialized == b.latestCheckpoint()?.serialized)
        let report = try await a.verify(with: try Ed25519NoteVerifier(verifierKey: a.verifierKey))
        #expect(report.entries == 3 + appended)
        await a.close()
        await b.close()
    }

    @Test func aStoreReadingFromAReplicaNeverServesMoreThanTheReplicaHolds() async throws {
        let pg = try TestPostgres()
        defer { pg.stop() }
        let primary = try await Self.open(pg.url)
        _ = try await primary.append([try Self.party("r1"), try Self.party("r2")], author: "test")
        let replica = try pg.replica()
        let reader = try await Self.open(pg.url, read: replica)
        // The replica catches up (asynchronous streaming): within a few seconds it serves size 2.
        var served = 0
        for _ in 0..<100 where served < 2 {
            served = try await reader.follow()
            if served < 2 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(served == 2)
        #expect(reader.replicaState?.replayDelay != nil)

        // The replica stops replaying: what the reader writes itself (on the primary) is acknowledged
        // and signed, but its log API keeps serving the replica's checkpoint, and no tile beyond it.
        try TestDatabase.execute(replica, "SELECT pg_wal_replay_pause()")
        let receipts = try await reader.append([try Self.party("r3"), try Self.party("r4"), try Self.party("r5")], author: "test")
        #expect(receipts.last?.sequence == 5)
        #expect(reader.publishedSize == 5)
        #expect(try await reader.follow() == 2)
        let servedNote = try #require(reader.servedCheckpoint())
        #expect(try Checkpoint(body: servedNote.text).size == 2)
        #expect(try await reader.tileData(try Tile(path: "tile/0/000.p/5")) == nil, "a tile beyond what the replica holds was served")
        #expect(try await reader.tileData(try Tile(path: "tile/0/000.p/2")) != nil)

        // Replay resumes: the reader serves size 5, the same checkpoint the primary signed.
        try TestDatabase.execute(replica, "SELECT pg_wal_replay_resume()")
        served = 0
        for _ in 0..<100 where served < 5 {
            served = try await reader.follow()
            if served < 5 { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(served == 5)
        #expect(reader.servedCheckpoint()?.serialized == reader.latestCheckpoint()?.serialized)
        #expect(try await reader.tileData(try Tile(path: "tile/0/000.p/5")) != nil)
        await primary.close()
        await reader.close()
    }

    /// A commit whose wait for the synchronous standby is cancelled returns success (with a warning the
    /// driver drops) though no standby has it: nothing in it may be acknowledged or signed, or a failover
    /// could un-publish a signed tree. Once a standby requirement is lifted (or met), the next write takes
    /// the entry in and signs it. (Without the check the write signs, and storing that checkpoint waits for
    /// the missing standby for ever: the time limit fails the test.)
    @Test(.timeLimit(.minutes(1))) func aCommitNoStandbyConfirmedIsNeitherAcknowledgedNorSigned() async throws {
        let pg = try TestPostgres()
        defer { pg.stop() }
        let a = try await Self.open(pg.url)
        _ = try await a.append([try Self.party("p1")], author: "test")
        #expect(a.publishedSize == 1)
        // A synchronous standby that does not exist: COMMIT waits for it...
        try TestDatabase.execute(pg.url, "ALTER SYSTEM SET synchronous_standby_names = 'nobody'")
        _ = try TestDatabase.query(pg.url, "SELECT pg_reload_conf()")
        let write = Task { try await a.append([try Self.party("p2")], author: "test") }
        // ...until the wait is cancelled, as an administrator or a timeout would: COMMIT then returns.
        var cancelled = false
        for _ in 0..<200 where !cancelled {
            try await Task.sleep(for: .milliseconds(50))
            cancelled = try TestDatabase.query(pg.url, "SELECT count(pg_cancel_backend(pid)) FROM pg_stat_activity WHERE wait_event = 'SyncRep'") != "0"
        }
        #expect(cancelled, "no commit waited for the standby")
        await #expect(throws: StorageFailure.self) { _ = try await write.value }
        #expect(a.publishedSize == 1)
        #expect(try TestDatabase.query(pg.url, "SELECT count(*) FROM log_checkpoint WHERE size > 1") == "0")
        // The entry was committed here: once no standby is required, the next write takes it in and signs both.
        try TestDatabase.execute(pg.url, "ALTER SYSTEM RESET synchronous_standby_names")
        _ = try TestDatabase.query(pg.url, "SELECT pg_reload_conf()")
        let receipts = try await a.append([try Self.party("p3")], author: "test")
        #expect(receipts.first?.sequence == 3)
        #expect(a.publishedSize == 3)
        let report = try await a.verify(with: try Ed25519NoteVerifier(verifierKey: a.verifierKey))
        #expect(report.entries == 3 && report.checkpointSize == 3)
        await a.close()
    }
}
