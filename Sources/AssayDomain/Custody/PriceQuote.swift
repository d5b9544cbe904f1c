import Foundation

/// A reference price for a mineral from a date on (until the next quote): what royalties are computed
/// with. Per tonne of contained metal when a lot declares its grade, per tonne of product otherwise.
///
/// For example: `{"type":"record-price","mineral":"tin","date":"2025-01-01","pricePerTonne":{"amount":"29000","currency":"USD"},"source":"LME cash average"}`
public struct PriceQuote: Sendable, Hashable {
    public var mineral: Mineral
    public var date: Day
    public var pricePerTonne: Money
    public var source: String?

    public init(mineral: Mineral, date: Day, pricePerTonne: Money, source: String? = nil) {
        self.mineral = mineral; self.date = date; self.pricePerTonne = pricePerTonne; self.source = source
    }

    public init(json o: JSONObject) throws(DomainError) {
        let name = try o.string("mineral", maxLength: 100)
        guard let m = Mineral.named(name) else { throw DomainError(.invalidField, field: o.path("mineral"), "unknown mineral \"\(name)\"") }
        mineral = m
        date = try o.day("date")
        pricePerTonne = try Money(json: o.object("pricePerTonne"))
        if pricePerTonne.amount <= 0 { throw DomainError(.invalidField, field: o.path("pricePerTonne.amount"), "must be more than 0") }
        source = try o.optionalString("source", maxLength: 500)
    }

    /// The journal subject: one quote per mineral and day.
    public var key: String { "price:\(mineral.rawValue):\(date.iso)" }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["mineral": .string(mineral.rawValue), "date": .string(date.iso), "pricePerTonne": pricePerTonne.json]
        if let source { m["source"] = .string(source) }
        return m
    }
}

/// The revenue streams of an EITI report that Assay records payments for.
public enum RevenueStream: String, Sendable, CaseIterable {
    case royalty
    case surfaceFee = "surface-fee"
    case exportTax = "export-tax"
    case other
}

/// A payment a company declares to the state: who paid, how much, for which period and stream, and the
/// lots it covers (for royalties), with the project (site or title) it belongs to.
///
/// For example: `{"type":"record-payment","id":"pay-1","payer":"alphamin","recipient":"drc","stream":"royalty","amount":{"amount":"120000","currency":"USD"},"date":"2025-02-10","period":{"from":"2025-01-01","until":"2025-02-01"},"project":"bisie","lots":["BIS-0001"]}`
public struct Payment: Sendable, Hashable {
    public var id: String
    public var payer: String
    public var recipient: String?
    public var stream: RevenueStream
    public var amount: Money
    public var date: Day
    public var period: Period
    public var project: String?
    public var lots: [String]

    public init(id: String, payer: String, recipient: String? = nil, stream: RevenueStream, amount: Money, date: Day,
                period: Period, project: String? = nil, lots: [String] = []) {
        self.id = id; self.payer = payer; self.recipient = recipient; self.stream = stream; self.amount = amount
        self.date = date; self.period = period; self.project = project; self.lots = lots
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        payer = try o.id("payer")
        recipient = try o.optionalID("recipient")
        stream = try o.enumValue("stream", RevenueStream.self)
        amount = try Money(json: o.object("amount"))
        date = try o.day("date")
        let p = try o.object("period")
        period = try Period(from: p.day("from"), until: p.day("until"), field: p.path)
        try p.rejectUnknown()
        project = try o.optionalID("project")
        var lots: [String] = []
        for (v, path) in try o.array("lots", maxCount: 100_000) {
            guard case .string(let s) = v else { throw DomainError(.invalidField, field: path, "expected a lot id, found \(v.typeName)") }
            try Identifier.validateTag(s, field: path)
            lots.append(s)
        }
        self.lots = lots
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["id": .string(id), "payer": .string(payer), "stream": .string(stream.rawValue),
                                      "amount": amount.json, "date": .string(date.iso),
                                      "period": .object(["from": .string(period.from?.iso ?? ""), "until": .string(period.until?.iso ?? "")])]
        if let recipient { m["recipient"] = .string(recipient) }
        if let project { m["project"] = .string(project) }
        if !lots.isEmpty { m["lots"] = .array(lots.map { .string($0) }) }
        return m
    }
}
