import AssayDomain
import Foundation

extension RelationalStore {
    /// The entry that registered a key.
    public func keyRegistrationSequence(_ key: String) async throws -> Int64? {
        try await engine.read { db in try db.value(Int64.self, "SELECT seq FROM operator_key WHERE id = ?", [key]) }
    }
}
