import AssayDomain
import AssayIngest
import AssayStore
import AssayTestSupport
import Foundation
import GRDB
import TransparencyLog

/// Shared test fixtures: the real geography (loaded once) and throwaway database files.
enum Fixtures {
    static let geography: Geography = {
        do { return try ReferenceData.geography() } catch { preconditionFailure("reference boundaries missing: \(error)") }
    }()

    /// A new empty store on this run's backend (a temporary SQLite file, or a new PostgreSQL database:
    /// see ``TestDatabase``), with a fixed clock so entries are reproducible.
    static func store() async throws -> (RelationalStore, String) {
        let db = try TestDatabase.fresh("store")
        let store = try await RelationalStore.open(database: db, geography: geography, signers: [signer],
                                                   clock: { Timestamp(milliseconds: 1_795_000_000_000) })
        return (store, db)
    }

    /// A new empty store in a SQLite file, for what only SQLite has (its files, WAL, online backup).
    static func sqliteStore() throws -> (RelationalStore, String) {
        let path = NSTemporaryDirectory() + "assay-test-\(UUID().uuidString).sqlite"
        let store = try RelationalStore(path: path, geography: geography, signer: signer,
                                        clock: { Timestamp(milliseconds: 1_795_000_000_000) })
        return (store, path)
    }

    static let signer: Ed25519NoteSigner = {
        do { return try Ed25519NoteSigner(name: "test.local/registry") } catch { preconditionFailure("\(error)") }
    }()

    static func remove(_ db: String) { TestDatabase.remove(db) }

    /// Changes the database behind the store's back (as someone with access to it could).
    static func tamper(_ db: String, _ sql: String) async throws {
        if TestDatabase.isPostgres {
            try TestDatabase.execute(db, sql)
        } else {
            let queue = try DatabaseQueue(path: db)
            try await queue.write { try $0.execute(sql: sql) }
            try queue.close()
        }
    }

    static func commands(_ lines: [String]) throws -> [Command] { try lines.map { try Command(jsonText: $0) } }
}
