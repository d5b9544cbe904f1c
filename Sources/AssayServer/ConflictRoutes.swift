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
            return AssayApplication.json(DealJSON.claims(try await store.claimGroups(subject: subject, conflictsOnly: subject == nil)))
        }
    }
}
