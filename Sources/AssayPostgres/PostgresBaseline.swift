import Foundation
import Logging
import PostgresNIO

/// PostgreSQL's own rate for storing rows, to set beside the log's: what `assay bench log --db` compares with.
public enum PostgresBaseline {
    /// Inserts `entries` (with their index) into a plain, logged table in one transaction — multi-row
    /// INSERTs of the same size as the log's (16,384 rows each), one durable commit —
    /// and returns rows per second. The table is dropped afterwards.
    public static func rowInsertRate(url: String, entries: [[UInt8]]) async throws -> Double {
        let client = PostgresClient(configuration: try PostgresLog.configuration(url: url, maxConnections: 1),
                                    backgroundLogger: PostgresScratchDatabase.quietLogger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        let logger = PostgresScratchDatabase.quietLogger
        let table = "bench_raw_\(UUID().uuidString.prefix(8).lowercased())"
        do {
            try await client.query("CREATE TABLE \(unescaped: table) (idx BIGINT PRIMARY KEY, data BYTEA NOT NULL)", logger: logger)
            let start = ContinuousClock.now
            try await client.withTransaction(logger: logger) { conn in
                var s = 0
                while s < entries.count {
                    let e = min(entries.count, s + PostgresLogCore.chunk)
                    let idx = Array(s..<e)
                    let data = entries[s..<e].map { ByteBuffer(bytes: $0) }
                    try await conn.query("INSERT INTO \(unescaped: table) (idx, data) SELECT * FROM unnest(\(idx)::int8[], \(data)::bytea[])", logger: logger)
                    s = e
                }
            }
            let d = ContinuousClock.now - start
            try await client.query("DROP TABLE \(unescaped: table)", logger: logger)
            return Double(entries.count) / (Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
        } catch {
            throw PostgresLog.explain(error, doing: "measuring PostgreSQL's raw insert rate")
        }
    }
}

/// A new empty database on a benchmark's PostgreSQL server, so `assay bench … --db postgres://…` never
/// writes into an existing registry; dropped by ``drop()``.
public struct PostgresScratchDatabase: Sendable {
    /// The URL the user gave (its database is where CREATE and DROP DATABASE run).
    public let adminURL: String
    public let name: String
    /// `adminURL` with the new database.
    public let url: String

    public static func create(url: String, label: String) async throws -> PostgresScratchDatabase {
        let name = "assay_bench_\(label)_\(UUID().uuidString.prefix(8).lowercased())"
        try await run(url, "CREATE DATABASE \(name)")
        guard let slash = url.range(of: "/", options: .backwards), slash.lowerBound > url.index(url.startIndex, offsetBy: 11) else {
            throw PostgresLogError("'\(url)' names no database; give postgres://USER@HOST:PORT/DATABASE")
        }
        let rest = url[slash.upperBound...]
        let query = rest.firstIndex(of: "?").map { String(rest[$0...]) } ?? ""
        return PostgresScratchDatabase(adminURL: url, name: name, url: String(url[..<slash.lowerBound]) + "/" + name + query)
    }

    /// PostgresNIO warns when a query is queued before its client runs (as here, by design): errors only.
    static var quietLogger: Logger {
        var l = Logger(label: "assay.postgres.bench")
        l.logLevel = .error
        return l
    }

    public func drop() async {
        try? await Self.run(adminURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    static func run(_ url: String, _ sql: String) async throws {
        let logger = quietLogger
        let client = PostgresClient(configuration: try PostgresLog.configuration(url: url, maxConnections: 1), backgroundLogger: logger)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        do { try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger) } catch {
            throw PostgresLog.explain(error, doing: sql)
        }
    }
}
