import Foundation

/// What an obligation is for. The first group is security assistance, the second economic, then
/// mineral deliveries and payments.
public enum ObligationKind: String, Sendable, CaseIterable {
    case training, equipment, intelligence, advisory
    case sanctionsPressure = "sanctions-pressure"
    case diplomaticPressure = "diplomatic-pressure"
    case baseAccess = "base-access"
    /// Withdrawing troops from a territory (a peace agreement's disengagement).
    case troopWithdrawal = "troop-withdrawal"
    /// Operations against an armed group, or a joint security mechanism.
    case securityOperations = "security-operations"
    case investment, infrastructure
    case localProcessing = "local-processing"
    case jobs
    case mineralDelivery = "mineral-delivery"
    case payment

    /// The broad category used in balances.
    public var category: ObligationCategory {
        switch self {
        case .training, .equipment, .intelligence, .advisory, .sanctionsPressure, .diplomaticPressure, .baseAccess, .troopWithdrawal,
             .securityOperations: .security
        case .investment, .infrastructure, .localProcessing, .jobs: .economic
        case .mineralDelivery: .mineralDelivery
        case .payment: .payment
        }
    }
}

public enum ObligationCategory: String, Sendable, CaseIterable {
    case security, economic
    case mineralDelivery = "mineral-delivery"
    case payment
}

/// An amount in a unit (`tonnes`, `officers trained`, `jobs`).
public struct Quantity: Sendable, Hashable {
    public var amount: Decimal
    public var unit: String

    public init(amount: Decimal, unit: String) { self.amount = amount; self.unit = unit }

    init(json o: JSONObject) throws(DomainError) {
        amount = try o.decimal("amount")
        guard amount >= 0 else { throw DomainError(.invalidField, field: o.path("amount"), "must not be negative") }
        unit = try o.string("unit", maxLength: 60)
        try o.rejectUnknown()
    }

    var json: JSONValue { .object(["amount": .string(DecimalText.canonical(amount)), "unit": .string(unit)]) }
}

/// An amount of money in an ISO 4217 currency. Balances never convert between currencies.
public struct Money: Sendable, Hashable {
    public var amount: Decimal
    public var currency: String

    public init(amount: Decimal, currency: String) { self.amount = amount; self.currency = currency }

    init(json o: JSONObject) throws(DomainError) {
        amount = try o.decimal("amount")
        guard amount >= 0 else { throw DomainError(.invalidField, field: o.path("amount"), "must not be negative") }
        currency = try o.string("currency", maxLength: 3)
        try Currency.validate(currency, field: o.path("currency"))
        try o.rejectUnknown()
    }

    var json: JSONValue { .object(["amount": .string(DecimalText.canonical(amount)), "currency": .string(currency)]) }
}

/// How often a scheduled obligation falls due.
public enum Recurrence: String, Sendable, CaseIterable {
    case month, quarter, year
    var months: Int { switch self { case .month: 1; case .quarter: 3; case .year: 12 } }
}

/// What one side of an agreement owes the other: security assistance, economic commitments, mineral
/// deliveries or payments, with a quantity and/or a value, due once or on a schedule.
///
/// With a schedule, the quantity and value are the *total* promised, falling due in equal instalments
/// on `due`, then every `every`, before `until`.
public struct Obligation: Sendable, Hashable {
    public var id: String
    public var agreement: String
    public var obligor: String
    public var beneficiary: String
    public var kind: ObligationKind
    public var description: String
    public var quantity: Quantity?
    public var value: Money?
    public var due: Day?
    public var every: Recurrence?
    public var until: Day?
    /// Details visible to auditors only; the public sees that it exists and its hash in the log.
    public var confidential: Bool
    public var provenance: Provenance

    public init(id: String, agreement: String, obligor: String, beneficiary: String, kind: ObligationKind,
                description: String, quantity: Quantity? = nil, value: Money? = nil, due: Day? = nil,
                every: Recurrence? = nil, until: Day? = nil, confidential: Bool = false, provenance: Provenance = Provenance()) {
        self.id = id; self.agreement = agreement; self.obligor = obligor; self.beneficiary = beneficiary; self.kind = kind
        self.description = description; self.quantity = quantity; self.value = value; self.due = due; self.every = every
        self.until = until; self.confidential = confidential; self.provenance = provenance
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        agreement = try o.id("agreement")
        obligor = try o.id("obligor")
        beneficiary = try o.id("beneficiary")
        if obligor == beneficiary { throw DomainError(.invalidField, field: o.path("beneficiary"), "must differ from the obligor") }
        kind = try o.enumValue("kind", ObligationKind.self)
        description = try o.string("description", maxLength: 4000)
        quantity = try o.optionalObject("quantity").map { (q) throws(DomainError) in try Quantity(json: q) }
        value = try o.optionalObject("value").map { (v) throws(DomainError) in try Money(json: v) }
        due = try o.optionalDay("due")
        every = try o.optionalEnum("every", Recurrence.self)
        until = try o.optionalDay("until")
        if every != nil {
            guard let d = due, let u = until else {
                throw DomainError(.missingField, field: o.path(due == nil ? "due" : "until"), "a schedule needs its first due date and its end (until)")
            }
            if u <= d { throw DomainError(.invalidField, field: o.path("until"), "must be after the first due date") }
        } else if until != nil {
            throw DomainError(.invalidField, field: o.path("until"), "only a scheduled obligation (with \"every\") has an end")
        }
        confidential = try o.optionalBool("confidential") ?? false
        provenance = try Provenance(from: o)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = [
            "id": .string(id), "agreement": .string(agreement), "obligor": .string(obligor),
            "beneficiary": .string(beneficiary), "kind": .string(kind.rawValue), "description": .string(description),
        ]
        if let quantity { m["quantity"] = quantity.json }
        if let value { m["value"] = value.json }
        if let due { m["due"] = .string(due.iso) }
        if let every { m["every"] = .string(every.rawValue) }
        if let until { m["until"] = .string(until.iso) }
        if confidential { m["confidential"] = .bool(true) }
        provenance.write(into: &m)
        return m
    }

    /// The instalment due dates: one (`due`) for a one-off, every date of the schedule otherwise,
    /// none when the obligation has no due date.
    public var instalments: [Day] {
        guard let due else { return [] }
        guard let every, let until else { return [due] }
        var out: [Day] = []
        var k = 0
        while out.count < 1200 {
            let d = due.adding(months: k * every.months)
            if d >= until { break }
            out.append(d)
            k += 1
        }
        return out
    }
}

/// A delivery recorded against an obligation, with its evidence (document hashes).
public struct Delivery: Sendable, Hashable {
    public var id: String
    public var obligation: String
    public var date: Day
    public var quantity: Quantity?
    public var value: Money?
    public var evidence: [String]
    public var note: String?
    public var provenance: Provenance

    public init(id: String, obligation: String, date: Day, quantity: Quantity? = nil, value: Money? = nil,
                evidence: [String] = [], note: String? = nil, provenance: Provenance = Provenance()) {
        self.id = id; self.obligation = obligation; self.date = date; self.quantity = quantity; self.value = value
        self.evidence = evidence; self.note = note; self.provenance = provenance
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        obligation = try o.id("obligation")
        date = try o.day("date")
        quantity = try o.optionalObject("quantity").map { (q) throws(DomainError) in try Quantity(json: q) }
        value = try o.optionalObject("value").map { (v) throws(DomainError) in try Money(json: v) }
        if quantity == nil, value == nil {
            throw DomainError(.missingField, field: o.path("quantity"), "a delivery needs a quantity or a value")
        }
        evidence = try o.strings("evidence", maxCount: 100)
        for (i, h) in evidence.enumerated() { try SHA256Hex.validate(h, field: "\(o.path("evidence"))[\(i)]") }
        note = try o.optionalString("note", maxLength: 2000)
        provenance = try Provenance(from: o)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["id": .string(id), "obligation": .string(obligation), "date": .string(date.iso)]
        if let quantity { m["quantity"] = quantity.json }
        if let value { m["value"] = value.json }
        if !evidence.isEmpty { m["evidence"] = .array(evidence.map { .string($0) }) }
        if let note { m["note"] = .string(note) }
        provenance.write(into: &m)
        return m
    }
}
