/// A token presented after its expiry: refused, with when it expired.
public struct TokenExpired: Error, Sendable, CustomStringConvertible {
    public var id: String
    public var expired: String
    public var description: String { "token \(id) expired at \(expired)" }
}

/// A refused token operation, with what to do about it.
public struct TokenError: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}
