/// A JSON value restricted to what Assay's canonical encoding needs.
///
/// Numbers are kept as integers (`Int64`, within ±2^53 so every I-JSON reader agrees on them) or,
/// for input only, as the decimal literal text a user wrote (`.decimal`). Assay never hashes or signs
/// a non-integer number: domain types write decimal quantities as strings, so the canonical bytes
/// (``CanonicalJSON``) never depend on floating-point formatting.
///
/// For example:
/// ```swift
/// let value: JSONValue = .object(["seq": .int(1), "kind": .string("registerParty")])
/// let bytes = CanonicalJSON.encode(value)   // {"kind":"registerParty","seq":1}
/// ```
public enum JSONValue: Sendable, Equatable, Hashable {
    case null
    case bool(Bool)
    case int(Int64)
    /// A non-integer number literal as written in the input, already checked to be a valid JSON number.
    case decimal(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// The largest integer magnitude every IEEE-754 double reader keeps exactly (RFC 7493 I-JSON).
    public static let maxSafeInteger: Int64 = 9_007_199_254_740_991

    /// A short name of the value's type, used in error messages ("expected a string, found an array").
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .int, .decimal: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
