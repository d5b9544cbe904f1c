import Logging
import PostgresNIO
import TransparencyLog

/// The log's tables in PostgreSQL, created by numbered migrations recorded in `schema_migrations`.
///
/// - `log_head`: one coordination row (`id = 1`) with the committed size and root. Every append locks
///   it with `SELECT … FOR UPDATE`, so appenders on any number of servers take indexes one after another.
/// - `log_entry`: each entry at its index (entry bundles are built from here).
/// - `log_tile`: C2SP hash tiles, full and partial (level 0 holds the leaf hashes).
/// - `log_checkpoint`: every signed checkpoint, keyed by size: two checkpoints of one size cannot exist.
/// - `log_meta`: the log's origin (the name of the key that signs its checkpoints).
enum PostgresSchema {
    /// Migrations in order; each is a list of statements run in one transaction. Never edit a shipped one: append.
    static let migrations: [(version: Int, statements: [PostgresQuery])] = [
        (1, [
            "CREATE TABLE log_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE log_head (id INT PRIMARY KEY CHECK (id = 1), size BIGINT NOT NULL CHECK (size >= 0), root BYTEA NOT NULL CHECK (length(root) = 32))",
            "INSERT INTO log_head (id, size, root) VALUES (1, 0, \(ByteBuffer(bytes: MerkleHasher.empty.bytes)))",
            "CREATE TABLE log_entry (idx BIGINT PRIMARY KEY CHECK (idx >= 0), data BYTEA NOT NULL, leaf BYTEA NOT NULL CHECK (length(leaf) = 32))",
            "CREATE TABLE log_tile (level INT NOT NULL, idx BIGINT NOT NULL, width INT NOT NULL CHECK (width BETWEEN 1 AND 256), data BYTEA NOT NULL, PRIMARY KEY (level, idx, width))",
            "CREATE TABLE log_checkpoint (size BIGINT PRIMARY KEY CHECK (size > 0), root BYTEA NOT NULL CHECK (length(root) = 32), note TEXT NOT NULL)",
        ]),
        // Entries stored once: bundles are built from log_entry, leaf hashes read from the level-0 tiles.
        (2, [
            "DELETE FROM log_tile WHERE level = -1",
            "ALTER TABLE log_entry DROP COLUMN leaf",
        ]),
    ]

    /// Applies the migrations not yet applied. Safe when several processes open the log at once: a
    /// transaction-scoped advisory lock makes them take turns.
    static func migrate(_ client: PostgresClient, logger: Logger) async throws {
        try await client.withTransaction(logger: logger) { conn in
            try await conn.query("SELECT pg_advisory_xact_lock(916201)", logger: logger)
            try await conn.query("CREATE TABLE IF NOT EXISTS schema_migrations (version INT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
                                 logger: logger)
            var applied = Set<Int>()
            for try await v in try await conn.query("SELECT version FROM schema_migrations", logger: logger).decode(Int.self) { applied.insert(v) }
            if let newest = applied.max(), newest > (migrations.last?.version ?? 0) {
                throw PostgresLogError("the database's log schema is version \(newest), newer than this build knows (\(migrations.last?.version ?? 0)); run a newer assay")
            }
            for m in migrations where !applied.contains(m.version) {
                for statement in m.statements { try await conn.query(statement, logger: logger) }
                try await conn.query("INSERT INTO schema_migrations (version) VALUES (\(m.version))", logger: logger)
            }
        }
    }
}
