import Foundation
import GRDB

/// ``SQLConnection`` over a GRDB `Database` (inside one of GRDB's read or write closures); statements
/// are prepared once and cached by GRDB.
struct GRDBConnection: SQLConnection {
    let db: Database
    var dialect: SQLDialect { .sqlite }

    func execute(_ sql: String, _ arguments: SQLArguments) throws {
        try db.cachedStatement(sql: sql).execute(arguments: GRDBConnection.arguments(arguments))
    }

    func rows(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        let statement = try db.cachedStatement(sql: sql)
        let columns = SQLColumns(statement.columnNames)
        let cursor = try Row.fetchCursor(statement, arguments: GRDBConnection.arguments(arguments))
        var out: [SQLRow] = []
        while let row = try cursor.next() {
            out.append(SQLRow(columns: columns, values: row.databaseValues.map(GRDBConnection.value)))
        }
        return out
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        var result: T?
        try db.inSavepoint {
            result = try body()
            return .commit
        }
        guard let result else { throw SQLTypeMismatch(expected: "a savepoint result", found: .null) }
        return result
    }

    static func arguments(_ a: SQLArguments) -> StatementArguments {
        StatementArguments(a.values.map { v -> (any DatabaseValueConvertible)? in
            switch v {
            case .null: nil
            case .integer(let i): i
            case .real(let d): d
            case .text(let s): s
            case .blob(let b): Data(b)
            }
        })
    }

    static func value(_ v: DatabaseValue) -> SQLValue {
        switch v.storage {
        case .null: .null
        case .int64(let i): .integer(i)
        case .double(let d): .real(d)
        case .string(let s): .text(s)
        case .blob(let d): .blob([UInt8](d))
        }
    }
}

/// The SQLite backend's connections: GRDB's pool (one writer, concurrent readers on WAL snapshots).
struct SQLiteEngine: SQLEngine {
    let pool: DatabasePool
    var dialect: SQLDialect { .sqlite }
    var signsAfterCommit: Bool { false }
    var isShared: Bool { false }
    var defersWrites: Bool { false }
    var readsFromReplicas: Bool { false }
    func replayDelay(_ conn: any SQLConnection) throws -> Double? { nil }

    func read<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await pool.read { db in try body(GRDBConnection(db: db)) }
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await pool.write { db in try body(GRDBConnection(db: db)) }
    }

    func writeEachStatement<T: Sendable>(_ body: @escaping @Sendable (any SQLConnection) throws -> T) async throws -> T {
        try await pool.writeWithoutTransaction { db in try body(GRDBConnection(db: db)) }
    }

    /// The write transaction already holds SQLite's only write lock; there is no head row.
    func lockLog(_ conn: any SQLConnection, tail: Int) throws -> (size: Int, bytes: [UInt8]?)? { nil }

    func close() async {}
}
