import AssayDomain
import AssayReports
import AssayStore
import Foundation
import Hummingbird

/// The API of sources that disagree: claims about one fact side by side, with the one the registry uses.
enum ConflictRoutes {
    /// Sources that disagree: `GET /api/v1/conflicts?subject=` (every subject's conflicting claims, or one subject's claims).
    static func register(on api: RouterGroup<AssayContext>, store: RelationalStore) {
        api.get("conflicts") { request, _ in
            let subject = request.uri.queryParameters["subject"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            return AssayApplication.json(.object(["items": .array(try await store.claimGroups(subject: subject, conflictsOnly: subject == nil).map(json))]))
        }
    }

    /// `{"subject","field","conflicting","used"?,"claims":[…]}`.
    static func json(_ g: ClaimGroup) -> JSONValue {
        var m: [String: JSONValue] = ["subject": .string(g.subject), "field": .string(g.field), "conflicting": .bool(g.conflicting),
                                      "claims": .array(g.claims.map { .object($0.json) })]
        if let u = g.used { m["used"] = .string(u.id) }
        return .object(m)
    }
}
