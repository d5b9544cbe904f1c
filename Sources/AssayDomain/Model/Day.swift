/// A calendar day (proleptic Gregorian, no time zone), stored as days since 1970-01-01.
///
/// Periods in Assay are days, as in the legal texts they come from. Written by hand (Howard Hinnant's
/// civil-date algorithms) so the domain needs no `Calendar`, no time zone and no clock.
///
/// For example:
/// ```swift
/// let signed = try Day(iso: "2025-12-04")
/// signed.iso        // "2025-12-04"
/// signed + 90       // three months' window, in days
/// ```
public struct Day: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Days since 1970-01-01 (negative before).
    public let ordinal: Int32

    public init(ordinal: Int32) { self.ordinal = ordinal }

    /// Builds a day from its year, month (1–12) and day of month, or returns `nil` when it does not exist.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
              day <= Day.daysInMonth(year: year, month: month) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        ordinal = Int32(era * 146_097 + doe - 719_468)
    }

    /// Parses `YYYY-MM-DD`.
    /// - Throws: ``DomainError`` naming `field` when the text is not a real calendar day in that form.
    public init(iso text: String, field: String = "date") throws(DomainError) {
        let u = Array(text.utf8)
        func digits(_ r: Range<Int>) -> Int? {
            var v = 0
            for i in r {
                guard u[i] >= 0x30, u[i] <= 0x39 else { return nil }
                v = v * 10 + Int(u[i] - 0x30)
            }
            return v
        }
        guard u.count == 10, u[4] == UInt8(ascii: "-"), u[7] == UInt8(ascii: "-"),
              let y = digits(0..<4), let m = digits(5..<7), let d = digits(8..<10) else {
            throw DomainError(.invalidField, field: field, "expected a date as YYYY-MM-DD, found \"\(text)\"")
        }
        guard let day = Day(year: y, month: m, day: d) else {
            throw DomainError(.invalidField, field: field, "\(text) is not a calendar day")
        }
        self = day
    }

    /// Year, month and day of month.
    public var components: (year: Int, month: Int, day: Int) {
        let z = Int(ordinal) + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// `YYYY-MM-DD`.
    public var iso: String {
        let c = components
        return pad(c.year, 4) + "-" + pad(c.month, 2) + "-" + pad(c.day, 2)
    }

    /// `YYYY-MM`, the month this day falls in.
    public var monthKey: String { String(iso.prefix(7)) }

    /// The first day of this day's month.
    public var firstOfMonth: Day {
        let c = components
        return Day(year: c.year, month: c.month, day: 1) ?? self
    }

    /// The first day of the following month.
    public var firstOfNextMonth: Day {
        let c = components
        return (c.month == 12 ? Day(year: c.year + 1, month: 1, day: 1) : Day(year: c.year, month: c.month + 1, day: 1)) ?? self
    }

    /// How many months from `from`'s month up to the month before `until`'s first day (at least 1, at most 600).
    public static func monthCount(from: Day, until: Day) -> Int {
        var n = 0, d = from.firstOfMonth
        while d < until, n < 600 { d = d.firstOfNextMonth; n += 1 }
        return max(1, n)
    }

    public var description: String { iso }

    public static func < (a: Day, b: Day) -> Bool { a.ordinal < b.ordinal }
    public static func + (a: Day, days: Int) -> Day { Day(ordinal: a.ordinal + Int32(days)) }

    /// The same day `months` later, or the last day of that month when it is shorter (31 Jan + 1 = 28/29 Feb).
    public func adding(months: Int) -> Day {
        let (y, m, d) = components
        let total = (y * 12 + (m - 1)) + months
        let year = total / 12, month = total % 12 + 1
        return Day(year: year, month: month, day: min(d, Day.daysInMonth(year: year, month: month))) ?? self
    }

    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }
}

/// A period of days: `from` inclusive, `until` exclusive (the first day the right no longer holds);
/// `nil` means open on that side.
///
/// Half-open on purpose: a title that ends on 1 January and one that starts on 1 January *touch* and do
/// not overlap, which is how successive titles are written.
public struct Period: Sendable, Hashable {
    public var from: Day?
    public var until: Day?

    /// - Throws: ``DomainError`` when `until` is not after `from`.
    public init(from: Day?, until: Day?, field: String = "period") throws(DomainError) {
        if let f = from, let u = until, u <= f {
            throw DomainError(.invalidField, field: field + ".until", "must be after from (\(f.iso)), found \(u.iso)")
        }
        self.from = from
        self.until = until
    }

    /// A period open on both sides.
    public static let always = Period(unchecked: nil, nil)

    init(unchecked from: Day?, _ until: Day?) {
        self.from = from
        self.until = until
    }

    /// Whether `day` falls inside the period.
    public func contains(_ day: Day) -> Bool {
        (from.map { $0 <= day } ?? true) && (until.map { day < $0 } ?? true)
    }

    /// The days both periods cover, or `nil` when they do not overlap (touching is not overlapping).
    public func intersection(_ other: Period) -> Period? {
        let f: Day? = switch (from, other.from) {
        case let (a?, b?): max(a, b)
        case let (a?, nil): a
        case let (nil, b?): b
        case (nil, nil): nil
        }
        let u: Day? = switch (until, other.until) {
        case let (a?, b?): min(a, b)
        case let (a?, nil): a
        case let (nil, b?): b
        case (nil, nil): nil
        }
        if let f, let u, u <= f { return nil }
        return Period(unchecked: f, u)
    }

    /// `2025-12-04 → 2026-03-04`, with `…` for an open side.
    public var text: String { "\(from?.iso ?? "…") → \(until?.iso ?? "…")" }
}
