import Foundation

/// Reads the members of a JSON object field by field, turning every problem into a ``DomainError``
/// whose field path says exactly where it is (`parties[1].role`). Unknown members are refused, so a
/// misspelt field never goes silently missing.
///
/// For example:
/// ```swift
/// let o = try JSONObject(json, path: "")
/// let name = try o.string("name")
/// let until = try o.optionalDay("until")
/// try o.rejectUnknown()
/// ```
public struct JSONObject {
    public let members: [String: JSONValue]
    public let path: String
    private let readKeys: KeyTracker

    /// Wraps `value`, which must be an object.
    public init(_ value: JSONValue, path: String) throws(DomainError) {
        guard case .object(let members) = value else {
            throw DomainError(.invalidField, field: path, "expected an object, found \(value.typeName)")
        }
        self.members = members
        self.path = path
        self.readKeys = KeyTracker()
    }

    /// The path of member `key`.
    public func path(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    /// The raw value of `key`, or `nil` when absent or `null`.
    public func optionalValue(_ key: String) -> JSONValue? {
        let found = members[key]
        readKeys.read(key, present: found != nil)
        guard let v = found, v != .null else { return nil }
        return v
    }

    public func value(_ key: String) throws(DomainError) -> JSONValue {
        guard let v = optionalValue(key) else { throw DomainError(.missingField, field: path(key), "is required") }
        return v
    }

    public func optionalString(_ key: String, maxLength: Int = 4000) throws(DomainError) -> String? {
        guard let v = optionalValue(key) else { return nil }
        guard case .string(let s) = v else {
            throw DomainError(.invalidField, field: path(key), "expected a string, found \(v.typeName)")
        }
        // Trim only when needed: Foundation's trimming costs more than the rest of the read.
        let u = s.utf8
        func space(_ b: UInt8?) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        let trimmed = space(u.first) || space(u.last) ? s.trimmingCharacters(in: .whitespacesAndNewlines) : s
        if trimmed.isEmpty { throw DomainError(.invalidField, field: path(key), "must not be empty") }
        if trimmed.count > maxLength {
            throw DomainError(.invalidField, field: path(key), "is longer than \(maxLength) characters")
        }
        return trimmed
    }

    public func string(_ key: String, maxLength: Int = 4000) throws(DomainError) -> String {
        guard let s = try optionalString(key, maxLength: maxLength) else {
            throw DomainError(.missingField, field: path(key), "is required")
        }
        return s
    }

    /// An identifier: 1–100 characters of lower-case letters, digits and `._:-`, starting with a letter or digit.
    public func optionalID(_ key: String) throws(DomainError) -> String? {
        guard let s = try optionalString(key, maxLength: 100) else { return nil }
        try Identifier.validate(s, field: path(key))
        return s
    }

    public func id(_ key: String) throws(DomainError) -> String {
        guard let s = try optionalID(key) else { throw DomainError(.missingField, field: path(key), "is required") }
        return s
    }

    public func optionalBool(_ key: String) throws(DomainError) -> Bool? {
        guard let v = optionalValue(key) else { return nil }
        guard case .bool(let b) = v else {
            throw DomainError(.invalidField, field: path(key), "expected true or false, found \(v.typeName)")
        }
        return b
    }

    public func optionalInt(_ key: String) throws(DomainError) -> Int64? {
        guard let v = optionalValue(key) else { return nil }
        guard case .int(let i) = v else {
            throw DomainError(.invalidField, field: path(key), "expected an integer, found \(v.typeName)")
        }
        return i
    }

    /// A decimal given as a string (`"71.25"`, the canonical form) or a JSON number (accepted on input).
    public func optionalDecimal(_ key: String) throws(DomainError) -> Decimal? {
        guard let v = optionalValue(key) else { return nil }
        return try JSONObject.decimal(v, field: path(key))
    }

    public func decimal(_ key: String) throws(DomainError) -> Decimal {
        guard let d = try optionalDecimal(key) else { throw DomainError(.missingField, field: path(key), "is required") }
        return d
    }

    static func decimal(_ v: JSONValue, field: String) throws(DomainError) -> Decimal {
        let text: String
        switch v {
        case .int(let i): return Decimal(i)
        case .decimal(let t): text = t
        case .string(let s): text = s.trimmingCharacters(in: .whitespaces)
        default: throw DomainError(.invalidField, field: field, "expected a decimal number, found \(v.typeName)")
        }
        guard DecimalText.isPlain(text), let d = Decimal(string: text, locale: Locale(identifier: "en_US_POSIX")), !d.isNaN else {
            throw DomainError(.invalidField, field: field, "expected a decimal number like \"12.5\", found \"\(text)\"")
        }
        return d
    }

    public func optionalDay(_ key: String) throws(DomainError) -> Day? {
        guard let s = try optionalString(key, maxLength: 10) else { return nil }
        return try Day(iso: s, field: path(key))
    }

    public func day(_ key: String) throws(DomainError) -> Day {
        guard let d = try optionalDay(key) else { throw DomainError(.missingField, field: path(key), "is required") }
        return d
    }

    /// A value of a string enumeration; the error lists the accepted values.
    public func optionalEnum<E: RawRepresentable & CaseIterable>(_ key: String, _: E.Type) throws(DomainError) -> E?
    where E.RawValue == String {
        guard let s = try optionalString(key, maxLength: 100) else { return nil }
        guard let e = E(rawValue: s) else {
            let accepted = E.allCases.map(\.rawValue).joined(separator: ", ")
            throw DomainError(.invalidField, field: path(key), "\"\(s)\" is not one of: \(accepted)")
        }
        return e
    }

    public func enumValue<E: RawRepresentable & CaseIterable>(_ key: String, _ type: E.Type) throws(DomainError) -> E
    where E.RawValue == String {
        guard let e = try optionalEnum(key, type) else { throw DomainError(.missingField, field: path(key), "is required") }
        return e
    }

    /// The elements of an array member with their paths; absent means empty.
    public func array(_ key: String, maxCount: Int = 100_000) throws(DomainError) -> [(value: JSONValue, path: String)] {
        guard let v = optionalValue(key) else { return [] }
        guard case .array(let items) = v else {
            throw DomainError(.invalidField, field: path(key), "expected an array, found \(v.typeName)")
        }
        if items.count > maxCount { throw DomainError(.invalidField, field: path(key), "has more than \(maxCount) items") }
        return items.enumerated().map { (value: $0.element, path: "\(path(key))[\($0.offset)]") }
    }

    /// An array of strings, each checked by `check`.
    public func strings(_ key: String, maxCount: Int = 1000) throws(DomainError) -> [String] {
        var out: [String] = []
        for (v, p) in try array(key, maxCount: maxCount) {
            guard case .string(let s) = v, !s.isEmpty else {
                throw DomainError(.invalidField, field: p, "expected a non-empty string, found \(v.typeName)")
            }
            out.append(s)
        }
        return out
    }

    public func optionalObject(_ key: String) throws(DomainError) -> JSONObject? {
        guard let v = optionalValue(key) else { return nil }
        return try JSONObject(v, path: path(key))
    }

    public func object(_ key: String) throws(DomainError) -> JSONObject {
        guard let o = try optionalObject(key) else { throw DomainError(.missingField, field: path(key), "is required") }
        return o
    }

    /// Refuses any member that was never read.
    public func rejectUnknown() throws(DomainError) {
        // Every member was read: nothing to look for (the common case, without hashing a key again).
        guard readKeys.present < members.count else { return }
        let unknown = members.keys.filter { !readKeys.keys.contains($0) }.sorted()
        if let first = unknown.first {
            throw DomainError(.unknownField, field: path(first), "is not a field here; check its spelling")
        }
    }
}

/// Remembers which members a ``JSONObject`` has read. A class so the struct's reads can be recorded
/// through a non-mutating API; never shared between threads (a reader lives inside one decode call).
///
/// An array, not a set: an object has a handful of members, and comparing short keys costs less than
/// hashing each one again (the set's hashing was most of decoding a journal entry on replay).
final class KeyTracker {
    /// The distinct keys read.
    private(set) var keys: [String] = []
    /// How many of them the object has.
    private(set) var present = 0

    func read(_ key: String, present isPresent: Bool) {
        guard !keys.contains(key) else { return }
        keys.append(key)
        if isPresent { present += 1 }
    }
}

/// Identifier rules shared by every entity.
public enum Identifier {
    /// Checks an identifier: 1–100 characters of `a-z 0-9 . _ : -`, starting with a letter or digit.
    public static func validate(_ s: String, field: String) throws(DomainError) {
        let u = s.utf8
        guard let first = u.first, u.count <= 100, isAlnum(first), u.allSatisfy({ isAlnum($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x3A || $0 == 0x2D }) else {
            throw DomainError(.invalidField, field: field,
                              "\"\(s)\" is not a valid id: use 1–100 lower-case letters, digits and . _ : -, starting with a letter or digit")
        }
    }

    private static func isAlnum(_ b: UInt8) -> Bool { (b >= 0x61 && b <= 0x7A) || (b >= 0x30 && b <= 0x39) }

    /// Checks a physical tag (a lot id): 1–100 characters of `A-Z a-z 0-9 . _ : / -`, starting with a
    /// letter or digit. Tags are printed on bags and seals, often in capitals, so case is kept and matters.
    public static func validateTag(_ s: String, field: String) throws(DomainError) {
        let u = s.utf8
        func ok(_ b: UInt8) -> Bool { isAlnum(b) || (b >= 0x41 && b <= 0x5A) }
        guard let first = u.first, u.count <= 100, ok(first),
              u.allSatisfy({ ok($0) || $0 == 0x2E || $0 == 0x5F || $0 == 0x3A || $0 == 0x2D || $0 == 0x2F }) else {
            throw DomainError(.invalidField, field: field,
                              "\"\(s)\" is not a valid tag: use 1–100 letters, digits and . _ : / -, starting with a letter or digit")
        }
    }
}

extension JSONObject {
    /// A physical tag (see ``Identifier/validateTag(_:field:)``).
    public func tag(_ key: String) throws(DomainError) -> String {
        let s = try string(key, maxLength: 100)
        try Identifier.validateTag(s, field: path(key))
        return s
    }
}

/// Checks and normalises decimal text.
public enum DecimalText {
    /// Whether `text` is a plain decimal: optional minus, digits, optional fraction; no exponent.
    public static func isPlain(_ text: String) -> Bool {
        var sawDigit = false, sawDot = false
        for (i, c) in text.utf8.enumerated() {
            if c == UInt8(ascii: "-"), i == 0 { continue }
            if c == UInt8(ascii: "."), !sawDot { sawDot = true; continue }
            guard c >= 0x30, c <= 0x39 else { return false }
            sawDigit = true
        }
        return sawDigit && text.count <= 40
    }

    /// The canonical text of a decimal (`5`, `71.25`, `-0.5`), as written into journal entries.
    public static func canonical(_ d: Decimal) -> String {
        var d = d
        var r = Decimal()
        NSDecimalRound(&r, &d, 12, .plain)
        return r.description
    }
}
