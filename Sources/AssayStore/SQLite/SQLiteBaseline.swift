import Foundation
import GRDB

/// Raw SQLite figures measured on this machine, as the baseline benchmarks print beside their own.
public enum SQLiteBaseline {
    /// Inserts `rows` rows of `(TEXT primary key, TEXT of payloadBytes)` with one prepared statement in one
    /// transaction (WAL, `synchronous = FULL`, one durable commit) and returns rows per second.
    public static func rowInsertRate(rows: Int, payloadBytes: Int, directory: String) throws -> Double {
        let path = (directory as NSString).appendingPathComponent("baseline-\(UUID().uuidString).sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let pool = try DatabasePool(path: path)
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        try pool.write { try $0.execute(sql: "CREATE TABLE t(id TEXT PRIMARY KEY, payload TEXT NOT NULL)") }
        let payload = String(repeating: "x", count: payloadBytes)
        let start = ContinuousClock.now
        try pool.write { db in
            let s = try db.makeStatement(sql: "INSERT INTO t(id, payload) VALUES (?, ?)")
            for i in 0..<rows { try s.execute(arguments: ["row-\(i)", payload]) }
        }
        let d = ContinuousClock.now - start
        return Double(rows) / (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}

extension SQLiteBaseline {
    /// Inserts `rows` blobs of `bytes` bytes (integer key) in one transaction with one durable commit;
    /// returns rows per second.
    public static func blobInsertRate(rows: Int, bytes: Int, directory: String) throws -> Double {
        let path = (directory as NSString).appendingPathComponent("baseline-blob-\(UUID().uuidString).sqlite")
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let pool = try DatabasePool(path: path)
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        try pool.write { try $0.execute(sql: "CREATE TABLE t(id INTEGER PRIMARY KEY, data BLOB NOT NULL)") }
        let payload = Data(repeating: 0x61, count: bytes)
        let start = ContinuousClock.now
        try pool.write { db in
            let s = try db.makeStatement(sql: "INSERT INTO t(id, data) VALUES (?, ?)")
            for i in 0..<rows { try s.execute(arguments: [i, payload]) }
        }
        let d = ContinuousClock.now - start
        return Double(rows) / (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }
}
