import Foundation

/// One value bound to or read from a SQL statement, in the five storage classes both backends share
/// (SQLite's own; PostgreSQL columns are BIGINT, DOUBLE PRECISION, TEXT and BYTEA to match).
///
/// The registry's shared SQL (projections, lookups, reports) is written once against ``SQLConnection``
/// and these values, so SQLite and PostgreSQL run the same statements and give the same answers.
public enum SQLValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])

    /// The value as text for snapshots and comparisons across backends (`NULL`, digits, text, hex).
    public var rendered: String {
        switch self {
        case .null: "NULL"
        case .integer(let i): String(i)
        case .real(let d): String(d)
        case .text(let s): s
        case .blob(let b): "x'" + b.map { String(format: "%02x", $0) }.joined() + "'"
        }
    }
}

/// A Swift value that can be bound to a statement parameter.
public protocol SQLBindable {
    var sqlValue: SQLValue { get }
}

extension String: SQLBindable { public var sqlValue: SQLValue { .text(self) } }
extension Substring: SQLBindable { public var sqlValue: SQLValue { .text(String(self)) } }
extension Int: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Int64: SQLBindable { public var sqlValue: SQLValue { .integer(self) } }
extension Int32: SQLBindable { public var sqlValue: SQLValue { .integer(Int64(self)) } }
extension Double: SQLBindable { public var sqlValue: SQLValue { .real(self) } }
extension Bool: SQLBindable { public var sqlValue: SQLValue { .integer(self ? 1 : 0) } }
extension Data: SQLBindable { public var sqlValue: SQLValue { .blob([UInt8](self)) } }
extension Array: SQLBindable where Element == UInt8 { public var sqlValue: SQLValue { .blob(self) } }
extension SQLValue: SQLBindable { public var sqlValue: SQLValue { self } }
extension Optional: SQLBindable where Wrapped: SQLBindable {
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}

/// The parameters of one statement, written as an array literal: `[id, kind.rawValue, seq]`.
public struct SQLArguments: ExpressibleByArrayLiteral, Sendable {
    public var values: [SQLValue]
    public init(_ values: [SQLValue]) { self.values = values }
    public init(arrayLiteral elements: (any SQLBindable)?...) {
        values = elements.map { $0?.sqlValue ?? .null }
    }
    public static func += (lhs: inout SQLArguments, rhs: SQLArguments) { lhs.values += rhs.values }
}

/// A Swift value that can be read from a result column.
public protocol SQLReadable {
    /// Throws ``SQLTypeMismatch`` when the column holds something else (the database was changed
    /// outside Assay, or a query reads the wrong column).
    static func read(_ value: SQLValue) throws -> Self
}

/// A column did not hold the type its reader expected.
public struct SQLTypeMismatch: Error, Sendable, CustomStringConvertible {
    public var expected: String
    public var found: SQLValue
    public var description: String { "expected \(expected), found \(found.rendered.prefix(40))" }
}

extension String: SQLReadable {
    public static func read(_ v: SQLValue) throws -> String {
        switch v {
        case .text(let s): return s
        case .integer(let i): return String(i)
        case .real(let d): return String(d)
        default: throw SQLTypeMismatch(expected: "text", found: v)
        }
    }
}
extension Int64: SQLReadable {
    public static func read(_ v: SQLValue) throws -> Int64 {
        switch v {
        case .integer(let i): return i
        case .real(let d) where d.rounded() == d && abs(d) < 9.2e18: return Int64(d)
        case .text(let s): if let i = Int64(s) { return i }
        default: break
        }
        throw SQLTypeMismatch(expected: "integer", found: v)
    }
}
extension Int: SQLReadable { public static func read(_ v: SQLValue) throws -> Int { Int(try Int64.read(v)) } }
extension Int32: SQLReadable {
    public static func read(_ v: SQLValue) throws -> Int32 {
        let i = try Int64.read(v)
        guard let n = Int32(exactly: i) else { throw SQLTypeMismatch(expected: "32-bit integer", found: v) }
        return n
    }
}
extension Double: SQLReadable {
    public static func read(_ v: SQLValue) throws -> Double {
        switch v {
        case .real(let d): return d
        case .integer(let i): return Double(i)
        case .text(let s): if let d = Double(s) { return d }
        default: break
        }
        throw SQLTypeMismatch(expected: "number", found: v)
    }
}
extension Bool: SQLReadable { public static func read(_ v: SQLValue) throws -> Bool { try Int64.read(v) != 0 } }
extension Data: SQLReadable {
    public static func read(_ v: SQLValue) throws -> Data {
        guard case .blob(let b) = v else { throw SQLTypeMismatch(expected: "blob", found: v) }
        return Data(b)
    }
}
extension Array: SQLReadable where Element == UInt8 {
    public static func read(_ v: SQLValue) throws -> [UInt8] {
        guard case .blob(let b) = v else { throw SQLTypeMismatch(expected: "blob", found: v) }
        return b
    }
}
extension SQLValue: SQLReadable { public static func read(_ v: SQLValue) throws -> SQLValue { v } }
extension Optional: SQLReadable where Wrapped: SQLReadable {
    public static func read(_ v: SQLValue) throws -> Wrapped? {
        if case .null = v { return nil }
        return try Wrapped.read(v)
    }
}
