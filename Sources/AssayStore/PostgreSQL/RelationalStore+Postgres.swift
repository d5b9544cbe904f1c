import AssayDomain
import Foundation
import TransparencyLog

extension RelationalStore {
    /// Opens the registry at `database`: a SQLite file path, or a PostgreSQL URL
    /// (`postgres://USER@HOST:PORT[,HOST:PORT…]/DATABASE`), creating and migrating it when needed.
    /// - Parameter readDatabase: PostgreSQL replicas to serve reads from (`--read-db`); writes and the
    ///   log's state always go to the primary.
    public static func open(database: String, readDatabase: String? = nil, geography: Geography, signers: [Ed25519NoteSigner],
                            clock: @escaping @Sendable () -> Timestamp = RelationalStore.systemClock) async throws -> RelationalStore {
        guard PostgresURL.isPostgres(database) else {
            if readDatabase != nil { throw PostgresFailure("--read-db: read replicas are for a PostgreSQL registry; this one is a SQLite file") }
            return try RelationalStore(path: database, geography: geography, signers: signers, clock: clock)
        }
        guard let signer = signers.first else { throw StoreCorruption(table: "meta", key: "key", reason: "no signing key given") }
        let url = try PostgresURL(database)
        let readURL = try readDatabase.map(PostgresURL.init)
        let engine = PostgresEngine(url: url, readURL: readURL)
        do {
            try await engine.write { db in try PostgresRegistrySchema.migrate(db) }
            let opened = try await engine.write { db in
                try engine.lockLog(db, tail: 0)  // the lock only: the tree is loaded next
                return try RelationalStore.load(db, signer: signer)
            }
            let store = try RelationalStore(engine: engine, sqlite: nil, opened: opened, geography: geography, signers: signers, clock: clock)
            // Entries a writer committed but died before signing are covered now, so the log is whole.
            _ = try await store.appender.signCommitted()
            return store
        } catch {
            await engine.close()
            throw error
        }
    }

    /// Closes the backend's connections (PostgreSQL); the store cannot be used afterwards.
    public func close() async {
        await engine.close()
    }
}
