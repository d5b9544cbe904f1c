import AssayDomain
import AssayReports
import AssayStore
import Foundation
import Hummingbird

/// The conflict-and-risk API: who held the ground, the control changes proposed by imported events,
/// and the registrar's writes of assessments, visits, conflict events and site statuses.
enum RiskRoutes {
    static func register(on api: RouterGroup<AssayContext>, store: RelationalStore) {
        api.get("control") { request, _ in
            let q = request.uri.queryParameters
            var day = RelationalStore.systemClock().day
            if let d = q["date"] {
                do { day = try Day(iso: String(d), field: "date") } catch let e as DomainError { throw Problem.invalid("date", e.message) }
            }
            let cell: UInt32
            if let site = q["site"] {
                guard let c = try await store.riskInputs().siteCells[String(site)] else { throw Problem.notFound("no site \"\(site)\"") }
                cell = c
            } else {
                guard let la = q["lat"].flatMap({ Double(String($0)) }), let lo = q["lon"].flatMap({ Double(String($0)) }) else {
                    throw Problem.invalid("lat", "give site=ID, or lat and lon in degrees")
                }
                do { cell = try CellGrid.cell(latitude: la, longitude: lo, field: "lat") } catch let e as DomainError { throw Problem.invalid("lat", e.message) }
            }
            let holders = try await store.control(cell: cell, on: day)
            return AssayApplication.json(.object(["cell": .int(Int64(cell)), "date": .string(day.iso), "holders": .array(holders.map { e in
                .object(["assessment": .string(e.id), "controller": .string(e.controller), "kind": .string(e.kind.rawValue),
                         "confidence": .string(e.confidence.rawValue), "from": .string(e.period.from?.iso ?? ""),
                         "until": e.period.until.map { .string($0.iso) } ?? .null, "sources": .array(e.sources.map { .string($0) }),
                         "recorded": .string(e.recordedDay.iso)])
            })]))
        }
        api.get("control/proposals") { _, _ in
            AssayApplication.json(.object(["items": .array(try await store.controlProposals())]))
        }
        for (path, type) in [("controls", Command.Kind.recordControl), ("site-visits", .recordSiteVisit),
                             ("conflict-events", .recordConflictEvent), ("site-statuses", .recordSiteStatus)] {
            api.post(RouterPath(path)) { request, context in
                try context.require(.registrar)
                guard case .object(var m) = try await AssayApplication.body(request, context) else { throw Problem.invalid("", "expected a JSON object") }
                if m["type"] == nil { m["type"] = .string(type.rawValue) }
                guard m["type"] == .string(type.rawValue) else { throw Problem.invalid("type", "this resource takes \(type.rawValue) commands") }
                return try await AssayApplication.append(try AssayApplication.command(.object(m)), store: store, author: context.token?.id ?? "unknown")
            }
        }
    }

    /// `/api/v1/reports/risk|supply|owners`.
    /// API report pages, one copy each with the generations they read (see ``VersionedCache``).
    static let reports = VersionedCache<JSONValue>()

    static func report(_ which: String, _ request: Request, store: RelationalStore, day: Day, as role: Role) async throws -> JSONValue {
        let q = request.uri.queryParameters
        func monthsRange() throws -> (Day, Int) {
            do {
                let start = try q["from"].map { try Day(iso: String($0), field: "from") } ?? Day(year: 2024, month: 1, day: 1)!
                let end = try q["until"].map { try Day(iso: String($0), field: "until") } ?? RelationalStore.systemClock().day.firstOfNextMonth
                return (start, Day.monthCount(from: start, until: end))
            } catch let e as DomainError { throw Problem.invalid(e.field, e.message) }
        }
        switch which {
        case "supply":
            let (start, n) = try monthsRange()
            return RiskReports.supplyJSON(try await store.supplyRisk(from: start, months: n), registry: try await store.registry())
        case "owners":
            let (start, n) = try monthsRange()
            return try await RiskReports.owners(store, from: start, months: n)
        default:
            let schedule = try Problem.royalties(store)
            if let lot = q["lot"] {
                guard let v = try await RiskReports.lot(store, String(lot), schedule: schedule) else { throw Problem.notFound("no lot \"\(lot)\"") }
                return v
            }
            if let site = q["site"] {
                guard let v = try await RiskReports.site(store, String(site), on: day) else { throw Problem.notFound("no site \"\(site)\"") }
                return v
            }
            if let party = q["operator"] { return try await RiskReports.operatorFlags(store, String(party), schedule: schedule) }
            if let a = q["agreement"] {
                guard let v = try await RiskReports.agreement(store, String(a), on: day, as: role) else { throw Problem.notFound("no agreement \"\(a)\"") }
                return v
            }
            // Every lot, a page at a time: `?after=LOT` from the previous page's `next`, `?limit=` lots a page.
            let after = q["after"].map(String.init)
            if let after, after.isEmpty || after.utf8.count > 200 { throw Problem.invalid("after", "after must be a lot id of 1 to 200 characters") }
            // 100 lots a page by default, as the API's lists.
            let limit = try AssayApplication.intParameter(request, "limit", default: 100, range: 1...1000)
            // One computation of a page for the custody and risk it read, shared by everyone asking at once.
            let g = try await store.viewGenerations()
            let size = limit
            return try await reports.page("risk|\(after ?? "")|\(size)", version: "\(g.custody).\(g.risk)|\(store.origin)") {
                let page = try await RiskReports.lotsPage(store, after: after, limit: size)
                var m: [String: JSONValue] = ["lots": .array(page.flagged), "scanned": .int(Int64(page.scanned))]
                if let next = page.next { m["next"] = .string(next) }
                return .object(m)
            }
        }
    }
}
