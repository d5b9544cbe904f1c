import Foundation

/// A mass, held as whole grams so sums and comparisons along a chain of custody are exact; written in
/// JSON as kilograms with at most three decimals (`"1250.5"`).
public struct Mass: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var grams: Int64

    public init(grams: Int64) { self.grams = grams }

    /// Reads kilograms; refuses negatives, zero (unless `allowZero`), more than three decimals and more
    /// than a million tonnes.
    public init(kilograms d: Decimal, field: String, allowZero: Bool = false) throws(DomainError) {
        var g = d * 1000
        var rounded = Decimal()
        NSDecimalRound(&rounded, &g, 0, .plain)
        guard rounded == g else { throw DomainError(.invalidField, field: field, "give kilograms with at most three decimals (whole grams)") }
        guard d >= 0, allowZero || d > 0 else { throw DomainError(.invalidField, field: field, allowZero ? "must not be negative" : "must be more than 0 kg") }
        guard d <= 1_000_000_000 else { throw DomainError(.invalidField, field: field, "is over a million tonnes; give kilograms") }
        grams = NSDecimalNumber(decimal: rounded).int64Value
    }

    public var kilograms: Decimal { Decimal(grams) / 1000 }
    public var kilogramText: String { DecimalText.canonical(kilograms) }
    public var tonnes: Double { Double(grams) / 1_000_000 }
    public var description: String { "\(kilogramText) kg" }

    public static func < (a: Mass, b: Mass) -> Bool { a.grams < b.grams }
    public static func + (a: Mass, b: Mass) -> Mass { Mass(grams: a.grams + b.grams) }
    public static func - (a: Mass, b: Mass) -> Mass { Mass(grams: a.grams - b.grams) }
    public static let zero = Mass(grams: 0)
}

/// A share in hundredths of a percent (basis points), 0…10,000: grades, moisture, royalty rates and
/// tolerances, exact in sums. Written in JSON as a percentage (`"65.25"`).
public struct Percent: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var basisPoints: Int64

    public init(basisPoints: Int64) { self.basisPoints = basisPoints }

    public init(percent d: Decimal, field: String, max: Decimal = 100) throws(DomainError) {
        var bp = d * 100
        var rounded = Decimal()
        NSDecimalRound(&rounded, &bp, 0, .plain)
        guard rounded == bp else { throw DomainError(.invalidField, field: field, "give a percentage with at most two decimals") }
        guard d >= 0, d <= max else { throw DomainError(.invalidField, field: field, "must be between 0 and \(max)%") }
        basisPoints = NSDecimalNumber(decimal: rounded).int64Value
    }

    public var decimal: Decimal { Decimal(basisPoints) / 100 }
    public var text: String { DecimalText.canonical(decimal) }
    public var fraction: Double { Double(basisPoints) / 10_000 }
    public var description: String { "\(text)%" }
    public static func < (a: Percent, b: Percent) -> Bool { a.basisPoints < b.basisPoints }
}
