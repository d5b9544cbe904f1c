import GRDB

/// The storage refused a write it could not make durable: the disk (or the database's allowed size) is
/// full, or the operating system reported an I/O error. Nothing of the refused write was kept and no
/// checkpoint covers it; the same write may succeed once space returns or the device recovers.
///
/// The server answers `507 Insufficient Storage` for ``Kind/full`` and `503 Service Unavailable` for
/// ``Kind/io``, both with `Retry-After`.
public struct StorageFailure: Error, Sendable, CustomStringConvertible {
    /// What the storage said.
    public enum Kind: String, Sendable {
        /// `SQLITE_FULL`: no room left on the device or under the size limit.
        case full
        /// `SQLITE_IOERR` (and its extended codes), `SQLITE_CANTOPEN`, `SQLITE_CORRUPT` on write.
        case io
    }

    public var kind: Kind
    /// The storage's own message (for the operator's log; it names no secret).
    public var message: String

    public init(kind: Kind, message: String) {
        self.kind = kind
        self.message = message
    }

    /// Recognises storage failures among GRDB's errors; `nil` for anything else.
    public init?(_ error: any Error) {
        if let e = error as? StorageFailure { self = e; return }
        guard let e = error as? DatabaseError else { return nil }
        switch e.resultCode {
        case .SQLITE_FULL: self.init(kind: .full, message: e.message ?? "database or disk is full")
        case .SQLITE_IOERR, .SQLITE_CANTOPEN: self.init(kind: .io, message: e.message ?? "disk I/O error")
        default: return nil
        }
    }

    public var description: String {
        switch kind {
        case .full: "the disk is full: nothing was written; free space and send it again (\(message))"
        case .io: "the storage reported an I/O error: nothing was written; send it again later (\(message))"
        }
    }
}
