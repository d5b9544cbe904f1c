import AssayDomain
import AssayStore
import Foundation
import AssayReports
import Hummingbird

/// The API of agreements that count only when every party has signed: where an agreement's signatures
/// stand (anyone may read it: signatures are public, so anyone can check them), and recording one
/// party's signature (the registrar; the signature itself proves the party's consent).
enum AgreementRoutes {
    static func register(on api: RouterGroup<AssayContext>, store: RelationalStore) {
        // Under `:resource` as the other routes of a record are: a constant `agreements` segment would take
        // every path below it from the trie router, and `/agreements/{id}` would no longer be found.
        api.get(":resource/:id/signatures") { _, context in
            let id = try agreement(context)
            guard let status = try await store.signatureStatus(id) else { throw Problem.notFound("no agreement \"\(id)\"") }
            return AssayApplication.json(json(status))
        }
        api.post(":resource/:id/signatures") { request, context in
            try context.require(.registrar)
            let id = try agreement(context)
            guard case .object(var m) = try await AssayApplication.body(request, context) else { throw Problem.invalid("", "expected a JSON object") }
            if let named = m["agreement"], named != .string(id) {
                throw Problem.invalid("agreement", "the statement signs another agreement than \(id), the one it was posted to")
            }
            if let type = m["type"], type != .string(Command.Kind.signAgreement.rawValue) {
                throw Problem.invalid("type", "this resource takes sign-agreement statements")
            }
            m["type"] = .string(Command.Kind.signAgreement.rawValue)
            m["agreement"] = .string(id)
            return try await AssayApplication.append(try AssayApplication.command(.object(m)), store: store, author: context.token?.id ?? "unknown")
        }
    }

    /// A reserve's assets and their windows on a day (`?as-of=`, default the registry's today): a
    /// window lapses by the clock, without anyone writing.
    static func registerReserves(on api: RouterGroup<AssayContext>, store: RelationalStore) {
        api.get(":resource/:id/windows") { request, context in
            guard try AssayApplication.resource(context) == .reserve else { throw Problem.notFound("only reserves have windows") }
            let id = try context.parameters.require("id")
            let day = try asOf(request)
            guard let view = try await store.reserveView(id, as: context.role) else { throw Problem.notFound("no reserve \"\(id)\"") }
            return AssayApplication.json(ReserveReport.json(view, on: day))
        }
    }

    /// The negotiation record: `GET /api/v1/timeline?agreement=&party=&kind=a,b&from=&until=&limit=`.
    static func registerTimeline(on api: RouterGroup<AssayContext>, store: RelationalStore) {
        api.get("timeline") { request, _ in
            let events = try await store.timeline(try filter(request))
            return AssayApplication.json(.object(["items": .array(events.map { e in
                var m = e.json
                m["dateText"] = .string(e.dateText)
                return .object(m)
            })]))
        }
    }

    /// Sources that disagree: `GET /api/v1/conflicts?subject=` (every subject's conflicting claims, or one subject's claims).
    static func registerConflicts(on api: RouterGroup<AssayContext>, store: RelationalStore) {
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

    /// `?as-of=YYYY-MM-DD`, or the registry's today.
    static func asOf(_ request: Request) throws -> Day {
        guard let text = request.uri.queryParameters["as-of"] else { return RelationalStore.systemClock().day }
        do { return try Day(iso: String(text), field: "as-of") } catch { throw Problem.invalid("as-of", "expected a date YYYY-MM-DD") }
    }

    /// The agreement id of a `/agreements/{id}/signatures` path; other resources have no signatures.
    static func agreement(_ context: AssayContext) throws -> String {
        guard try AssayApplication.resource(context) == .agreement else { throw Problem.notFound("only agreements have signatures") }
        return try context.parameters.require("id")
    }

    /// `{"agreement","requiresSignatures","status","signed","terms","signatures":[…],"missing":[…]}`.
    static func json(_ s: SignatureStatus) -> JSONValue {
        var m: [String: JSONValue] = [
            "agreement": .string(s.agreement.id), "requiresSignatures": .bool(s.agreement.requiresSignatures),
            "status": .string(s.agreement.status.rawValue), "terms": .string(s.terms),
            "signatures": .array(s.signatures.map { r in
                var x = r.signature.json
                x["entry"] = .int(r.sequence)
                return .object(x)
            }),
            "missing": .array((s.agreement.requiresSignatures ? s.missing : []).map { .string($0) }),
        ]
        if let d = s.agreement.signed { m["signed"] = .string(d.iso) }
        return .object(m)
    }
}
