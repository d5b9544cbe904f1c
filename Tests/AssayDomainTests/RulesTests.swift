import Foundation
import Testing
@testable import AssayDomain

@Suite("Ownership roll-ups and the quid-pro-quo balance")
struct RulesTests {
    func share(_ id: String, _ subject: String, _ owner: String, _ lo: Decimal, _ hi: Decimal? = nil) throws -> Ownership {
        Ownership(id: id, subject: subject, interestedParty: owner, share: try Share(minimum: lo, maximum: hi ?? lo))
    }

    @Test func kisanfuIsNinetyFivePercentChinese() throws {
        let parties = [
            Party(id: "kfm", name: "KFM", kind: .company, country: "CD"), Party(id: "cmoc", name: "CMOC", kind: .company, country: "CN"),
            Party(id: "catl", name: "CATL", kind: .company, country: "CN"),
            Party(id: "gecamines", name: "Gécamines", kind: .stateOwnedEnterprise, country: "CD"),
            Party(id: "cd", name: "DRC", kind: .state, country: "CD"),
        ]
        let owns = [try share("1", "kfm", "cmoc", 71.25), try share("2", "kfm", "catl", 23.75), try share("3", "kfm", "gecamines", 5),
                    try share("4", "gecamines", "cd", 100)]
        let g = OwnershipGraph(parties: parties, ownerships: owns, asOf: try Day(iso: "2025-01-01"))
        let countries = g.countryShares(of: "kfm")
        #expect(countries.map(\.country) == ["CN", "CD"])
        #expect(abs(countries[0].share - 0.95) < 1e-9)
        #expect(abs(countries[1].share - 0.05) < 1e-9)
        let ult = g.ultimateOwners(of: "kfm")
        #expect(ult.first { $0.owner == "cd" }?.path == ["kfm", "gecamines", "cd"])
    }

    @Test func rangesUnknownRemaindersCyclesAndDates() throws {
        let parties = [Party(id: "a", name: "A", kind: .company, country: "CH"), Party(id: "b", name: "B", kind: .company, country: "US"),
                       Party(id: "c", name: "C", kind: .company, country: "CN")]
        var owns = [try share("1", "x", "a", 20, 30), try share("2", "b", "c", 50), try share("3", "c", "b", 100)]
        owns.append(Ownership(id: "4", subject: "x", interestedParty: "b", share: Share(exact: 50),
                              period: try Period(from: Day(iso: "2026-01-01"), until: nil)))
        let before = OwnershipGraph(parties: parties, ownerships: owns, asOf: try Day(iso: "2025-06-01")).ultimateOwners(of: "x")
        #expect(before.count == 2)
        let a = try #require(before.first { $0.owner == "a" })
        #expect(abs(a.share - 0.25) < 1e-9 && abs(a.minimum - 0.2) < 1e-9 && abs(a.maximum - 0.3) < 1e-9)
        #expect(abs((before.last?.share ?? 0) - 0.75) < 1e-9 && before.last?.owner == nil)
        // After 2026 b holds half; b is half owned by c which is owned by b: the cycle's part is unknown.
        let after = OwnershipGraph(parties: parties, ownerships: owns, asOf: try Day(iso: "2026-06-01")).ultimateOwners(of: "x")
        let total = after.reduce(0) { $0 + $1.share }
        #expect(abs(total - 1) < 1e-9)
    }

    @Test func capacityOwnershipAndConcentration() throws {
        let parties = [Party(id: "p", name: "P", kind: .company, country: "CN"), Party(id: "q", name: "Q", kind: .company, country: "CH")]
        let sites = [
            Site(id: "s1", name: "S1", kind: .industrialMine, latitude: -10, longitude: 25, minerals: MineralSet([.cobalt]), capacities: [.cobalt: 300]),
            Site(id: "s2", name: "S2", kind: .industrialMine, latitude: -10, longitude: 26, minerals: MineralSet([.cobalt]), capacities: [.cobalt: 100]),
        ]
        let cap = CapacityOwnership(sites: sites, owners: ["s1": "p", "s2": "q"],
                                    graph: OwnershipGraph(parties: parties, ownerships: [], asOf: Day(ordinal: 0)))
        let row = try #require(cap.rows.first)
        #expect(row.mineral == .cobalt && row.totalTonnes == 400)
        #expect(row.byCountry.first?.country == "CN")
        #expect(abs(row.countryHHI - (75 * 75 + 25 * 25)) < 1e-6)
    }

    @Test func balanceCountsInstalmentsDueAndOverdue() throws {
        let yearly = Obligation(id: "y", agreement: "a", obligor: "gec", beneficiary: "cd", kind: .infrastructure, description: "roads",
                                value: Money(amount: 1_000, currency: "USD"), due: try Day(iso: "2025-12-31"), every: .year,
                                until: try Day(iso: "2030-01-01"))
        #expect(yearly.instalments.map(\.iso) == ["2025-12-31", "2026-12-31", "2027-12-31", "2028-12-31", "2029-12-31"])
        let training = Obligation(id: "t", agreement: "a", obligor: "us", beneficiary: "cd", kind: .training, description: "FARDC",
                                  quantity: Quantity(amount: 100, unit: "officers"), due: try Day(iso: "2026-06-30"))
        let deliveries = [
            Delivery(id: "d1", obligation: "y", date: try Day(iso: "2025-12-31"), value: Money(amount: 150, currency: "USD")),
            Delivery(id: "d2", obligation: "t", date: try Day(iso: "2026-03-01"), quantity: Quantity(amount: 100, unit: "officers")),
            Delivery(id: "d3", obligation: "y", date: try Day(iso: "2027-06-01"), value: Money(amount: 999, currency: "USD")),
        ]
        let report = BalanceReport(obligations: [yearly, training], deliveries: deliveries, asOf: try Day(iso: "2026-12-31"))
        let y = try #require(report.obligations.first { $0.obligation.id == "y" })
        #expect(y.dueValue == 400 && y.deliveredValue == 150 && y.overdueValue == 250 && y.isOverdue)
        let t = try #require(report.obligations.first { $0.obligation.id == "t" })
        #expect(!t.isOverdue && t.progress == 1)
        #expect(report.overdue.map(\.obligation.id) == ["y"])
        let total = try #require(report.totals.first { $0.party == "gec" })
        #expect(total.promised == 1000 && total.due == 400 && total.delivered == 150 && total.category == .economic)
        let last = try #require(report.series.last)
        #expect(last.month == "2026-12" && last.dueCumulative == 400 && last.deliveredCumulative == 150)
        #expect(report.series.first?.month == "2025-12")
    }

    @Test func mineralsReadTheNamesRealDataUses() {
        #expect(Mineral.named("Or") == .gold)
        #expect(Mineral.named("Cassitérite") == .tin)
        #expect(Mineral.named("cassiterite") == .tin)
        #expect(Mineral.named("Coltan") == .tantalum)
        #expect(Mineral.named("Wolframite") == .tungsten)
        #expect(Mineral.named("Cuivre") == .copper)
        #expect(Mineral.named("tin (cassiterite)") == .tin)
        #expect(Mineral.named("coltan (tantalum)") == .tantalum)
        #expect(Mineral.named("rare earth elements") == .rareEarths)
        #expect(Mineral.named("inconnu") == nil)
        #expect(Mineral.cobalt.isStrategic && Mineral.germanium.isStrategic && Mineral.tantalum.isStrategic && !Mineral.copper.isStrategic)
        #expect(Set(Mineral.allCases.map(\.bit)).count == Mineral.allCases.count)
    }
}
