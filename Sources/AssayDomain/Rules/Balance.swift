import Foundation

/// Promised against delivered for one obligation as of a day.
public struct ObligationBalance: Sendable, Hashable {
    public var obligation: Obligation
    public var deliveredQuantity: Decimal
    public var deliveredValue: Decimal
    /// What should have been delivered by the day (instalments due so far).
    public var dueQuantity: Decimal
    public var dueValue: Decimal
    public var lastDelivery: Day?

    /// The shortfall against what is due, when positive.
    public var overdueQuantity: Decimal { max(0, dueQuantity - deliveredQuantity) }
    public var overdueValue: Decimal { max(0, dueValue - deliveredValue) }
    public var isOverdue: Bool { overdueQuantity > 0 || overdueValue > 0 }

    /// Delivered as a share of promised (0…1, or more when over-delivered), by value if there is one.
    public var progress: Double {
        if let v = obligation.value, v.amount > 0 { return NSDecimalNumber(decimal: deliveredValue / v.amount).doubleValue }
        if let q = obligation.quantity, q.amount > 0 { return NSDecimalNumber(decimal: deliveredQuantity / q.amount).doubleValue }
        return 0
    }
}

/// Totals of one group (a category with a currency or unit), promised vs delivered vs overdue.
public struct BalanceTotal: Sendable, Hashable {
    public var party: String
    public var category: ObligationCategory
    /// A currency (`USD`) or a unit (`tonnes`).
    public var measure: String
    public var isMoney: Bool
    public var promised: Decimal = 0
    public var due: Decimal = 0
    public var delivered: Decimal = 0
    public var overdue: Decimal = 0
}

/// One month of the balance series: cumulative value due and delivered by the end of the month.
public struct BalancePoint: Sendable, Hashable {
    public var month: String
    public var currency: String
    public var party: String
    public var dueCumulative: Decimal
    public var deliveredCumulative: Decimal
}

/// The quid-pro-quo balance of an agreement (or of any set of obligations): per obligation, per party
/// and category, what is overdue as of a day, and a monthly series. Quantities are summed per unit and
/// values per currency; nothing is converted.
public struct BalanceReport: Sendable {
    public var asOf: Day
    public var obligations: [ObligationBalance]
    public var totals: [BalanceTotal]
    public var series: [BalancePoint]

    public var overdue: [ObligationBalance] { obligations.filter(\.isOverdue) }

    public init(obligations list: [Obligation], deliveries: [Delivery], asOf: Day) {
        self.asOf = asOf
        let byObligation = Dictionary(grouping: deliveries.filter { $0.date <= asOf }, by: \.obligation)
        var balances: [ObligationBalance] = []
        for o in list.sorted(by: { $0.id < $1.id }) {
            let ds = byObligation[o.id] ?? []
            let instalments = o.instalments
            let fractionDue: Decimal = instalments.isEmpty ? 0 : Decimal(instalments.filter { $0 <= asOf }.count) / Decimal(instalments.count)
            balances.append(ObligationBalance(
                obligation: o,
                deliveredQuantity: ds.reduce(0) { $0 + ($1.quantity?.amount ?? 0) },
                deliveredValue: ds.reduce(0) { $0 + ($1.value?.amount ?? 0) },
                dueQuantity: (o.quantity?.amount ?? 0) * fractionDue,
                dueValue: (o.value?.amount ?? 0) * fractionDue,
                lastDelivery: ds.map(\.date).max()))
        }
        obligations = balances

        var totals: [String: BalanceTotal] = [:]
        func add(_ b: ObligationBalance, measure: String, isMoney: Bool, promised: Decimal, due: Decimal, delivered: Decimal, overdue: Decimal) {
            let key = "\(b.obligation.obligor)|\(b.obligation.kind.category.rawValue)|\(measure)"
            var t = totals[key] ?? BalanceTotal(party: b.obligation.obligor, category: b.obligation.kind.category, measure: measure, isMoney: isMoney)
            t.promised += promised; t.due += due; t.delivered += delivered; t.overdue += overdue
            totals[key] = t
        }
        for b in balances {
            if let v = b.obligation.value {
                add(b, measure: v.currency, isMoney: true, promised: v.amount, due: b.dueValue, delivered: b.deliveredValue, overdue: b.overdueValue)
            }
            if let q = b.obligation.quantity {
                add(b, measure: q.unit, isMoney: false, promised: q.amount, due: b.dueQuantity, delivered: b.deliveredQuantity, overdue: b.overdueQuantity)
            }
        }
        self.totals = totals.values.sorted { ($0.party, $0.category.rawValue, $0.measure) < ($1.party, $1.category.rawValue, $1.measure) }

        // Monthly series of value, per obligor and currency.
        var events: [(day: Day, party: String, currency: String, due: Decimal, delivered: Decimal)] = []
        let obligationByID = Dictionary(uniqueKeysWithValues: list.map { ($0.id, $0) })
        for o in list {
            guard let v = o.value else { continue }
            let inst = o.instalments
            for d in inst { events.append((d, o.obligor, v.currency, v.amount / Decimal(inst.count), 0)) }
        }
        for d in deliveries where d.date <= asOf {
            guard let v = d.value, let o = obligationByID[d.obligation] else { continue }
            events.append((d.date, o.obligor, v.currency, 0, v.amount))
        }
        var series: [BalancePoint] = []
        if let first = events.map(\.day).min() {
            let groups = Dictionary(grouping: events) { "\($0.party)|\($0.currency)" }
            for key in groups.keys.sorted() {
                let evs = groups[key] ?? []
                var month = first.firstOfMonth
                var due: Decimal = 0, delivered: Decimal = 0
                while month <= asOf, series.count < 100_000 {
                    let next = month.firstOfNextMonth
                    for e in evs where e.day >= month && e.day < next { due += e.due; delivered += e.delivered }
                    series.append(BalancePoint(month: month.monthKey, currency: evs[0].currency, party: evs[0].party,
                                               dueCumulative: due, deliveredCumulative: delivered))
                    month = next
                }
            }
        }
        self.series = series
    }
}
