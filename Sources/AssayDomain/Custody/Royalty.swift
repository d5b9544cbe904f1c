import Foundation

/// The royalty rate for each mineral (Mining Code 2018, art. 241), read from the rate table.
public struct RoyaltySchedule: Sendable, Hashable {
    public var rates: [Mineral: Percent]
    public init(rates: [Mineral: Percent]) { self.rates = rates }
    public func rate(_ m: Mineral) -> Percent? { rates[m] }
}

/// Reference prices by mineral, each holding from its date until the next quote.
public struct PriceTable: Sendable {
    /// Per mineral, sorted by day: (day, minor units per tonne, currency).
    var quotes: [Mineral: [(day: Int32, minor: Int64, currency: String)]] = [:]

    public init(_ list: [PriceQuote]) {
        for q in list.sorted(by: { $0.date < $1.date }) {
            quotes[q.mineral, default: []].append((q.date.ordinal, Money.minorUnits(q.pricePerTonne.amount), q.pricePerTonne.currency))
        }
    }

    /// The quote in force on `day`: the latest on or before it.
    public func price(_ mineral: Mineral, on day: Day) -> (minor: Int64, currency: String)? {
        guard let list = quotes[mineral], !list.isEmpty else { return nil }
        var lo = 0, hi = list.count
        while lo < hi { let mid = (lo + hi) / 2; if list[mid].day <= day.ordinal { lo = mid + 1 } else { hi = mid } }
        guard lo > 0 else { return nil }
        return (list[lo - 1].minor, list[lo - 1].currency)
    }
}

extension Money {
    /// Hundredths of the currency unit, rounded half up (cents).
    public static func minorUnits(_ d: Decimal) -> Int64 {
        var x = d * 100, r = Decimal()
        NSDecimalRound(&r, &x, 0, .plain)
        return NSDecimalNumber(decimal: r).int64Value
    }

    public static func fromMinor(_ minor: Int64, currency: String) -> Money {
        Money(amount: Decimal(minor) / 100, currency: currency)
    }
}

/// The royalty on one lot leaving its site: value, rate and what is due; nil price when no quote was
/// in force that day (the line is then reported as unpriced, never as zero).
public struct RoyaltyLine: Sendable, Hashable {
    public var basis: RoyaltyBasis
    public var priceMinor: Int64?
    public var currency: String?
    public var valueMinor: Int64
    public var rate: Percent?
    public var dueMinor: Int64
}

/// Computes royalties due (Mining Code 2018, art. 241): gross commercial value of the metal a lot
/// contains, at the reference price in force the day it leaves its extraction site, times the rate for
/// its substance. Integer arithmetic in cents and grams (128-bit intermediates), so it is exact,
/// fast and the same on every machine.
public enum RoyaltyCalculator {
    public static func line(_ b: RoyaltyBasis, prices: PriceTable, schedule: RoyaltySchedule) -> RoyaltyLine {
        let rate = schedule.rate(b.mineral)
        guard let p = prices.price(b.mineral, on: b.day) else {
            return RoyaltyLine(basis: b, priceMinor: nil, currency: nil, valueMinor: 0, rate: rate, dueMinor: 0)
        }
        // grams × cents/tonne ÷ 10⁶ g/t, rounded half up.
        let value = (Int128(b.containedGrams) * Int128(p.minor) + 500_000) / 1_000_000
        let due = rate.map { (value * Int128($0.basisPoints) + 5_000) / 10_000 } ?? 0
        return RoyaltyLine(basis: b, priceMinor: p.minor, currency: p.currency, valueMinor: Int64(value), rate: rate, dueMinor: Int64(due))
    }

    public static func lines(_ bases: [RoyaltyBasis], prices: PriceTable, schedule: RoyaltySchedule) -> [RoyaltyLine] {
        bases.map { line($0, prices: prices, schedule: schedule) }
    }
}

/// Royalties due against royalties paid, per payer, over a period.
public struct RoyaltyReport: Sendable {
    public struct PayerTotal: Sendable, Hashable {
        public var payer: String
        public var currency: String
        public var dueMinor: Int64
        public var paidMinor: Int64
        public var unpricedLots: Int
        public var gapMinor: Int64 { dueMinor - paidMinor }
    }

    public var period: Period
    public var lines: [RoyaltyLine]
    /// For each lot, the royalty payments that list it.
    public var paidBy: [String: [String]]
    public var payers: [PayerTotal]
    public var flags: [RoyaltyFlag]

    /// Payments count for a payer when they are royalty payments whose period overlaps the report's;
    /// a gap over 0.5% of what is due (rounding, price differences) is flagged.
    public init(period: Period, lines allLines: [RoyaltyLine], payments: [Payment]) {
        self.period = period
        lines = allLines.filter { period.contains($0.basis.day) }
        let royaltyPayments = payments.filter { $0.stream == .royalty && $0.period.intersection(period) != nil }
        var paidBy: [String: [String]] = [:]
        for p in royaltyPayments { for l in p.lots { paidBy[l, default: []].append(p.id) } }
        self.paidBy = paidBy
        var totals: [String: PayerTotal] = [:]
        for l in lines {
            let currency = l.currency ?? "?"
            let key = l.basis.payer + "\u{0}" + currency
            totals[key, default: PayerTotal(payer: l.basis.payer, currency: currency, dueMinor: 0, paidMinor: 0, unpricedLots: 0)].dueMinor += l.dueMinor
            if l.priceMinor == nil { totals[key]!.unpricedLots += 1 }
        }
        for p in royaltyPayments {
            let key = p.payer + "\u{0}" + p.amount.currency
            totals[key, default: PayerTotal(payer: p.payer, currency: p.amount.currency, dueMinor: 0, paidMinor: 0, unpricedLots: 0)].paidMinor
                += Money.minorUnits(p.amount.amount)
        }
        payers = totals.values.filter { $0.currency != "?" || $0.unpricedLots > 0 }.sorted { ($0.payer, $0.currency) < ($1.payer, $1.currency) }
        flags = payers.compactMap { t in
            guard t.currency != "?", t.gapMinor * 1000 > t.dueMinor * 5 else { return nil }
            return RoyaltyFlag(payer: t.payer, currency: t.currency, dueMinor: t.dueMinor, paidMinor: t.paidMinor, period: period)
        }
    }
}

/// `royalty.underpaid`: a payer paid less royalty than is due over a period.
public struct RoyaltyFlag: Sendable, Hashable {
    public static let rule = "royalty.underpaid"
    public var payer: String
    public var currency: String
    public var dueMinor: Int64
    public var paidMinor: Int64
    public var period: Period

    /// What the explanation says, as values: payer, due and paid (amount and currency), period.
    public var evidence: [String: String] {
        let due = Money.fromMinor(dueMinor, currency: currency), paid = Money.fromMinor(paidMinor, currency: currency)
        return ["payer": payer, "due": "\(DecimalText.canonical(due.amount)) \(currency)", "paid": "\(DecimalText.canonical(paid.amount)) \(currency)",
                "period": period.text]
    }

    /// The flag as reports give it: rule, severity, what to do, its subject under `subjectKey` (a lot), the
    /// explanation and the evidence.
    public func json(subjectKey: String, subject: String, response: Bool) -> JSONValue {
        var m: [String: JSONValue] = ["rule": .string(Self.rule), "severity": "high", subjectKey: .string(subject), "explanation": .string(explanation),
                                      "evidence": .object(evidence.mapValues { .string($0) })]
        if response { m["response"] = "review" }
        return .object(m)
    }

    public var explanation: String {
        let due = Money.fromMinor(dueMinor, currency: currency), paid = Money.fromMinor(paidMinor, currency: currency)
        return "\(payer) owes \(DecimalText.canonical(due.amount)) \(currency) in royalties over \(period.text) and declared \(DecimalText.canonical(paid.amount)) \(currency) paid"
    }
}
