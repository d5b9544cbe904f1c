import AssayDomain
import AssayReports
import AssayStore
import Foundation
import Hummingbird

/// The portal's charts and the CSV behind each: supply at risk by mineral, owner countries of
/// registered capacity over time, an agreement's balance. A chart and its CSV are built from the same
/// rows, so what a reader downloads is what the chart drew.
enum PortalCharts {
    /// The first month the portal's time series start at (the reference case's talks began in 2024).
    static let firstMonth = Day(year: 2024, month: 1, day: 1)!

    // MARK: Supply at risk

    /// One chart a mineral with any capacity held or halted: the share of capacity on held ground and halted.
    static func supply(_ series: [Mineral: [SupplyPoint]], _ lang: Language) -> [LineChart] {
        series.keys.sorted().compactMap { m in
            guard let points = series[m], points.count > 1, points.contains(where: { $0.heldTonnes > 0 || $0.haltedTonnes > 0 }) else { return nil }
            let name = capitalised(lang == .fr ? m.frenchName : m.englishName)
            return LineChart(
                id: "supply-\(m.rawValue)", title: "\(name) — \(lang["chart_supply_title"])",
                xTitle: lang["chart_month"], yTitle: lang["chart_share_capacity"], labels: points.map(\.month.monthKey),
                series: [.init(name: lang["chart_held"], colour: "#c33", values: points.map { $0.heldShare }),
                         .init(name: lang["chart_halted"], colour: "#36c", dashed: true,
                               values: points.map { $0.totalTonnes > 0 ? $0.haltedTonnes / $0.totalTonnes : 0 })],
                yMax: 1, format: LineChart.percent, csvHref: "/supply.csv?mineral=\(m.rawValue)")
        }
    }

    /// Every month of every mineral, as the supply charts read them.
    static func supplyCSV(_ series: [Mineral: [SupplyPoint]]) -> String {
        CSVText.rows(["month", "mineral", "capacity_tonnes_per_year", "held_tonnes_per_year", "halted_tonnes_per_year", "held_share", "halted_share", "held_sites"],
                     series.keys.sorted().flatMap { m in
                         (series[m] ?? []).map { p in
                             [p.month.monthKey, m.rawValue, t(p.totalTonnes), t(p.heldTonnes), t(p.haltedTonnes), share(p.heldShare),
                              share(p.totalTonnes > 0 ? p.haltedTonnes / p.totalTonnes : 0), p.heldSites.joined(separator: " ")]
                         }
                     })
    }

    // MARK: Owner countries over time

    /// One row of the owner-country series: a month, a mineral, a country and its tonnes.
    struct OwnerShare: Sendable { var month: Day; var mineral: Mineral; var country: String; var tonnes: Double; var total: Double }

    /// Who owns registered capacity, by the ultimate owners' countries, on the first day of each month
    /// from ``firstMonth`` to `today`'s, as `GET /api/v1/reports/owners` gives it. Sites keep today's
    /// capacity; ownership is as recorded on each date.
    static func ownerShares(_ r: RegistrySnapshot, today: Day) -> [OwnerShare] {
        var days: [Day] = []
        var d = firstMonth
        while d <= today { days.append(d); d = d.firstOfNextMonth }
        return days.flatMap { day in
            r.capacityOwnership(asOf: day).rows.flatMap { row in
                row.byCountry.map { OwnerShare(month: day, mineral: row.mineral, country: $0.country, tonnes: $0.tonnes, total: row.totalTonnes) }
            }
        }
    }

    /// A chart a mineral: the share of each of its four largest owner countries today, the rest as one line.
    static func owners(_ rows: [OwnerShare], _ lang: Language) -> [LineChart] {
        let colours = ["#7b3294", "#008837", "#e66101", "#0571b0", "#888"]
        let byMineral = Dictionary(grouping: rows, by: \.mineral)
        return byMineral.keys.sorted().compactMap { m in
            let rs = byMineral[m] ?? []
            let days = Array(Set(rs.map(\.month))).sorted()
            guard days.count > 1, let last = days.last else { return nil }
            let top = rs.filter { $0.month == last && $0.tonnes > 0 }.sorted { ($0.tonnes, $1.country) > ($1.tonnes, $0.country) }.prefix(4).map(\.country)
            guard !top.isEmpty else { return nil }
            func shares(_ pick: (OwnerShare) -> Bool) -> [Double?] {
                days.map { day in
                    let at = rs.filter { $0.month == day }
                    guard let total = at.first?.total, total > 0 else { return nil }
                    return at.filter(pick).reduce(0) { $0 + $1.tonnes } / total
                }
            }
            var series = top.enumerated().map { i, c in
                LineChart.Series(name: countryName(c, lang), colour: colours[i], values: shares { $0.country == c })
            }
            let rest = shares { !top.contains($0.country) }
            if rest.contains(where: { ($0 ?? 0) > 0 }) { series.append(.init(name: lang["chart_other"], colour: colours[4], dashed: true, values: rest)) }
            let name = capitalised(lang == .fr ? m.frenchName : m.englishName)
            return LineChart(id: "owners-\(m.rawValue)", title: "\(name) — \(lang["chart_owners_title"])",
                             xTitle: lang["chart_month"], yTitle: lang["chart_share_capacity"], labels: days.map(\.monthKey),
                             series: series, yMax: 1, format: LineChart.percent, csvHref: "/supply/owners.csv?mineral=\(m.rawValue)")
        }
    }

    static func ownersCSV(_ rows: [OwnerShare]) -> String {
        CSVText.rows(["month", "mineral", "owner_country", "capacity_tonnes_per_year", "share"],
                     rows.sorted { ($0.month, $0.mineral.rawValue, $0.country) < ($1.month, $1.mineral.rawValue, $1.country) }.map { o in
                         [o.month.monthKey, o.mineral.rawValue, o.country, t(o.tonnes), share(o.total > 0 ? o.tonnes / o.total : 0)]
                     })
    }

    static func capitalised(_ s: String) -> String { s.prefix(1).uppercased() + s.dropFirst() }

    static func countryName(_ code: String, _ lang: Language) -> String {
        code == "unknown" ? lang["chart_unknown_owner"] : code
    }

    // MARK: An agreement's balance

    /// Due and delivered, cumulative by month, in the currency the series starts with (values are never converted).
    static func balanceMonths(_ points: [BalancePoint]) -> (currency: String, months: [(month: String, due: Decimal, delivered: Decimal)])? {
        guard let currency = points.first?.currency else { return nil }
        var months: [String: (Decimal, Decimal)] = [:]
        for p in points where p.currency == currency {
            let old = months[p.month] ?? (0, 0)
            months[p.month] = (old.0 + p.dueCumulative, old.1 + p.deliveredCumulative)
        }
        return (currency, months.keys.sorted().map { ($0, months[$0]!.0, months[$0]!.1) })
    }

    static func balance(_ points: [BalancePoint], agreement: String, _ lang: Language) -> LineChart? {
        guard let b = balanceMonths(points), b.months.count > 1 else { return nil }
        let top = b.months.map { max(double($0.due), double($0.delivered)) }.max() ?? 1
        let currency = b.currency
        return LineChart(id: "balance-chart", title: "\(lang["chart_balance_title"]) (\(currency))", xTitle: lang["chart_month"],
                         yTitle: "\(lang["chart_cumulative"]) (\(currency))", labels: b.months.map(\.month),
                         series: [.init(name: lang["chart_due"], colour: "#c33", values: b.months.map { double($0.due) }),
                                  .init(name: lang["chart_delivered"], colour: "#2a7", values: b.months.map { double($0.delivered) })],
                         yMax: niceCeiling(max(top, 1)), format: { compact($0) },
                         csvHref: "/agreements/\(agreement.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? agreement)/balance.csv")
    }

    static func balanceCSV(_ points: [BalancePoint]) -> String {
        var rows: [[String]] = []
        for c in Array(Set(points.map(\.currency))).sorted() {
            guard let b = balanceMonths(points.filter { $0.currency == c }) else { continue }
            rows += b.months.map { [$0.month, c, DecimalText.canonical($0.due), DecimalText.canonical($0.delivered)] }
        }
        return CSVText.rows(["month", "currency", "due_cumulative", "delivered_cumulative"], rows)
    }

    // MARK: Routes

    /// The CSV routes. Each file depends on the registry (and, for supply, the risk records) as the role
    /// sees it and on the day: drawn once for each, however many ask at once, as the pages are.
    static func register(on router: Router<AssayContext>, store: RelationalStore) {
        router.get("supply.csv") { request, _ in
            let mineral = try mineralParameter(request)
            return try await Portal.pages.page("supply.csv|\(mineral?.rawValue ?? "")", version: try await csvVersion(store)) {
                let today = RelationalStore.systemClock().day
                let series = try await store.supplyRisk(from: firstMonth, months: max(2, Day.monthCount(from: firstMonth, until: today.firstOfNextMonth)))
                return csv(supplyCSV(series.filter { mineral == nil || $0.key == mineral }), name: "supply-at-risk\(mineral.map { "-" + $0.rawValue } ?? "").csv")
            }
        }
        router.get("supply/owners.csv") { request, context in
            let mineral = try mineralParameter(request)
            let role = context.role
            return try await Portal.pages.page("owners.csv|\(mineral?.rawValue ?? "")|\(Disclosure.seesSealed(role))", version: try await csvVersion(store)) {
                let r = try await Portal.snapshots.registry(store, as: role)
                let rows = ownerShares(r, today: RelationalStore.systemClock().day).filter { mineral == nil || $0.mineral == mineral }
                return csv(ownersCSV(rows), name: "owner-countries\(mineral.map { "-" + $0.rawValue } ?? "").csv")
            }
        }
        router.get("agreements/:id/balance.csv") { _, context in
            let id = try context.parameters.require("id")
            let role = context.role
            return try await Portal.pages.page("balance.csv|\(id)|\(Disclosure.seesSealed(role))", version: try await csvVersion(store)) {
                let r = try await Portal.snapshots.registry(store, as: role)
                guard r.agreements.contains(where: { $0.id == id }) else { throw Problem.notFound("no agreement \"\(id)\"") }
                return csv(balanceCSV(r.balance(agreement: id, asOf: RelationalStore.systemClock().day).series), name: "balance-\(id).csv")
            }
        }
    }

    /// What a CSV was drawn from: the registry and risk generations, the store and the day.
    @Sendable static func csvVersion(_ store: RelationalStore) async throws -> String {
        let g = try await store.viewGenerations()
        return "\(g.registry).\(g.risk)|\(store.origin)|\(RelationalStore.systemClock().day.iso)"
    }

    /// `?mineral=` when given: one of the minerals the registry knows, else a 400 naming the parameter.
    static func mineralParameter(_ request: Request) throws -> Mineral? {
        guard let q = request.uri.queryParameters["mineral"] else { return nil }
        guard let m = Mineral(rawValue: String(q)) else {
            throw Problem.invalid("mineral", "unknown mineral \"\(q)\"; expected one of \(Mineral.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return m
    }

    static func csv(_ text: String, name: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/csv; charset=utf-8"
        headers[.contentDisposition] = "attachment; filename=\"\(name.filter { $0.isLetter || $0.isNumber || "-_.".contains($0) })\""
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    // MARK: Numbers

    static func t(_ d: Double) -> String { String(format: "%.1f", d) }
    static func share(_ d: Double) -> String { String(format: "%.4f", d) }
    static func double(_ d: Decimal) -> Double { NSDecimalNumber(decimal: d).doubleValue }

    /// The smallest 1, 2 or 5 times a power of ten at or above `v`: a y axis that ends on a round number.
    static func niceCeiling(_ v: Double) -> Double {
        let p = pow(10, floor(log10(v)))
        return [1.0, 2, 2.5, 5, 10].map { $0 * p }.first { $0 >= v } ?? v
    }

    /// `1.2 M`, `350 k`, `40`: an axis or a tooltip value short enough to read.
    static func compact(_ v: Double) -> String {
        switch abs(v) {
        case 1e9...: String(format: "%.3g G", v / 1e9)
        case 1e6...: String(format: "%.3g M", v / 1e6)
        case 1e3...: String(format: "%.3g k", v / 1e3)
        default: String(format: "%.0f", v)
        }
    }
}
