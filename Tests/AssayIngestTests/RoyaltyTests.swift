import AssayDomain
import Foundation
import Testing
@testable import AssayIngest

@Suite("Royalties: the rate table, price tables and exact computation")
struct RoyaltyTests {
    @Test func theShippedRateTableGivesEveryMineralItsRate() throws {
        let s = try RoyaltyRates.schedule()
        #expect(s.rate(.cobalt) == Percent(basisPoints: 1000))
        #expect(s.rate(.tantalum) == Percent(basisPoints: 1000))
        #expect(s.rate(.germanium) == Percent(basisPoints: 1000))
        #expect(s.rate(.tin) == Percent(basisPoints: 350))
        #expect(s.rate(.copper) == Percent(basisPoints: 350))
        #expect(s.rate(.gold) == Percent(basisPoints: 350))
        #expect(s.rate(.iron) == Percent(basisPoints: 100))
        #expect(s.rate(.diamond) == Percent(basisPoints: 600))
        #expect(Set(s.rates.keys) == Set(Mineral.allCases))
    }

    @Test func dueIsExactInCentsAtThePriceInForceThatDay() throws {
        let prices = PriceTable([
            PriceQuote(mineral: .tin, date: Day(year: 2025, month: 1, day: 1)!, pricePerTonne: Money(amount: 30000, currency: "USD")),
            PriceQuote(mineral: .tin, date: Day(year: 2025, month: 2, day: 1)!, pricePerTonne: Money(amount: Decimal(string: "31000.50")!, currency: "USD")),
        ])
        let schedule = RoyaltySchedule(rates: [.tin: Percent(basisPoints: 350)])
        func basis(_ day: Day, grams: Int64) -> RoyaltyBasis {
            RoyaltyBasis(lot: "L", event: "E", day: day, payer: "p", site: "s", concession: nil, mineral: .tin, containedGrams: grams)
        }
        // 13 t at 30,000 USD/t = 390,000 USD; 3.5% = 13,650 USD.
        let jan = RoyaltyCalculator.line(basis(Day(year: 2025, month: 1, day: 31)!, grams: 13_000_000), prices: prices, schedule: schedule)
        #expect(jan.valueMinor == 39_000_000 && jan.dueMinor == 1_365_000 && jan.currency == "USD")
        // 1.234567 t at 31,000.50 = 38,271.19…; 3.5% = 1,339.49 (half up in cents).
        let feb = RoyaltyCalculator.line(basis(Day(year: 2025, month: 2, day: 1)!, grams: 1_234_567), prices: prices, schedule: schedule)
        #expect(feb.valueMinor == 3_827_219 && feb.dueMinor == 133_953)
        // Before any quote: unpriced, never zero-valued silently.
        let early = RoyaltyCalculator.line(basis(Day(year: 2024, month: 12, day: 31)!, grams: 1_000), prices: prices, schedule: schedule)
        #expect(early.priceMinor == nil)
        let report = RoyaltyReport(period: .always, lines: [jan, feb, early], payments: [
            Payment(id: "p1", payer: "p", stream: .royalty, amount: Money(amount: 13650, currency: "USD"), date: Day(year: 2025, month: 2, day: 10)!,
                    period: try Period(from: Day(year: 2025, month: 1, day: 1), until: Day(year: 2025, month: 2, day: 1)), lots: ["L"]),
        ])
        let usd = try #require(report.payers.first { $0.currency == "USD" })
        #expect(usd.dueMinor == 1_365_000 + 133_953 && usd.paidMinor == 1_365_000 && usd.gapMinor == 133_953)
        #expect(report.flags.count == 1 && report.flags[0].payer == "p")
        #expect(report.payers.first { $0.currency == "?" }?.unpricedLots == 1)
    }

    @Test func priceTablesImportFromCSVAndBadRowsNameRowAndColumn() throws {
        let good = try CommandImporter.read(path: "prices.csv", text: "mineral,date,price_per_tonne,currency,source\ntin,2025-01-01,30000,USD,LME\nColtan,2025-01-01,200000.5,USD,\n")
        #expect(good.count == 2)
        guard case .recordPrice(let q) = good[1].command else { Issue.record("not a price"); return }
        #expect(q.mineral == .tantalum && q.pricePerTonne.amount == Decimal(string: "200000.5"))
        #expect {
            _ = try CommandImporter.read(path: "prices.csv", text: "mineral,date,price_per_tonne,currency\ntin,2025-01-01,30000,USD\ntin,2025-13-01,1,USD\nunobtainium,2025-01-01,1,USD\ntin,2025-01-02,-5,USD\n")
        } throws: { e in
            let d = (e as? ImportErrors)?.description ?? ""
            return d.contains("prices.csv:3: date:") && d.contains("prices.csv:4: mineral:") && d.contains("prices.csv:5: pricePerTonne.amount:")
        }
    }
}
