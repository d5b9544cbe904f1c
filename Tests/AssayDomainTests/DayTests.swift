import PropertyBased
import Testing
@testable import AssayDomain

@Suite("Days and periods")
struct DayTests {
    @Test func knownDays() throws {
        #expect(try Day(iso: "1970-01-01").ordinal == 0)
        #expect(try Day(iso: "2025-12-04").ordinal == 20426)
        #expect(try Day(iso: "2024-02-29").iso == "2024-02-29")
        #expect(throws: DomainError.self) { try Day(iso: "2025-02-29") }
        #expect(throws: DomainError.self) { try Day(iso: "2025-13-01") }
        #expect(throws: DomainError.self) { try Day(iso: "4 Dec 2025", field: "signed") }
    }

    @Test func ordinalRoundTrips() async {
        await propertyCheck(count: 500, input: Gen.int32(in: -700_000...2_900_000)) { n in
            let day = Day(ordinal: n)
            #expect((try? Day(iso: day.iso))?.ordinal == n)
        }
    }

    @Test func touchingPeriodsDoNotOverlap() throws {
        let a = try Period(from: Day(iso: "2020-01-01"), until: Day(iso: "2025-01-01"))
        let b = try Period(from: Day(iso: "2025-01-01"), until: nil)
        #expect(a.intersection(b) == nil)
        let c = try Period(from: Day(iso: "2024-12-31"), until: nil)
        #expect(a.intersection(c)?.text == "2024-12-31 → 2025-01-01")
        #expect(Period.always.intersection(a) == a)
        #expect(throws: DomainError.self) { try Period(from: Day(iso: "2025-01-01"), until: Day(iso: "2025-01-01")) }
    }

    @Test func timestampsRoundTrip() throws {
        let t = Timestamp(milliseconds: 1_795_000_123_456)
        #expect(try Timestamp(iso: t.iso, field: "time") == t)
        #expect(t.iso.hasSuffix("Z"))
        #expect(throws: DomainError.self) { try Timestamp(iso: "2026-11-23 21:00:00", field: "time") }
    }
}
