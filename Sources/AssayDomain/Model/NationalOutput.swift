import Foundation

/// A country's published mine production of a mineral in one year (`record-national-output`): the total
/// every aggregate states its coverage against, so that shares of what the registry holds are never read
/// as shares of the country.
///
/// For example: `{"type":"record-national-output","mineral":"copper","year":2024,"tonnes":"2900000","sources":["https://…"]}`.
public struct NationalOutput: Sendable, Hashable {
    public var mineral: Mineral
    public var year: Int
    public var tonnes: Decimal
    public var note: String?
    public var provenance: Provenance

    public init(mineral: Mineral, year: Int, tonnes: Decimal, note: String? = nil, provenance: Provenance) {
        self.mineral = mineral; self.year = year; self.tonnes = tonnes; self.note = note; self.provenance = provenance
    }

    public init(json o: JSONObject) throws(DomainError) {
        let name = try o.string("mineral", maxLength: 100)
        guard let m = Mineral.named(name) else { throw DomainError(.invalidField, field: o.path("mineral"), "unknown mineral \"\(name)\"") }
        mineral = m
        guard let y = try o.optionalInt("year"), (1900...2100).contains(y) else {
            throw DomainError(.invalidField, field: o.path("year"), "give the year as a number from 1900 to 2100")
        }
        year = Int(y)
        tonnes = try o.decimal("tonnes")
        guard tonnes > 0 else { throw DomainError(.invalidField, field: o.path("tonnes"), "must be more than 0") }
        note = try o.optionalString("note", maxLength: 2000)
        provenance = try Provenance(from: o)
        if provenance.sources.isEmpty { throw DomainError(.missingField, field: o.path("sources"), "a national total is only as good as its source: give it") }
    }

    /// The journal subject: one total per mineral and year.
    public var key: String { "national-output:\(mineral.rawValue):\(year)" }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["mineral": .string(mineral.rawValue), "year": .int(Int64(year)), "tonnes": .string(DecimalText.canonical(tonnes))]
        if let note { m["note"] = .string(note) }
        provenance.write(into: &m)
        return m
    }
}

/// How much of a mineral's national production the capacities the registry holds cover.
public struct Coverage: Sendable {
    public var mineral: Mineral
    public var registeredTonnes: Double
    /// The latest national total of a year up to the day asked about, if one is recorded.
    public var national: NationalOutput?

    public init(mineral: Mineral, registeredTonnes: Double, national: NationalOutput?) {
        self.mineral = mineral; self.registeredTonnes = registeredTonnes; self.national = national
    }

    public var nationalTonnes: Double? { national.map { NSDecimalNumber(decimal: $0.tonnes).doubleValue } }
    /// Registered capacity as a share of the national total (may exceed 1: capacity is not output).
    public var share: Double? { nationalTonnes.map { registeredTonnes / $0 } }
    /// The share of the national total no registered capacity accounts for ("not registered").
    public var notRegistered: Double? { share.map { max(0, 1 - $0) } }

    public var json: JSONValue {
        var m: [String: JSONValue] = ["mineral": .string(mineral.rawValue), "registeredTonnes": .string(String(format: "%.0f", registeredTonnes))]
        if let n = national, let share, let notRegistered {
            m["nationalTonnes"] = .string(DecimalText.canonical(n.tonnes))
            m["year"] = .int(Int64(n.year))
            m["sources"] = .array(n.provenance.sources.map { .string($0) })
            m["registeredShare"] = .string(String(format: "%.4f", share))
            m["notRegistered"] = .string(String(format: "%.4f", notRegistered))
        } else {
            m["note"] = "no national total recorded: shares are of registered capacity only, coverage unknown"
        }
        return .object(m)
    }

    /// One line for people: `64% of national 170,000 t (2023); not registered 36%`, or that it is unknown.
    public var text: String {
        guard let n = national, let share, let notRegistered else { return "coverage unknown (no national total recorded)" }
        return String(format: "%.0f%%", share * 100) + " of national \(DecimalText.canonical(n.tonnes)) t (\(n.year)); not registered " + String(format: "%.0f%%", notRegistered * 100)
    }
}
