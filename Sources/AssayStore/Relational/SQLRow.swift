/// One result row: its values by position, and by column name.
public struct SQLRow: Sendable {
    /// The column names (shared by every row of one result).
    public let columns: SQLColumns
    public let values: [SQLValue]

    public init(columns: SQLColumns, values: [SQLValue]) {
        self.columns = columns
        self.values = values
    }

    /// The value at `index` (zero-based), read as `T`.
    public subscript<T: SQLReadable>(_ index: Int) -> T {
        get throws {
            guard values.indices.contains(index) else { throw SQLTypeMismatch(expected: "column \(index)", found: .null) }
            return try T.read(values[index])
        }
    }

    /// The value of the column named `name`, read as `T`.
    public subscript<T: SQLReadable>(_ name: String) -> T {
        get throws {
            guard let i = columns.index[name] else { throw SQLTypeMismatch(expected: "a column named \(name)", found: .null) }
            return try T.read(values[i])
        }
    }

    /// `name=value` pairs, for snapshots that compare backends.
    public var rendered: String {
        zip(columns.names, values).map { "\($0)=\($1.rendered)" }.joined(separator: " ")
    }
}

/// The column names of a result, looked up by name.
public final class SQLColumns: Sendable {
    public let names: [String]
    let index: [String: Int]
    public init(_ names: [String]) {
        self.names = names
        var index: [String: Int] = [:]
        for (i, n) in names.enumerated() where index[n] == nil { index[n] = i }
        self.index = index
    }
}
