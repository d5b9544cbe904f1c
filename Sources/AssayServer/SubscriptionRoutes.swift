import AssayDomain
import AssayStore
import Foundation
import HTTPTypes
import Hummingbird

/// Webhook subscriptions, managed by registrars and auditors: `POST /api/v1/subscriptions`
/// `{"url":"https://…","match":{"party":"gecamines"},"after":N}`, `GET /api/v1/subscriptions`,
/// `DELETE /api/v1/subscriptions/{id}`. Delivery is ``WebhookDeliverer``'s.
enum SubscriptionRoutes {
    static func register(on api: RouterGroup<AssayContext>, store: RelationalStore) {
        api.post("subscriptions") { request, context in
            try context.require(.registrar, .auditor)
            guard case .object(let m) = try await AssayApplication.body(request, context) else { throw Problem.invalid("", "expected a JSON object") }
            for k in m.keys where !["url", "match", "after"].contains(k) { throw Problem.invalid(k, "unknown member; a subscription has url, match and after") }
            guard case .string(let url)? = m["url"], let u = URL(string: url), u.scheme == "http" || u.scheme == "https", u.host != nil, url.count <= 2000 else {
                throw Problem.invalid("url", "expected an http(s) URL to POST notices to")
            }
            var keys: [String] = []
            if let match = m["match"] {
                guard case .object(let filters) = match else { throw Problem.invalid("match", "expected an object such as {\"party\":\"gecamines\"}") }
                for (kind, value) in filters.sorted(by: { $0.key < $1.key }) {
                    guard EntryKeys.kinds.contains(kind) else { throw Problem.invalid("match.\(kind)", "unknown filter; use \(EntryKeys.kinds.joined(separator: ", "))") }
                    guard case .string(let v) = value, !v.isEmpty, v.unicodeScalars.count <= 200 else { throw Problem.invalid("match.\(kind)", "expected a string of 1 to 200 characters") }
                    keys.append(kind + ":" + (kind == "mineral" ? v.lowercased() : v))
                }
            }
            var after: Int64?
            if let a = m["after"] {
                guard case .int(let n) = a, n >= 0, n <= Int64(store.servedSize) else {
                    throw Problem.invalid("after", "expected an entry number from 0 to \(store.servedSize) (deliver the entries after it)")
                }
                after = n
            }
            let sub = try await store.createSubscription(url: url, match: keys, after: after, createdBy: context.token?.id ?? "unknown")
            return AssayApplication.json(sub.json, status: .created)
        }
        api.get("subscriptions") { _, context in
            try context.require(.registrar, .auditor)
            return AssayApplication.json(.object(["items": .array(try await store.subscriptions().map(\.json))]))
        }
        api.delete("subscriptions/:id") { _, context in
            try context.require(.registrar, .auditor)
            let id = try context.parameters.require("id")
            guard try await store.deleteSubscription(id) else { throw Problem.notFound("no subscription \"\(id)\"") }
            return Response(status: .noContent)
        }
    }
}
