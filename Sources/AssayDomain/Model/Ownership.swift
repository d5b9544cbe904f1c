import Foundation

/// A share of ownership, in percent: exact, or a range when sources differ (as BODS allows).
public struct Share: Sendable, Hashable {
    public var minimum: Decimal
    public var maximum: Decimal
    public var isExact: Bool { minimum == maximum }

    public init(exact: Decimal) { minimum = exact; maximum = exact }

    /// - Throws: ``DomainError`` unless 0 ≤ minimum ≤ maximum ≤ 100.
    public init(minimum: Decimal, maximum: Decimal, field: String = "share") throws(DomainError) {
        guard minimum >= 0, maximum <= 100, minimum <= maximum else {
            throw DomainError(.invalidField, field: field, "shares are percentages with 0 ≤ minimum ≤ maximum ≤ 100")
        }
        self.minimum = minimum
        self.maximum = maximum
    }

    /// Midpoint, as a fraction of 1.
    public var fraction: Double { NSDecimalNumber(decimal: (minimum + maximum) / 2).doubleValue / 100 }
    public var minimumFraction: Double { NSDecimalNumber(decimal: minimum).doubleValue / 100 }
    public var maximumFraction: Double { NSDecimalNumber(decimal: maximum).doubleValue / 100 }

    public init(json o: JSONObject) throws(DomainError) {
        if let e = try o.optionalDecimal("exact") {
            try self.init(minimum: e, maximum: e, field: o.path("exact"))
        } else {
            guard let lo = try o.optionalDecimal("minimum"), let hi = try o.optionalDecimal("maximum") else {
                throw DomainError(.missingField, field: o.path, "give \"exact\", or \"minimum\" and \"maximum\" (percent)")
            }
            try self.init(minimum: lo, maximum: hi, field: o.path)
        }
        try o.rejectUnknown()
    }

    public var json: JSONValue {
        isExact ? .object(["exact": .string(DecimalText.canonical(minimum))])
            : .object(["minimum": .string(DecimalText.canonical(minimum)), "maximum": .string(DecimalText.canonical(maximum))])
    }

    public var text: String {
        isExact ? "\(DecimalText.canonical(minimum))%" : "\(DecimalText.canonical(minimum))–\(DecimalText.canonical(maximum))%"
    }
}

/// A dated ownership relation shaped like the Beneficial Ownership Data Standard: the interested
/// party holds `share` of the subject from `period.from` until `period.until`.
public struct Ownership: Sendable, Hashable {
    public var id: String
    /// The entity owned.
    public var subject: String
    /// The owner.
    public var interestedParty: String
    public var share: Share
    public var period: Period
    public var provenance: Provenance

    public init(id: String, subject: String, interestedParty: String, share: Share, period: Period = .always,
                provenance: Provenance = Provenance()) {
        self.id = id; self.subject = subject; self.interestedParty = interestedParty; self.share = share
        self.period = period; self.provenance = provenance
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        subject = try o.id("subject")
        interestedParty = try o.id("interestedParty")
        if subject == interestedParty {
            throw DomainError(.invalidField, field: o.path("interestedParty"), "a party cannot own itself")
        }
        share = try Share(json: o.object("share"))
        period = try Period(from: o.optionalDay("from"), until: o.optionalDay("until"), field: o.path)
        provenance = try Provenance(from: o)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["id": .string(id), "subject": .string(subject),
                                      "interestedParty": .string(interestedParty), "share": share.json]
        if let f = period.from { m["from"] = .string(f.iso) }
        if let u = period.until { m["until"] = .string(u.iso) }
        provenance.write(into: &m)
        return m
    }
}
