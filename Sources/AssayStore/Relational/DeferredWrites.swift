import Synchronization

/// A write transaction's connection that holds back plain `INSERT … VALUES (?, …)` statements and sends
/// them as multi-row statements, one per statement text, when something needs the database to be up
/// to date: a read that names a table with held rows, any other kind of statement, a savepoint, or
/// the end of the transaction (``flush()``).
///
/// Why: on PostgreSQL every statement is a network round trip (about 100 µs here, more than the
/// statement itself), and a signed custody event wrote five to eight rows one at a time. Batched, a
/// write transaction of 32 events sends one statement per table instead of 200.
///
/// The database ends up exactly as if each statement had run when it was issued:
/// - rows of one statement text keep their order; statements on different tables commute (the
///   registry's schema has no triggers, foreign keys or views), and a second statement text for a
///   table that already has held rows sends the held rows first;
/// - `ON CONFLICT … DO UPDATE` rows that share a conflict key go in successive statements (the n-th
///   occurrence of a key in the n-th), so each sees the one before it — except when every assignment
///   only adds (`c = t.c + excluded.c`): those rows are summed into one first, which is the same sum;
/// - a read runs after the held rows of every table its text names (a false match only costs a flush);
/// - rows held inside a savepoint that is rolled back are dropped with it.
/// An error in a held row (a constraint) is raised at the flush, inside the same transaction, which the
/// caller then rolls back as it would have.
final class DeferredWrites: SQLConnection {
    let base: any SQLConnection
    var dialect: SQLDialect { base.dialect }
    /// Held rows by statement text, in the order the texts first appeared.
    private var groups: [Group] = []
    private var groupIndex: [String: Int] = [:]
    /// Parsed statement texts (nil: not deferrable), kept for the process: the registry has few texts,
    /// and parsing one took a fifth of the writer's time when done per batch.
    private static let shapes = Mutex<[String: InsertShape?]>([:])
    /// Statements sent so far, for tests and benchmarks.
    private(set) var statementsSent = 0

    /// At most this many parameters in one statement (SQLite's default limit is 32,766; PostgreSQL's 65,535).
    static let maxParameters = 30_000

    private struct Group {
        let shape: InsertShape
        var rows: [[SQLValue]]
    }

    init(_ base: any SQLConnection) { self.base = base }

    /// Rows held now; past ``maxHeld`` they are sent (a rebuild or an import may issue millions, with
    /// nothing that reads them in between).
    private var held = 0
    static let maxHeld = 20_000

    func execute(_ sql: String, _ arguments: SQLArguments) throws {
        if let shape = shape(of: sql), arguments.values.count == shape.columns.count {
            if held >= DeferredWrites.maxHeld { try flush() }
            held += 1
            if let i = groupIndex[sql] {
                groups[i].rows.append(arguments.values)
                return
            }
            // Another statement text for the same table: what is held for it goes first.
            if groups.contains(where: { $0.shape.table == shape.table }) { try flush() }
            groupIndex[sql] = groups.count
            groups.append(Group(shape: shape, rows: [arguments.values]))
            return
        }
        try flush()
        statementsSent += 1
        try base.execute(sql, arguments)
    }

    func rows(_ sql: String, _ arguments: SQLArguments) throws -> [SQLRow] {
        if groups.contains(where: { DeferredWrites.mentions(sql, $0.shape.table) }) { try flush() }
        statementsSent += 1
        return try base.rows(sql, arguments)
    }

    func savepoint<T>(_ body: () throws -> T) throws -> T {
        try flush()
        do {
            return try base.savepoint {
                let r = try body()
                try flush()
                return r
            }
        } catch {
            // Rolled back: so is everything held since the savepoint began (all of it: it began empty).
            groups.removeAll()
            groupIndex.removeAll()
            held = 0
            throw error
        }
    }

    /// Sends every held row, then runs `sql` (a statement on a table nothing is held for): on PostgreSQL
    /// in the same statement as the held rows' first (`WITH …, u AS (UPDATE …) INSERT …`), a round trip less.
    func flush(then sql: String, _ arguments: SQLArguments) throws {
        guard dialect == .postgres, !groups.isEmpty else {
            try flush()
            statementsSent += 1
            try base.execute(sql, arguments)
            return
        }
        try flush(extra: (sql, arguments))
    }

    /// Sends every held row.
    ///
    /// On PostgreSQL the first statement of every table goes out as one: `WITH a AS (INSERT …), b AS
    /// (INSERT …) INSERT …`. Data-modifying statements in `WITH` all run, on one snapshot; they cannot
    /// see each other's rows, which is why only statements on different tables are joined (each table's
    /// later rounds follow in statements of their own).
    func flush() throws { try flush(extra: nil) }

    private func flush(extra: (sql: String, arguments: SQLArguments)?) throws {
        guard !groups.isEmpty else { return }
        let sending = groups
        groups.removeAll()
        groupIndex.removeAll()
        held = 0
        var statements: [(shape: InsertShape, rows: ArraySlice<[SQLValue]>)] = []
        var later: [(shape: InsertShape, rows: ArraySlice<[SQLValue]>)] = []
        for g in sending {
            let perStatement = max(1, DeferredWrites.maxParameters / g.shape.columns.count)
            for (r, round) in DeferredWrites.rounds(g.rows, shape: g.shape).enumerated() {
                var start = 0
                while start < round.count {
                    let chunk = round[start..<min(round.count, start + perStatement)]
                    if r == 0 && start == 0 { statements.append((g.shape, chunk)) } else { later.append((g.shape, chunk)) }
                    start += chunk.count
                }
            }
        }
        if dialect == .postgres {
            // First statements of different tables, joined while they stay under the parameter limit.
            var joined: [(shape: InsertShape, rows: ArraySlice<[SQLValue]>)] = []
            var parameters = 0
            for s in statements {
                let n = s.rows.count * s.shape.columns.count
                if !joined.isEmpty, parameters + n > DeferredWrites.maxParameters {
                    try send(joined)
                    joined = []
                    parameters = 0
                }
                joined.append(s)
                parameters += n
            }
            // The extra statement rides with the last joined one when no later round follows (else after all).
            if later.isEmpty, let extra {
                try send(joined, extra: extra)
                return
            }
            if !joined.isEmpty { try send(joined) }
        } else {
            for s in statements { try send([s]) }
        }
        for s in later { try send([s]) }
        if let extra {
            statementsSent += 1
            try base.execute(extra.sql, extra.arguments)
        }
    }

    /// One statement: a single insert, or (PostgreSQL) several on different tables joined with `WITH`.
    private func send(_ parts: [(shape: InsertShape, rows: ArraySlice<[SQLValue]>)], extra: (sql: String, arguments: SQLArguments)? = nil) throws {
        var args: [SQLValue] = []
        args.reserveCapacity(parts.reduce(0) { $0 + $1.rows.count * $1.shape.columns.count })
        var sql: String
        if parts.count == 1, extra == nil {
            for p in parts { for row in p.rows { args += row } }
            sql = parts[0].shape.sql(rows: parts[0].rows.count)
        } else {
            // `?` are numbered in text order: the extra statement's arguments come first, as its text does.
            var ctes: [String] = []
            if let extra {
                ctes.append("u AS (\(extra.sql))")
                args += extra.arguments.values
            }
            for p in parts { for row in p.rows { args += row } }
            for (i, p) in parts.dropLast().enumerated() { ctes.append("w\(i) AS (\(p.shape.sql(rows: p.rows.count)))") }
            sql = "WITH " + ctes.joined(separator: ", ") + " " + parts[parts.count - 1].shape.sql(rows: parts[parts.count - 1].rows.count)
        }
        statementsSent += 1
        try base.execute(sql, SQLArguments(args))
    }

    private func shape(of sql: String) -> InsertShape? {
        if let known = DeferredWrites.shapes.withLock({ $0[sql] }) { return known }
        let s = InsertShape(sql)
        DeferredWrites.shapes.withLock { cache in
            if cache.count > 4096 { cache.removeAll() }  // statements are fixed texts; never reached
            cache[sql] = .some(s)
        }
        return s
    }

    /// Rows split into statements that may each run as one: all of them, unless an `ON CONFLICT … DO
    /// UPDATE` key repeats; additive updates summed per key.
    static func rounds(_ rows: [[SQLValue]], shape: InsertShape) -> [[[SQLValue]]] {
        guard let key = shape.conflictKey, rows.count > 1 else { return [rows] }
        if let additive = shape.additive {
            var out: [[SQLValue]] = []
            var at: [[SQLValue]: Int] = [:]
            for row in rows {
                let k = key.map { row[$0] }
                if k.contains(.null) { out.append(row); continue }
                if let i = at[k] {
                    for c in additive { out[i][c] = sum(out[i][c], row[c]) }
                } else {
                    at[k] = out.count
                    out.append(row)
                }
            }
            return [out]
        }
        var out: [[[SQLValue]]] = []
        var seen: [[SQLValue]: Int] = [:]
        for row in rows {
            let k = key.map { row[$0] }
            var r = 0
            if !k.contains(.null) {
                r = seen[k, default: 0]
                seen[k] = r + 1
            }
            if r == out.count { out.append([]) }
            out[r].append(row)
        }
        return out
    }

    private static func sum(_ a: SQLValue, _ b: SQLValue) -> SQLValue {
        switch (a, b) {
        case (.integer(let x), .integer(let y)): .integer(x &+ y)
        case (.real(let x), .real(let y)): .real(x + y)
        case (.integer(let x), .real(let y)): .real(Double(x) + y)
        case (.real(let x), .integer(let y)): .real(x + Double(y))
        case (.null, _), (_, .null): .null  // NULL + anything is NULL in SQL too
        default: a
        }
    }

    /// Whether `table` appears in `sql` as a whole identifier.
    static func mentions(_ sql: String, _ table: String) -> Bool {
        let s = Array(sql.utf8), t = Array(table.utf8)
        guard t.count <= s.count else { return false }
        func ident(_ c: UInt8) -> Bool { c == UInt8(ascii: "_") || (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 122) }
        var i = 0
        while i + t.count <= s.count {
            if s[i] == t[0], Array(s[i..<(i + t.count)]) == t,
               i == 0 || !ident(s[i - 1]), i + t.count == s.count || !ident(s[i + t.count]) {
                return true
            }
            i += 1
        }
        return false
    }
}

/// What ``DeferredWrites`` needs to know of an `INSERT INTO t(c1, …) VALUES (?, …) [ON CONFLICT …]`:
/// the table, the columns, the conflict key's positions and, for an update that only adds, which
/// columns it adds. Anything else (`INSERT OR …`, literals among the values, `RETURNING`, `SELECT`)
/// is not deferred.
struct InsertShape: Sendable {
    let table: String
    let columns: [String]
    let head: String
    let tail: String
    /// Positions (in `columns`) of the `ON CONFLICT (…)` columns, when the statement updates on conflict.
    let conflictKey: [Int]?
    /// Positions of the columns an all-additive `DO UPDATE SET c = t.c + excluded.c, …` adds.
    let additive: [Int]?

    init?(_ sql: String) {
        let text = sql.trimmingCharacters(in: .whitespacesAndNewlines)
        let prefix = "INSERT INTO "
        guard text.hasPrefix(prefix), !text.uppercased().contains("RETURNING") else { return nil }
        let afterPrefix = text.dropFirst(prefix.count)
        guard let open = afterPrefix.firstIndex(of: "("), let close = afterPrefix[open...].firstIndex(of: ")") else { return nil }
        let table = afterPrefix[..<open].trimmingCharacters(in: .whitespaces)
        guard !table.isEmpty, table.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" }) else { return nil }
        let columns = afterPrefix[afterPrefix.index(after: open)..<close].split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var rest = afterPrefix[afterPrefix.index(after: close)...].drop { $0.isWhitespace }
        guard rest.hasPrefix("VALUES") else { return nil }
        rest = rest.dropFirst("VALUES".count).drop { $0.isWhitespace }
        guard rest.first == "(", let valuesClose = rest.firstIndex(of: ")") else { return nil }
        let placeholders = rest[rest.index(after: rest.startIndex)..<valuesClose].split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard placeholders.count == columns.count, placeholders.allSatisfy({ $0 == "?" }) else { return nil }
        let tail = String(rest[rest.index(after: valuesClose)...])
        self.table = table
        self.columns = columns
        self.head = "INSERT INTO \(table)(\(columns.joined(separator: ", "))) VALUES "
        self.tail = tail
        let upper = tail.uppercased()
        guard let conflict = upper.range(of: "ON CONFLICT"), upper.contains("DO UPDATE") else {
            guard !upper.contains("ON CONFLICT") || upper.contains("DO NOTHING") else { return nil }
            conflictKey = nil
            additive = nil
            return
        }
        let afterConflict = tail[conflict.upperBound...]
        guard let kOpen = afterConflict.firstIndex(of: "("), let kClose = afterConflict.firstIndex(of: ")") else { return nil }
        let keyColumns = afterConflict[afterConflict.index(after: kOpen)..<kClose].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        let key = keyColumns.compactMap { columns.firstIndex(of: $0) }
        guard key.count == keyColumns.count, !key.isEmpty else { return nil }
        conflictKey = key
        // `SET a = t.a + excluded.a, b = t.b + excluded.b` and nothing else: rows with one key can be summed.
        guard let set = upper.range(of: "DO UPDATE SET") else { additive = nil; return }
        let assignments = tail[set.upperBound...].split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        var adds: [Int] = []
        for a in assignments {
            let parts = a.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, let c = columns.firstIndex(of: parts[0]),
                  parts[1].replacingOccurrences(of: " ", with: "") == "\(table).\(parts[0])+excluded.\(parts[0])" else { adds = []; break }
            adds.append(c)
        }
        additive = adds.isEmpty ? nil : adds
    }

    /// The statement for `rows` rows.
    func sql(rows: Int) -> String {
        let one = "(" + Array(repeating: "?", count: columns.count).joined(separator: ", ") + ")"
        var s = head
        s.reserveCapacity(head.utf8.count + rows * (one.utf8.count + 2) + tail.utf8.count)
        for i in 0..<rows {
            if i > 0 { s += ", " }
            s += one
        }
        return s + tail
    }
}
