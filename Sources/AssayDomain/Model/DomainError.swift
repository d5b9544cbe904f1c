/// Why a command or an input was refused: a code, the field path it concerns, and a message that says
/// what to change. Collision refusals also carry every collision found.
///
/// For example, `DomainError(.unknownReference, field: "grant.beneficiary", "no party \"acme\"")`
/// prints as `grant.beneficiary: no party "acme"`.
public struct DomainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of refusal; stable, for programs (the HTTP problem type, the CLI exit code).
    public enum Code: String, Sendable, Equatable {
        case invalidField = "invalid-field"
        case missingField = "missing-field"
        case unknownField = "unknown-field"
        case unknownReference = "unknown-reference"
        case duplicateID = "duplicate-id"
        case invalidTransition = "invalid-transition"
        case collision = "collision"
        case badSignature = "bad-signature"
        case notHolder = "not-holder"
        case lotConsumed = "lot-consumed"
        case duplicateTag = "duplicate-tag"
        case outsideWindow = "outside-window"
        /// The same custody event (same id, same bytes) was already recorded: not an error for the
        /// caller, who gets the original receipt (``DomainError/sequence``).
        case alreadyRecorded = "already-recorded"
    }

    public let code: Code
    /// The path of the offending field in the command, like `area.cells[2]` or `parties[0].party`.
    public let field: String
    public let message: String
    /// For ``Code/collision``: every collision found.
    public let collisions: [Collision]
    /// For ``Code/alreadyRecorded``: the entry that recorded it.
    public let sequence: Int64?

    public init(_ code: Code, field: String, _ message: String, collisions: [Collision] = [], sequence: Int64? = nil) {
        self.code = code
        self.field = field
        self.message = message
        self.collisions = collisions
        self.sequence = sequence
    }

    /// The same error with its field path placed under `prefix` (`grant` + `area` → `grant.area`).
    public func nested(under prefix: String) -> DomainError {
        guard !prefix.isEmpty else { return self }
        let path = field.isEmpty ? prefix : (field.hasPrefix("[") ? prefix + field : prefix + "." + field)
        return DomainError(code, field: path, message, collisions: collisions, sequence: sequence)
    }

    public var description: String { field.isEmpty ? message : "\(field): \(message)" }
}
