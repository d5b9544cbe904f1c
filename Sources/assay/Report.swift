import ArgumentParser
import AssayDomain
import AssayStore
import Foundation

/// `assay report balance|ownership|collisions`.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reports: the quid-pro-quo balance, who owns production, recorded collisions.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "balance | ownership | collisions") var which: String
    @Option(name: .customLong("as-of"), help: "The day (YYYY-MM-DD; default today).") var asOf: String?
    @Option(help: "Only this agreement (balance).") var agreement: String?

    func validate() throws {
        guard ["balance", "ownership", "collisions"].contains(which) else {
            throw ValidationError("unknown report \"\(which)\"; use balance, ownership or collisions")
        }
    }

    static func day(_ text: String?) throws -> Day {
        guard let text else { return SQLiteStore.systemClock().day }
        do { return try Day(iso: text, field: "--as-of") } catch { throw InputFailure(message: error.description) }
    }

    static func json(_ b: ObligationBalance) -> JSONValue {
        let o = b.obligation
        var m: [String: JSONValue] = [
            "obligation": .string(o.id), "agreement": .string(o.agreement), "obligor": .string(o.obligor), "kind": .string(o.kind.rawValue),
            "category": .string(o.kind.category.rawValue), "overdue": .bool(b.isOverdue), "progress": .string(String(format: "%.4f", b.progress)),
        ]
        if let v = o.value {
            m["value"] = .object(["currency": .string(v.currency), "promised": .string(DecimalText.canonical(v.amount)),
                                  "due": .string(DecimalText.canonical(b.dueValue)), "delivered": .string(DecimalText.canonical(b.deliveredValue)),
                                  "overdue": .string(DecimalText.canonical(b.overdueValue))])
        }
        if let q = o.quantity {
            m["quantity"] = .object(["unit": .string(q.unit), "promised": .string(DecimalText.canonical(q.amount)),
                                     "due": .string(DecimalText.canonical(b.dueQuantity)), "delivered": .string(DecimalText.canonical(b.deliveredQuantity)),
                                     "overdue": .string(DecimalText.canonical(b.overdueQuantity))])
        }
        if o.provenance.synthetic { m["synthetic"] = .bool(true) }
        return .object(m)
    }

    func run() async throws {
        let store = try Context.store(options)
        let day = try Report.day(asOf)
        let r = try await store.registry()
        switch which {
        case "balance": balance(r, day)
        case "ownership": ownership(r, day)
        default: collisions(r)
        }
    }

    func balance(_ r: RegistrySnapshot, _ day: Day) {
        let report = r.balance(agreement: agreement, asOf: day)
        if options.json {
            Context.printJSON(.object([
                "asOf": .string(day.iso),
                "obligations": .array(report.obligations.map(Report.json)),
                "totals": .array(report.totals.map { t in
                    .object(["party": .string(t.party), "category": .string(t.category.rawValue), "measure": .string(t.measure),
                             "promised": .string(DecimalText.canonical(t.promised)), "due": .string(DecimalText.canonical(t.due)),
                             "delivered": .string(DecimalText.canonical(t.delivered)), "overdue": .string(DecimalText.canonical(t.overdue))])
                }),
                "series": .array(report.series.map { p in
                    .object(["month": .string(p.month), "party": .string(p.party), "currency": .string(p.currency),
                             "due": .string(DecimalText.canonical(p.dueCumulative)), "delivered": .string(DecimalText.canonical(p.deliveredCumulative))])
                }),
            ]))
            return
        }
        print("Balance as of \(day.iso)\(agreement.map { " for \($0)" } ?? ""): promised vs delivered, by party and category")
        var t = TextTable("party", "category", "measure", "promised", "due so far", "delivered", "overdue")
        for x in report.totals {
            t.add(x.party, x.category.rawValue, x.measure, x.promised.grouped, x.due.grouped, x.delivered.grouped, x.overdue.grouped)
        }
        print(t.render())
        let overdue = report.overdue
        if !overdue.isEmpty {
            print("\nOverdue as of \(day.iso):")
            for b in overdue {
                let v = b.obligation.value.map { "\(b.overdueValue.grouped) \($0.currency)" }
                let q = b.obligation.quantity.map { "\(b.overdueQuantity.grouped) \($0.unit)" }
                print("  \(b.obligation.id) (\(b.obligation.obligor) → \(b.obligation.beneficiary)): \([v, q].compactMap { $0 }.joined(separator: ", "))\(b.obligation.provenance.synthetic ? " [synthetic]" : "")")
            }
        }
        if r.obligations.contains(where: \.provenance.synthetic) || !r.deliveries.isEmpty {
            print("\nIncludes synthetic (illustrative) quantities and deliveries; see `assay list obligations`.")
        }
    }

    func ownership(_ r: RegistrySnapshot, _ day: Day) {
        let graph = r.ownershipGraph(asOf: day)
        let cap = r.capacityOwnership(asOf: day)
        let titles = r.concessions.map { c in (c, graph.countryShares(of: c.holder)) }
        if options.json {
            Context.printJSON(.object([
                "asOf": .string(day.iso),
                "concessions": .array(titles.map { c, shares in
                    .object(["concession": .string(c.id), "holder": .string(c.holder),
                             "countryShares": .object(Dictionary(uniqueKeysWithValues: shares.map { ($0.country, .string(String(format: "%.4f", $0.share))) }))])
                }),
                "capacity": .array(cap.rows.map { row in
                    .object(["mineral": .string(row.mineral.rawValue), "tonnesPerYear": .string(String(format: "%.0f", row.totalTonnes)),
                             "countryShares": .object(Dictionary(uniqueKeysWithValues: row.byCountry.map { ($0.country, .string(String(format: "%.4f", $0.tonnes / row.totalTonnes))) })),
                             "ownerShares": .object(Dictionary(uniqueKeysWithValues: row.byOwner.map { ($0.owner, .string(String(format: "%.4f", $0.tonnes / row.totalTonnes))) })),
                             "countryHHI": .int(Int64(row.countryHHI.rounded())), "ownerHHI": .int(Int64(row.ownerHHI.rounded()))])
                }),
            ]))
            return
        }
        print("Ownership of mining titles by ultimate owners' country, as of \(day.iso)")
        var t = TextTable("concession", "holder", "owner countries")
        for (c, shares) in titles { t.add(c.id, c.holder, shares.map { "\($0.country) \(percent($0.share))" }.joined(separator: ", ")) }
        print(t.render())
        print("\nCapacity (tonnes a year) by owner country, with Herfindahl–Hirschman index (0–10,000)")
        var c = TextTable("mineral", "t/year", "by owner country", "HHI countries", "HHI owners")
        for row in cap.rows {
            c.add(row.mineral.rawValue, String(format: "%.0f", row.totalTonnes),
                  row.byCountry.map { "\($0.country) \(percent($0.tonnes / row.totalTonnes))" }.joined(separator: ", "),
                  String(Int(row.countryHHI.rounded())), String(Int(row.ownerHHI.rounded())))
        }
        print(c.render())
    }

    func collisions(_ r: RegistrySnapshot) {
        if options.json {
            Context.printJSON(.array(r.contestedCollisions.map { .object(["contested": .string($0.claim), "collision": $0.collision.json]) }))
            return
        }
        if r.contestedCollisions.isEmpty { print("No recorded collisions."); return }
        print("Rights recorded as contested, and what they collide with")
        var t = TextTable("contested", "collides with", "holder", "cells", "minerals", "overlap")
        for (claim, c) in r.contestedCollisions {
            t.add(claim, "\(c.claimKind.rawValue) \(c.claimID)", c.holder, String(c.cellCount), c.minerals.sorted.map(\.rawValue).joined(separator: ","), c.period.text)
        }
        print(t.render())
    }
}
