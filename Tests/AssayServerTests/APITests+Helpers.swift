import AssayStore
import Foundation
import HTTPTypes
import HummingbirdTesting

extension APITests {
    /// A response body as a JSON object (empty when it is not one, so the expectations on it fail).
    static func object(_ r: TestResponse) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(buffer: r.body)) as? [String: Any] ?? [:]
    }

    /// Request headers carrying a new registrar token of `store`.
    static func registrarHeaders(_ store: RelationalStore) async throws -> HTTPFields {
        var h = HTTPFields()
        h[.authorization] = "Bearer \(try await store.createToken(role: .registrar, party: nil).secret)"
        return h
    }
}
