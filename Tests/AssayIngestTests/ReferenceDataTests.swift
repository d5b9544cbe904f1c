import AssayDomain
import Foundation
import Testing
@testable import AssayIngest

@Suite("Every reference file the project ships reads, and the demo set builds from them")
struct ReferenceDataTests {
    static let geography: Geography = {
        do { return try ReferenceData.geography() } catch { preconditionFailure("\(error)") }
    }()

    @Test func provincesAreTheTwentySixWithTheirISOCodes() throws {
        let g = Self.geography
        #expect(g.provinces.count == 26)
        let iso = try ReferenceData.table("drc_provinces_iso3166_2.csv")
        #expect(Set(iso.rows.map { $0["iso_3166_2"] }) == Set(g.provinces.map(\.code)))
        // Provinces tile the country: no cell belongs to two of them.
        let total = g.provinces.reduce(0) { $0 + $1.cells.count }
        #expect(total == g.countryCells.count)
        // Known points fall in their provinces.
        #expect(g.province(latitude: -4.32, longitude: 15.31)?.code == "CD-KN")   // Kinshasa
        #expect(g.province(latitude: -1.68, longitude: 29.22)?.code == "CD-NK")   // Goma
        #expect(g.province(latitude: -2.50, longitude: 28.86)?.code == "CD-SK")   // Bukavu
        #expect(g.province(latitude: 0, longitude: 0) == nil)
        let kinshasa = try #require(g.province(code: "CD-KN"))
        #expect(abs(kinshasa.cells.hectares / 100 - 9_965) / 9_965 < 0.1)  // about 9,965 km² officially; OSM boundaries differ
    }

    @Test func theCountryOutlineAgreesWithTheProvinces() throws {
        let outline = try GeoJSON.features(ReferenceData.bytes("drc_country_outline.geojson"))
        #expect(outline.count == 1)
        let cells = Rasterizer.cells(of: outline[0].polygons)
        let diff = abs(cells.count - Self.geography.countryCells.count)
        #expect(Double(diff) / Double(cells.count) < 0.001)
    }

    @Test func majorMinesSitInTheProvincesTheirRowsName() throws {
        let mines = try ReferenceData.table("drc_major_mines.csv")
        #expect(mines.rows.count == 8)
        for row in mines.rows {
            let lat = try #require(Double(row["latitude"])), lon = try #require(Double(row["longitude"]))
            #expect(Self.geography.province(latitude: lat, longitude: lon)?.code == row["province_iso_3166_2"], "\(row["mine_id"])")
            for m in row["minerals"].split(separator: ";") { #expect(Mineral.named(String(m)) != nil, "\(m)") }
        }
    }

    @Test func agreementsRoyaltiesFiscalTermsAndTimelineParse() throws {
        let agreements = try ReferenceData.table("drc_agreements.csv")
        #expect(agreements.rows.count == 25)
        for row in agreements.rows {
            #expect(AgreementKind(rawValue: row["kind"]) != nil, "\(row["id"])")
            #expect(AgreementStatus(rawValue: row["status"]) != nil, "\(row["id"])")
            for m in row["minerals"].split(separator: ";") { #expect(Mineral.named(String(m)) != nil, "\(m)") }
        }
        let royalties = try ReferenceData.table("drc_mining_code_2018_royalty_rates.csv")
        #expect(royalties.rows.count == 7)
        #expect(royalties.rows.first { $0["category"] == "strategic_substances" }?["rate_pct_law_18_001"] == "10.0")
        #expect(try ReferenceData.table("drc_mining_fiscal_terms.csv").rows.count == 11)
        let timeline = try ReferenceData.table("drc_conflict_timeline.csv")
        #expect(timeline.rows.count == 24)
        #expect(timeline.rows.allSatisfy { (try? Day(iso: $0["date_from"])) != nil })
    }

    @Test func ipisSampleHasItsVisitsAndSites() throws {
        let table = try ReferenceData.table("ipis_mine_sites_sample.csv")
        #expect(table.header.count == 85)
        #expect(table.rows.count == 1327)
        let sites = try IPISSites.latestVisits(table: table)
        #expect(sites.count == 682)
        let bisie = try #require(sites.first { $0.pcode == "codmine00396" })
        #expect(bisie.minerals.contains(.tin))
        // Every site's point is inside the DRC's provinces.
        let outside = sites.filter { s in
            guard let lat = Double(s.latitude), let lon = Double(s.longitude) else { return true }
            return Self.geography.province(latitude: lat, longitude: lon) == nil
        }
        #expect(outside.isEmpty, "\(outside.map(\.pcode))")
    }

    @Test func theDemoSetBuildsAndLabelsWhatIsSynthetic() throws {
        let commands = try DemoSet.commands()
        var agreements = 0, syntheticTitles = 0, sourcedSites = 0, syntheticSites = 0, sites = 0, events = 0
        for c in commands {
            switch c {
            case .registerAgreement(let a): agreements += 1; #expect(!a.provenance.sources.isEmpty || a.provenance.synthetic, "\(a.id)")
            case .registerReserve(let r): #expect(!r.provenance.sources.isEmpty, "\(r.id)")
            case .offerAsset(let o): #expect(o.provenance.synthetic, "\(o.id)")
            case .registerConcession(let t): if t.provenance.synthetic { syntheticTitles += 1 }
            case .registerSite(let s):
                sites += 1
                if !s.provenance.sources.isEmpty { sourcedSites += 1 }
                if s.provenance.synthetic { syntheticSites += 1 }
            case .custodyEvent(let e):
                events += 1
                #expect(e.event.note == "synthetic demo lot", "\(e.event.id)")
            case .recordDelivery(let d): #expect(d.provenance.synthetic)
            case .recordOwnership(let o): #expect(!o.provenance.sources.isEmpty, "\(o.id)")
            default: break
            }
        }
        #expect(agreements == 26)  // the 25 of the reference data and one synthetic, labelled
        #expect(syntheticTitles == 8)  // including Bisie's, added for the custody story
        #expect(sourcedSites == 8 + 680 && syntheticSites == 3 && sites == sourcedSites + syntheticSites)
        #expect(events == 24)
    }

    @Test func creditsAndSourcesShipWithTheData() throws {
        let sources = String(decoding: try ReferenceData.bytes("SOURCES.md"), as: UTF8.self)
        #expect(sources.contains("ODC-BY"))
        #expect(sources.contains("ODbL"))
        #expect(ReferenceData.credits.contains { $0.contains("IPIS open data") })
    }
}
