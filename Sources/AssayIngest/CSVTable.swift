/// A CSV file read as RFC 4180 (quoted fields, doubled quotes, quoted line breaks; CRLF or LF line
/// ends; a UTF-8 byte-order mark is skipped), keeping for every record the line it starts on.
///
/// Hand-written rather than SwiftCSV because import errors must say `FILE:LINE`, and a record with a
/// quoted line break spans several lines: the reader has to count them as it goes.
///
/// For example:
/// ```swift
/// let table = try CSVTable(text: "id,name\nbisie,Bisie\n")
/// table.rows[0]["name"]   // "Bisie"
/// table.rows[0].line      // 2
/// ```
public struct CSVTable: Sendable {
    /// One record with the 1-based line it starts on.
    public struct Row: Sendable {
        public let line: Int
        public let fields: [String]
        let index: [String: Int]

        /// The field under `column`, or `""` when the column is absent or the row short.
        public subscript(column: String) -> String {
            guard let i = index[column], i < fields.count else { return "" }
            return fields[i]
        }
    }

    public let header: [String]
    public let rows: [Row]

    /// - Throws: ``ImportError`` for an unterminated quote or a row with more fields than the header.
    public init(text: String, file: String = "input") throws(ImportError) {
        var records: [(line: Int, fields: [String])] = []
        var field = ""
        var fields: [String] = []
        var inQuotes = false
        var line = 1
        var recordLine = 1
        var chars = Array(text.unicodeScalars)
        if chars.first == "\u{FEFF}" { chars.removeFirst() }
        var i = 0
        var fieldStarted = false
        while i < chars.count {
            let c = chars[i]
            if inQuotes {
                if c == "\"" {
                    if i + 1 < chars.count, chars[i + 1] == "\"" { field.unicodeScalars.append("\""); i += 2; continue }
                    inQuotes = false
                } else {
                    if c == "\n" { line += 1 }
                    field.unicodeScalars.append(c)
                }
                i += 1
                continue
            }
            switch c {
            case "\"" where !fieldStarted || field.isEmpty:
                inQuotes = true
                fieldStarted = true
            case ",":
                fields.append(field); field = ""; fieldStarted = false
            case "\r", "\n":
                if c == "\r", i + 1 < chars.count, chars[i + 1] == "\n" { i += 1 }
                fields.append(field); field = ""; fieldStarted = false
                if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
                fields = []
                line += 1
                recordLine = line
            default:
                field.unicodeScalars.append(c)
                fieldStarted = true
            }
            i += 1
        }
        if inQuotes { throw ImportError(file: file, line: recordLine, field: "", message: "a quoted field is never closed") }
        if fieldStarted || !fields.isEmpty {
            fields.append(field)
            // A last line without a line end is skipped when blank, as every other blank line is.
            if !(fields.count == 1 && fields[0].isEmpty) { records.append((recordLine, fields)) }
        }
        guard let first = records.first else { throw ImportError(file: file, line: 1, field: "", message: "the file is empty") }
        header = first.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var index: [String: Int] = [:]
        for (i, h) in header.enumerated() where index[h] == nil { index[h] = i }
        var rows: [Row] = []
        for r in records.dropFirst() {
            if r.fields.count > header.count {
                throw ImportError(file: file, line: r.line, field: "", message: "\(r.fields.count) fields, but the header has \(header.count)")
            }
            rows.append(Row(line: r.line, fields: r.fields, index: index))
        }
        self.rows = rows
    }

    /// Checks that the header has every column in `required`.
    public func require(_ required: [String], file: String) throws(ImportError) {
        let missing = required.filter { !header.contains($0) }
        if !missing.isEmpty {
            throw ImportError(file: file, line: 1, field: missing[0], message: "missing column(s): \(missing.joined(separator: ", "))")
        }
    }
}

import Foundation

/// An input problem located in a file: `FILE:LINE: field: message`, as compilers print them.
public struct ImportError: Error, Sendable, CustomStringConvertible, Equatable {
    public var file: String
    public var line: Int
    public var field: String
    public var message: String

    public init(file: String, line: Int, field: String, message: String) {
        self.file = file; self.line = line; self.field = field; self.message = message
    }

    public var description: String {
        field.isEmpty ? "\(file):\(line): \(message)" : "\(file):\(line): \(field): \(message)"
    }
}

/// Several input problems: every bad line of a file, so a user can fix them all at once.
public struct ImportErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [ImportError]
    public init(_ errors: [ImportError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}
