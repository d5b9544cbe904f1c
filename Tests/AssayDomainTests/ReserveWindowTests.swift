import Testing
@testable import AssayDomain

@Suite("First-offer windows: the arithmetic of the registry's clock")
struct ReserveWindowTests {
    func day(_ s: String) -> Day { try! Day(iso: s) }
    func offer(opens: String) -> AssetOffer { AssetOffer(id: "o", reserve: "r", asset: "a", beneficiary: "us", opens: day(opens)) }

    @Test func aThreeMonthWindowLapsesTheDayAfterItsLastDay() {
        let w = OfferWindow(offer: offer(opens: "2026-02-10"), months: 3, resolutions: [])
        #expect(w.state(on: day("2026-02-10")) == .open(lastDay: day("2026-05-09")))
        #expect(w.state(on: day("2026-05-09")) == .open(lastDay: day("2026-05-09")))
        #expect(w.state(on: day("2026-05-10")) == .lapsed(on: day("2026-05-10")))
    }

    @Test func aRenewalRunsTheSameLengthFromTheEndOnlyFromItsDate() {
        let renewal = OfferResolution(offer: "o", status: .renewed, date: day("2026-05-04"))
        let w = OfferWindow(offer: offer(opens: "2026-02-10"), months: 3, resolutions: [renewal])
        // Before the renewal was recorded, the window would have lapsed on 10 May: asked for 3 May, it says so.
        #expect(w.state(on: day("2026-05-03")) == .open(lastDay: day("2026-05-09")))
        #expect(w.state(on: day("2026-05-10")) == .open(lastDay: day("2026-08-09")))
        #expect(w.state(on: day("2026-08-09")).isOpen)
        #expect(w.state(on: day("2026-08-10")) == .lapsed(on: day("2026-08-10")))
        #expect(w.renewalsUsed == 1)
    }

    @Test func anAnswerEndsTheWindowOnItsDay() {
        let refused = OfferWindow(offer: offer(opens: "2026-03-02"), months: 3, resolutions: [OfferResolution(offer: "o", status: .refused, date: day("2026-04-20"))])
        #expect(refused.state(on: day("2026-04-19")).isOpen)
        #expect(refused.state(on: day("2026-04-20")) == .refused(on: day("2026-04-20")))
        let accepted = OfferWindow(offer: offer(opens: "2026-03-02"), months: 3,
                                   resolutions: [OfferResolution(offer: "o", status: .accepted, date: day("2026-03-05"), grant: "g")])
        #expect(accepted.state(on: day("2027-01-01")) == .accepted(on: day("2026-03-05")))
    }

    @Test func monthsEndOnTheLastDayOfShorterMonths() {
        #expect(day("2026-01-31").adding(months: 1) == day("2026-02-28"))
        #expect(day("2028-01-31").adding(months: 1) == day("2028-02-29"))
        #expect(day("2026-11-30").adding(months: 3) == day("2027-02-28"))
        #expect(day("2026-03-15").adding(months: -3) == day("2025-12-15"))
        let w = OfferWindow(offer: offer(opens: "2026-11-30"), months: 3, resolutions: [])
        #expect(w.state(on: day("2027-02-27")) == .open(lastDay: day("2027-02-27")))
        #expect(w.state(on: day("2027-02-28")) == .lapsed(on: day("2027-02-28")))
    }

    @Test func readsAndRefusesBadJSON() throws {
        #expect(throws: DomainError.self) { try Command(jsonText: #"{"type":"resolve-offer","offer":"o","status":"accepted","date":"2026-03-01"}"#) }
        #expect(throws: DomainError.self) { try Command(jsonText: #"{"type":"resolve-offer","offer":"o","status":"refused","date":"2026-03-01","grant":"g"}"#) }
        #expect(throws: DomainError.self) {
            try Command(jsonText: #"{"type":"register-reserve","id":"r","agreement":"a","title":"R","assets":[{"id":"x","name":"X","minerals":["gold"]}]}"#)
        }
        #expect(throws: DomainError.self) {
            try Command(jsonText: #"{"type":"register-reserve","id":"r","agreement":"a","title":"R","windowMonths":0,"assets":[{"id":"x","name":"X","site":"s","minerals":["gold"]}]}"#)
        }
        let ok = try Command(jsonText: #"{"type":"register-reserve","id":"r","agreement":"a","title":"R","confidential":true,"assets":[{"id":"x","name":"X","site":"s","minerals":["gold"]}]}"#)
        #expect(try Command(jsonText: CanonicalJSON.string(ok.json)) == ok)
    }
}
