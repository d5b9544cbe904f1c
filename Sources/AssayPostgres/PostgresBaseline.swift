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
                                    backgroundLogger: Logger(label: "assay.postgres.bench"))
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        let logger = Logger(label: "assay.postgres.bench")
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
