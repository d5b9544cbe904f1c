/// One connection to the registry's database, used by one thread at a time inside a read or a write
/// transaction that the backend's ``SQLEngine`` opened. Statements are written once, in the SQL both
/// SQLite and PostgreSQL accept, with `?` for parameters; where the dialects differ, ``dialect`` says
/// how to write it.
///
/// Why our own small interface rather than a library's: GRDB (SQLite) and PostgresNIO share none, and
/// the SQL-kit packages that do would move every query of the registry to a query builder. This
/// keeps the statements as they were and lets both backends run them.
public protocol SQLConnection {
    var dialect: SQLDialect { get }
    /// Runs a statement that returns no rows.
    func execute(_ sql: String, _ arguments: SQLArguments) throws
    /// Runs a query and returns every row.
    func rows(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow]
    /// Runs `body` in a savepoint: released when it returns, rolled back when it throws.
    func savepoint<T>(_ body: () throws -> T) throws -> T
}

extension SQLConnection {
    public func execute(_ sql: String) throws { try execute(sql, []) }
    public func rows(_ sql: String) throws -> [SQLRow] { try rows(sql, []) }

    /// The first row, if any.
    public func row(_ sql: String, _ arguments: SQLArguments = []) throws -> SQLRow? {
        try rows(sql, arguments).first
    }

    /// The first column of the first row; nil when there is no row or the value is NULL.
    public func value<T: SQLReadable>(_ type: T.Type, _ sql: String, _ arguments: SQLArguments = []) throws -> T? {
        guard let r = try rows(sql, arguments).first, let v = r.values.first else { return nil }
        if case .null = v { return nil }
        return try T.read(v)
    }

    /// The first column of every row (NULLs skipped).
    public func values<T: SQLReadable>(_ type: T.Type, _ sql: String, _ arguments: SQLArguments = []) throws -> [T] {
        try rows(sql, arguments).compactMap { r in
            guard let v = r.values.first else { return nil }
            if case .null = v { return nil }
            return try T.read(v)
        }
    }
}

/// Where the two SQL dialects differ in what the registry's statements use.
public enum SQLDialect: Sendable {
    case sqlite, postgres

    /// The text of member `key` of a JSON text column (NULL when absent).
    public func jsonText(_ column: String, _ key: String) -> String {
        switch self {
        case .sqlite: "json_extract(\(column), '$.\(key)')"
        case .postgres: "((\(column))::jsonb ->> '\(key)')"
        }
    }
}

extension SQLConnection {
    /// The rows of `query` for every id of `ids`, asked 500 at a time: `query` is given the placeholders
    /// (`?, ?, …`) to put in its `IN (…)`, and the ids are bound to them in order.
    func rows(forEachOf ids: some Collection<String>, _ query: (_ placeholders: String) -> String) throws -> [SQLRow] {
        let all = Array(ids)
        var out: [SQLRow] = []
        var start = 0
        while start < all.count {
            let chunk = all[start..<min(all.count, start + 500)]
            out += try rows(query(Array(repeating: "?", count: chunk.count).joined(separator: ", ")), SQLArguments(chunk.map { .text($0) }))
            start += chunk.count
        }
        return out
    }

    /// Calls `body` with every journal entry after `after`, in order, read in pages of 10,000 so a large
    /// journal is never all in memory.
    func forEachJournalEntry(after: Int64 = 0, _ body: (_ seq: Int64, _ bytes: [UInt8]) throws -> Void) throws {
        var last = after
        while true {
            let page = try rows("SELECT seq, bytes FROM journal WHERE seq > ? ORDER BY seq LIMIT 10000", [last])
            for row in page {
                last = try row[0]
                try body(last, try row[1])
            }
            if page.count < 10_000 { return }
        }
    }
}
