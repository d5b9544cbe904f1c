import AssayDomain
import AssayStore
import Foundation

/// The reports as JSON, shared by the command line (`--json`) and the HTTP API.
public enum ReportJSON {
    public static func obligation(_ b: ObligationBalance) -> JSONValue {
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

    /// The linked agreements' obligations and their status (`linked` in the balance of one agreement).
    public static func linked(_ balances: [LinkedBalance], hideConfidential: Bool) -> JSONValue {
        .array(balances.map { l in
            .object(["agreement": .string(l.agreement.id), "title": .string(l.agreement.title), "relation": .string(l.relation),
                     "status": .string(l.agreement.status.rawValue),
                     "obligations": .array(l.report.obligations.map { b -> JSONValue in
                         guard hideConfidential, b.obligation.confidential else { return obligation(b) }
                         return .object(["obligation": .string(b.obligation.id), "agreement": .string(b.obligation.agreement), "redacted": .bool(true)])
                     }),
                     "overdue": .int(Int64(l.report.overdue.filter { !(hideConfidential && $0.obligation.confidential) }.count))])
        })
    }

    /// Balance: per obligation, totals per party/category/measure, and the monthly series.
    /// `hideConfidential` drops confidential obligations' figures (for the public).
    public static func balance(_ report: BalanceReport, hideConfidential: Bool = false) -> JSONValue {
        let obligations = report.obligations.map { b -> JSONValue in
            guard hideConfidential, b.obligation.confidential else { return obligation(b) }
            return .object(["obligation": .string(b.obligation.id), "agreement": .string(b.obligation.agreement), "redacted": .bool(true)])
        }
        let visible = report.obligations.filter { !(hideConfidential && $0.obligation.confidential) }
        return .object([
            "asOf": .string(report.asOf.iso),
            "obligations": .array(obligations),
            "totals": .array(report.totals.filter { t in !hideConfidential || visible.contains { $0.obligation.obligor == t.party } }.map { t in
                .object(["party": .string(t.party), "category": .string(t.category.rawValue), "measure": .string(t.measure),
                         "promised": .string(DecimalText.canonical(t.promised)), "due": .string(DecimalText.canonical(t.due)),
                         "delivered": .string(DecimalText.canonical(t.delivered)), "overdue": .string(DecimalText.canonical(t.overdue))])
            }),
            "series": .array(report.series.map { p in
                .object(["month": .string(p.month), "party": .string(p.party), "currency": .string(p.currency),
                         "due": .string(DecimalText.canonical(p.dueCumulative)), "delivered": .string(DecimalText.canonical(p.deliveredCumulative))])
            }),
        ])
    }

    /// Ownership: owner-country shares of every title, and capacity by owner country and owner with HHI.
    public static func ownership(_ r: RegistrySnapshot, asOf day: Day) -> JSONValue {
        let graph = r.ownershipGraph(asOf: day)
        let cap = r.capacityOwnership(asOf: day)
        return .object([
            "asOf": .string(day.iso),
            "concessions": .array(r.concessions.map { c in
                .object(["concession": .string(c.id), "holder": .string(c.holder),
                         "countryShares": .object(Dictionary(uniqueKeysWithValues: graph.countryShares(of: c.holder).map { ($0.country, .string(String(format: "%.4f", $0.share))) }))])
            }),
            "capacity": .array(cap.rows.map { row in
                .object(["mineral": .string(row.mineral.rawValue), "tonnesPerYear": .string(String(format: "%.0f", row.totalTonnes)),
                         "countryShares": .object(Dictionary(uniqueKeysWithValues: row.byCountry.map { ($0.country, .string(String(format: "%.4f", $0.tonnes / row.totalTonnes))) })),
                         "ownerShares": .object(Dictionary(uniqueKeysWithValues: row.byOwner.map { ($0.owner, .string(String(format: "%.4f", $0.tonnes / row.totalTonnes))) })),
                         "countryHHI": .int(Int64(row.countryHHI.rounded())), "ownerHHI": .int(Int64(row.ownerHHI.rounded())),
                         // Shares above are of registered capacity; against the national total, with what is not registered.
                         "coverage": coverageJSON(r.coverage(row.mineral, registeredTonnes: row.totalTonnes, asOf: day), byCountry: row.byCountry)])
            }),
        ])
    }

    /// A coverage with, when a national total is known, each owner country's share of it and "not registered".
    public static func coverageJSON(_ c: Coverage, byCountry: [(country: String, tonnes: Double)]) -> JSONValue {
        guard case .object(var m) = c.json else { return c.json }
        if let national = c.nationalTonnes, let notRegistered = c.notRegistered {
            var shares = Dictionary(uniqueKeysWithValues: byCountry.map { ($0.country, JSONValue.string(String(format: "%.4f", $0.tonnes / national))) })
            shares["not registered"] = .string(String(format: "%.4f", notRegistered))
            m["countrySharesOfNational"] = .object(shares)
        }
        return .object(m)
    }

    /// Coverage per mineral (`report coverage`).
    public static func coverage(_ r: RegistrySnapshot, asOf day: Day) -> JSONValue {
        .object(["asOf": .string(day.iso), "minerals": .array(r.coverage(asOf: day).map(\.json))])
    }

    /// Recorded collisions of contested rights.
    public static func collisions(_ r: RegistrySnapshot) -> JSONValue {
        .array(r.contestedCollisions.map { .object(["contested": .string($0.claim), "collision": $0.collision.json]) })
    }
}
