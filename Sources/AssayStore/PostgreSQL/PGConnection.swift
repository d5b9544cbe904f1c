import Foundation
import Logging
import NIOCore
import PostgresNIO
import Synchronization

/// ``SQLConnection`` over one PostgresNIO connection, used synchronously from a thread-pool thread
/// (never an event-loop thread): each statement waits for its result. `?` parameters are rewritten
/// to `$1…$n` once per distinct statement.
///
/// Why blocking calls: the registry's validation rules read the registry through a synchronous
/// protocol (``RegistryLookup``) in the middle of a transaction, exactly as on SQLite; waiting on
/// PostgresNIO's futures from a dedicated thread lets the same rules and statements run on both.
final class PGConnection: SQLConnection {
    let connection: PostgresConnection
    let logger: Logger
    var dialect: SQLDialect { .postgres }
    private var savepoints = 0

    init(connection: PostgresConnection, logger: Logger) {
        self.connection = connection
        self.logger = logger
    }

    func execute(_ sql: String, _ arguments: SQLArguments) throws {
        _ = try run(sql, arguments)
    }

    func rows(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        let result = try run(sql, arguments)
        var out: [SQLRow] = []
        var columns: SQLColumns?
        for row in result.rows {
            var values: [SQLValue] = []
            values.reserveCapacity(row.count)
            var names: [String] = []
            for cell in row {
                if columns == nil { names.append(cell.columnName) }
                values.append(try PGConnection.value(cell))
            }
            if columns == nil { columns = SQLColumns(names) }
            if let columns { out.append(SQLRow(columns: columns, values: values)) }
        }
        return out
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        savepoints += 1
        let name = "s\(savepoints)"
        defer { savepoints -= 1 }
        try execute("SAVEPOINT \(name)")
        do {
            let r = try body()
            try execute("RELEASE SAVEPOINT \(name)")
            return r
        } catch {
            try? execute("ROLLBACK TO SAVEPOINT \(name)")
            throw error
        }
    }

    private func run(_ sql: String, _ arguments: SQLArguments) throws -> PostgresQueryResult {
        var binds = PostgresBindings(capacity: arguments.values.count)
        for v in arguments.values {
            switch v {
            case .null: binds.appendNull()
            case .integer(let i): binds.append(i)
            case .real(let d): binds.append(d)
            case .text(let s): binds.append(s)
            case .blob(let b): binds.append(ByteBuffer(bytes: b))
            }
        }
        let query = PostgresQuery(unsafeSQL: PGConnection.numbered(sql), binds: binds)
        do {
            return try connection.query(query, logger: logger).wait()
        } catch {
            throw PGConnection.failure(error, sql: sql)
        }
    }

    /// `?` placeholders as `$1…$n`, outside quoted text. Cached: the registry has a fixed set of statements.
    static func numbered(_ sql: String) -> String {
        if let hit = numberedCache.withLock({ $0[sql] }) { return hit }
        var out = ""
        out.reserveCapacity(sql.utf8.count + 16)
        var n = 0
        var quote: Character?
        for c in sql {
            if let q = quote {
                if c == q { quote = nil }
                out.append(c)
            } else if c == "'" || c == "\"" {
                quote = c
                out.append(c)
            } else if c == "?" {
                n += 1
                out += "$\(n)"
            } else {
                out.append(c)
            }
        }
        numberedCache.withLock { cache in
            if cache.count > 4096 { cache.removeAll() }
            cache[sql] = out
        }
        return out
    }
    private static let numberedCache = Mutex<[String: String]>([:])

    static func value(_ cell: PostgresCell) throws -> SQLValue {
        guard cell.bytes != nil else { return .null }
        switch cell.dataType {
        case .int2, .int4, .int8: return .integer(try cell.decode(Int64.self))
        case .float4, .float8: return .real(try cell.decode(Double.self))
        case .bool: return .integer(try cell.decode(Bool.self) ? 1 : 0)
        case .bytea:
            var b = try cell.decode(ByteBuffer.self)
            return .blob(b.readBytes(length: b.readableBytes) ?? [])
        case .numeric:
            let d = try cell.decode(Decimal.self)
            var rounded = Decimal(), copy = d
            NSDecimalRound(&rounded, &copy, 0, .plain)
            if rounded == d, let i = Int64(exactly: NSDecimalNumber(decimal: d).int64Value), Decimal(i) == d { return .integer(i) }
            return .real(NSDecimalNumber(decimal: d).doubleValue)
        default: return .text(try cell.decode(String.self))
        }
    }

    /// Storage failures (disk full; the server gone, shutting down or no longer the primary) become
    /// ``StorageFailure`` (answered 507/503 with Retry-After); anything else keeps the server's message.
    static func failure(_ error: any Error, sql: String) -> any Error {
        guard let e = error as? PSQLError else { return error }
        switch e.code {
        case .connectionError, .serverClosedConnection, .uncleanShutdown, .queryCancelled:
            return StorageFailure(kind: .io, message: "PostgreSQL connection lost (\(e.code)); a failover may be under way")
        case .server:
            let state = e.serverInfo?[.sqlState] ?? ""
            let message = e.serverInfo?[.message] ?? "\(e.code)"
            if state == "53100" || state == "53200" { return StorageFailure(kind: .full, message: "PostgreSQL: \(message)") }
            if state.hasPrefix("08") || state.hasPrefix("57P") || state == "25006" {
                return StorageFailure(kind: .io, message: "PostgreSQL: \(message) (SQLSTATE \(state))")
            }
            return PostgresFailure("PostgreSQL refused a statement: \(message) (SQLSTATE \(state)) in: \(sql.prefix(200))")
        default:
            return PostgresFailure("PostgreSQL: \(String(reflecting: e))")
        }
    }
}
