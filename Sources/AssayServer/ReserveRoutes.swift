import AssayDomain
import AssayReports
import AssayStore
import Foundation
import Hummingbird

/// The API of reserves: each asset's first-offer windows on a day, by the registry's clock (creating
/// reserves and offers, and answering offers, go through the resource routes).
enum ReserveRoutes {
    /// A reserve's assets and their windows on a day (`?as-of=`, default the registry's today): a
    /// window lapses by the clock, without anyone writing.
    static func register(on api: RouterGroup<AssayContext>, store: RelationalStore) {
        api.get(":resource/:id/windows") { request, context in
            guard try AssayApplication.resource(context) == .reserve else { throw Problem.notFound("only reserves have windows") }
            let id = try context.parameters.require("id")
            let day = try asOf(request)
            guard let view = try await store.reserveView(id, as: context.role) else { throw Problem.notFound("no reserve \"\(id)\"") }
            return AssayApplication.json(ReserveReport.json(view, on: day))
        }
    }

    /// `?as-of=YYYY-MM-DD`, or the registry's today.
    static func asOf(_ request: Request) throws -> Day {
        guard let text = request.uri.queryParameters["as-of"] else { return RelationalStore.systemClock().day }
        do { return try Day(iso: String(text), field: "as-of") } catch { throw Problem.invalid("as-of", "expected a date YYYY-MM-DD") }
    }
}
