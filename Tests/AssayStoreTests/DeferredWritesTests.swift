import AssayDomain
@testable import AssayStore
import Foundation
import Testing

/// Held inserts sent a table at a time must leave the database exactly as running each statement when
/// issued: checked on this run's backend by running the same random statements both ways.
@Suite("Inserts held and sent a table at a time")
struct DeferredWritesTests {
    @Test func whichStatementsAreHeld() throws {
        let plain = try #require(InsertShape("INSERT INTO journal(seq, time, bytes) VALUES (?, ?, ?)"))
        #expect(plain.table == "journal" && plain.columns == ["seq", "time", "bytes"] && plain.conflictKey == nil)
        #expect(plain.sql(rows: 2) == "INSERT INTO journal(seq, time, bytes) VALUES (?, ?, ?), (?, ?, ?)")
        let nothing = try #require(InsertShape("INSERT INTO log_checkpoint(size, note) VALUES (?, ?) ON CONFLICT (size) DO NOTHING"))
        #expect(nothing.conflictKey == nil && nothing.tail == " ON CONFLICT (size) DO NOTHING")
        let upsert = try #require(InsertShape("""
            INSERT INTO lot(id, mass_g, events) VALUES (?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET mass_g = excluded.mass_g, events = lot.events || ',' || excluded.events
            """))
        #expect(upsert.conflictKey == [0] && upsert.additive == nil)
        let sums = try #require(InsertShape("""
            INSERT INTO party_flow(party, mineral, received_g, exported_g) VALUES (?, ?, ?, ?)
            ON CONFLICT(party, mineral) DO UPDATE SET received_g = party_flow.received_g + excluded.received_g, exported_g = party_flow.exported_g + excluded.exported_g
            """))
        #expect(sums.conflictKey == [0, 1] && sums.additive == [2, 3])
        #expect(InsertShape("INSERT OR IGNORE INTO t(a) VALUES (?)") == nil)
        #expect(InsertShape("INSERT INTO t(a, b) VALUES (?, 1)") == nil)
        #expect(InsertShape("INSERT INTO t(a) VALUES (?) RETURNING a") == nil)
        #expect(InsertShape("INSERT INTO t(a) SELECT a FROM u") == nil)
        #expect(InsertShape("UPDATE t SET a = ?") == nil)
        #expect(DeferredWrites.mentions("SELECT lot FROM lot_tag WHERE tag = ?", "lot_tag"))
        #expect(!DeferredWrites.mentions("SELECT lot FROM lot_tag WHERE tag = ?", "tag_lot"))
        #expect(!DeferredWrites.mentions("SELECT x FROM lot_tag", "lot"))
        #expect(DeferredWrites.mentions("SELECT x FROM lot WHERE id = ?", "lot"))
    }

    /// One pass of random statements: inserts, repeated upsert keys (overwriting, concatenating, adding,
    /// ignoring), updates, reads between them and savepoints, some rolled back.
    /// Returns what was read, and how many statements were issued.
    static func run(_ db: any SQLConnection, seed: UInt64) throws -> ([String], Int) {
        var state = seed
        var issued = 0
        func next(_ n: Int) -> Int {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Int((state >> 33) % UInt64(n))
        }
        var reads: [String] = []
        var plainID = 0
        func step() throws {
            issued += 1
            switch next(9) {
            case 0, 1:
                plainID += 1
                try db.execute("INSERT INTO dw_plain(id, v) VALUES (?, ?)", [plainID, "p\(next(100))"])
            case 2:
                try db.execute("""
                    INSERT INTO dw_upsert(k, v, n) VALUES (?, ?, ?)
                    ON CONFLICT(k) DO UPDATE SET v = dw_upsert.v || ',' || excluded.v, n = excluded.n
                    """, ["k\(next(5))", "v\(next(100))", next(1000)])
            case 3, 4:
                try db.execute("""
                    INSERT INTO dw_sum(k, m, g, h) VALUES (?, ?, ?, ?)
                    ON CONFLICT(k, m) DO UPDATE SET g = dw_sum.g + excluded.g, h = dw_sum.h + excluded.h
                    """, ["k\(next(3))", "m\(next(2))", next(1000), next(7)])
            case 5:
                try db.execute("INSERT INTO dw_once(id, v) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", [next(20), "o\(next(100))"])
            case 6:
                if plainID > 0 { try db.execute("UPDATE dw_plain SET v = v || '!' WHERE id = ?", [1 + next(plainID)]) }
            case 7:
                let r = try db.rows("SELECT k, m, g, h FROM dw_sum WHERE k = ? ORDER BY m", ["k\(next(3))"])
                reads.append(r.map { $0.values.map(\.rendered).joined(separator: "|") }.joined(separator: ";"))
            default:
                let undo = next(3) == 0
                do {
                    try db.savepoint {
                        for _ in 0..<(1 + next(4)) {
                            plainID += 1
                            issued += 2
                            try db.execute("INSERT INTO dw_plain(id, v) VALUES (?, ?)", [plainID, "s\(next(100))"])
                            try db.execute("""
                                INSERT INTO dw_sum(k, m, g, h) VALUES (?, ?, ?, ?)
                                ON CONFLICT(k, m) DO UPDATE SET g = dw_sum.g + excluded.g, h = dw_sum.h + excluded.h
                                """, ["k\(next(3))", "m\(next(2))", next(1000), 1])
                        }
                        if undo { throw Undo() }
                    }
                } catch is Undo {
                    reads.append("undone")
                }
            }
        }
        for _ in 0..<400 { try step() }
        for table in ["dw_plain ORDER BY id", "dw_upsert ORDER BY k", "dw_sum ORDER BY k, m", "dw_once ORDER BY id"] {
            for r in try db.rows("SELECT * FROM \(table)") { reads.append(r.values.map(\.rendered).joined(separator: "|")) }
        }
        return (reads, issued)
    }

    struct Undo: Error {}

    static func create(_ db: any SQLConnection) throws {
        try db.execute("CREATE TABLE dw_plain(id BIGINT PRIMARY KEY, v TEXT NOT NULL)")
        try db.execute("CREATE TABLE dw_upsert(k TEXT PRIMARY KEY, v TEXT NOT NULL, n BIGINT NOT NULL)")
        try db.execute("CREATE TABLE dw_sum(k TEXT NOT NULL, m TEXT NOT NULL, g BIGINT NOT NULL, h BIGINT NOT NULL, PRIMARY KEY(k, m))")
        try db.execute("CREATE TABLE dw_once(id BIGINT PRIMARY KEY, v TEXT NOT NULL)")
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func heldInsertsLeaveTheSameDatabase(seed: UInt64) async throws {
        let (direct, directDB) = try await Fixtures.store()
        let (held, heldDB) = try await Fixtures.store()
        defer { Fixtures.remove(directDB); Fixtures.remove(heldDB) }
        let expected = try await direct.engine.write { db in
            try DeferredWritesTests.create(db)
            return try DeferredWritesTests.run(db, seed: seed).0
        }
        let (got, sent) = try await held.engine.write { db in
            try DeferredWritesTests.create(db)
            let deferred = DeferredWrites(db)
            let (reads, issued) = try DeferredWritesTests.run(deferred, seed: seed)
            try deferred.flush()
            return (reads, (sent: deferred.statementsSent, issued: issued))
        }
        #expect(got == expected)
        #expect(expected.contains("undone"), "no savepoint was rolled back: the case is not exercised")
        // Fewer statements sent than issued: rows went together.
        #expect(sent.sent < sent.issued, "\(sent.sent) statements sent for \(sent.issued) issued")
        await direct.close()
        await held.close()
    }

    /// A statement run after the held rows (the log head's update) goes with them: one statement on PostgreSQL.
    @Test func aStatementAfterTheHeldRows() async throws {
        let (store, db) = try await Fixtures.store()
        defer { Fixtures.remove(db) }
        let (rows, sent) = try await store.engine.write { conn in
            try DeferredWritesTests.create(conn)
            try conn.execute("INSERT INTO dw_plain(id, v) VALUES (?, ?)", [1, "a"])
            let deferred = DeferredWrites(conn)
            try deferred.execute("INSERT INTO dw_once(id, v) VALUES (?, ?) ON CONFLICT (id) DO NOTHING", [7, "x"])
            try deferred.execute("INSERT INTO dw_sum(k, m, g, h) VALUES (?, ?, ?, ?)", ["k", "m", 1, 2])
            try deferred.flush(then: "UPDATE dw_plain SET v = ? WHERE id = ?", ["b", 1])
            let rows = try conn.rows("SELECT v FROM dw_plain UNION ALL SELECT v FROM dw_once UNION ALL SELECT k FROM dw_sum").map { $0.values.map(\.rendered).joined() }
            return (rows, deferred.statementsSent)
        }
        #expect(rows.sorted() == ["b", "k", "x"])
        #expect(sent == (store.engine.dialect == .postgres ? 1 : 3))
        await store.close()
    }
}
