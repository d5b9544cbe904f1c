import AssayDomain
import AssayReports
import AssayStore
import Foundation
import Hummingbird

/// The API of the negotiation on the record: events filtered by agreement, party, kind and period.
enum TimelineRoutes {
    /// The negotiation record: `GET /api/v1/timeline?agreement=&party=&kind=a,b&from=&until=&limit=`.
    static func register(on api: RouterGroup<AssayContext>, store: RelationalStore) {
        api.get("timeline") { request, _ in
            let events = try await store.timeline(try filter(request))
            return AssayApplication.json(DealJSON.timeline(events))
        }
    }

    /// The timeline's filter from a request's query; a bad value is a 400 naming its parameter. `form`:
    /// the portal's form, whose empty fields mean "any"; the API refuses an empty value.
    static func filter(_ request: Request, form: Bool = false) throws -> TimelineFilter {
        let q = request.uri.queryParameters
        var f = TimelineFilter()
        func text(_ name: String) throws -> String? {
            guard let v = q[Substring(name)] else { return nil }
            if v.isEmpty {
                if form { return nil }
                throw Problem.invalid(name, "\(name) is empty; leave it out to mean any")
            }
            return String(v)
        }
        f.agreement = try text("agreement")
        f.party = try text("party")
        for list in q.getAll("kind") where !(form && list.isEmpty) {
            if list.isEmpty { throw Problem.invalid("kind", "kind is empty; leave it out to mean any") }
            for k in list.split(separator: ",") {
                guard let kind = EventKind(rawValue: String(k)) else {
                    throw Problem.invalid("kind", "\"\(k)\" is not a kind of event; use \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                f.kinds.insert(kind)
            }
        }
        func day(_ name: String) throws -> Day? {
            guard let value = try text(name) else { return nil }
            do { return try Day(iso: value, field: name) } catch { throw Problem.invalid(name, "expected a date YYYY-MM-DD") }
        }
        f.from = try day("from")
        f.until = try day("until")
        f.limit = try AssayApplication.intParameter(request, "limit", default: 500, range: 1...1000)
        return f
    }
}
