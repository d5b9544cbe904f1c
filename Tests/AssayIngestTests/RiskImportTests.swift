import AssayDomain
import Foundation
import Testing
@testable import AssayIngest

@Suite("IPIS and ACLED imports: counts, line ends, and bad rows named by row and column")
struct RiskImportTests {
    static let sample: String = String(decoding: try! ReferenceData.bytes("ipis_mine_sites_sample.csv"), as: UTF8.self)

    @Test func theIPISSampleCountsAsIPISDoes() throws {
        let (commands, s) = try IPISImport.read(text: Self.sample, file: "ipis.csv", siteForPcode: { _ in nil }, visitRecorded: { _ in false })
        // Counted independently (Python's csv module) when this test was written: 1327 visits of 682 sites,
        // 132 whose latest visit names a non-state armed group.
        #expect(s.visits == 1327 && s.sites == 682 && s.sitesNonstateArmedLatest == 132)
        #expect(s.visitsByProvince["Sud-Kivu"] == 449 && s.sitesByProvince["Nord-Kivu"] == 163)
        #expect(s.visitsByProvince.values.reduce(0, +) == 1327 && s.sitesByProvince.values.reduce(0, +) == 682)
        #expect(commands.filter { if case .registerSite = $0.command { true } else { false } }.count == 682)
        #expect(commands.filter { if case .recordSiteVisit = $0.command { true } else { false } }.count == 1327)
        // CRLF and LF read the same.
        let lf = Self.sample.replacingOccurrences(of: "\r\n", with: "\n")
        let crlf = lf.replacingOccurrences(of: "\n", with: "\r\n")
        let a = try IPISImport.read(text: lf, file: "a.csv", siteForPcode: { _ in nil }, visitRecorded: { _ in false })
        let b = try IPISImport.read(text: crlf, file: "b.csv", siteForPcode: { _ in nil }, visitRecorded: { _ in false })
        #expect(a.summary.json == b.summary.json && a.commands.map(\.command) == b.commands.map(\.command))
        // Known sites are kept, visits already recorded skipped.
        let again = try IPISImport.read(text: Self.sample, file: "ipis.csv", siteForPcode: { "site-" + $0 }, visitRecorded: { $0 == "ipis-visit-490" })
        #expect(again.summary.newSites == 0 && again.summary.alreadyRecorded == 1 && again.commands.count == 1326)
        // Upsert: an IPIS-made site whose latest visit says another name is updated; curated sites are not.
        let stale = Site(id: "ipis-codmine00309", name: "old name", kind: .artisanalSite, latitude: Decimal(string: "-1.584475")!,
                         longitude: Decimal(string: "28.893558")!, minerals: MineralSet([.tantalum, .tin]))
        let upsert = try IPISImport.read(text: Self.sample, file: "ipis.csv", siteForPcode: { $0 == "codmine00309" ? "ipis-codmine00309" : ($0 == "codmine00318" ? "rubaya" : nil) },
                                         visitRecorded: { _ in true }, registeredSite: { $0 == "ipis-codmine00309" ? stale : nil })
        let updates = upsert.commands.compactMap { c -> SiteUpdate? in if case .updateSite(let u) = c.command { u } else { nil } }
        #expect(updates.count == 1 && updates[0].site == "ipis-codmine00309" && updates[0].name == "D3 Bibatama" && updates[0].latitude == nil)
        #expect(upsert.summary.updatedSites == 1)
    }

    @Test func badIPISRowsAreNamedAndNothingIsImported() throws {
        var lines = Self.sample.replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let header = lines[0].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        func setField(_ line: Int, _ column: String, _ value: String) {
            var f = lines[line].split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if f.count == header.count, let i = header.firstIndex(of: column) { f[i] = value; lines[line] = f.joined(separator: ",") }
        }
        // Pick rows with no quoted commas so fields line up.
        let plain = (1..<lines.count).filter { !lines[$0].contains("\"") && lines[$0].split(separator: ",", omittingEmptySubsequences: false).count == header.count }
        setField(plain[0], "visit_date", "not-a-date")
        setField(plain[1], "latitude", "95")
        setField(plain[2], "taxation_armed_group1", "maybe")
        #expect {
            _ = try IPISImport.read(text: lines.joined(separator: "\n"), file: "bad.csv", siteForPcode: { _ in nil }, visitRecorded: { _ in false })
        } throws: { e in
            let d = (e as? ImportErrors)?.description ?? ""
            return d.contains("bad.csv:\(plain[0] + 1): visit_date:") && d.contains("bad.csv:\(plain[1] + 1): latitude:")
                && d.contains("bad.csv:\(plain[2] + 1): taxation_armed_group1:")
        }
    }

    static let acled = """
    event_id_cnty,event_date,year,event_type,sub_event_type,actor1,actor2,admin1,location,latitude,longitude,geo_precision,source,notes,fatalities
    DRC1,2025-01-27,2025,Battles,Non-state actor overtakes territory,M23: March 23 Movement,Military Forces of the Democratic Republic of Congo (2019-),Nord-Kivu,Goma,-1.6741,29.2285,1,Reuters,"Rebels entered Goma, the provincial capital",12
    DRC2,05 April 2025,2025,Battles,Government regains territory,Military Forces of the Democratic Republic of Congo (2019-),M23: March 23 Movement,Nord-Kivu,Walikale,-1.4100,28.0461,2,Radio Okapi,,0
    DRC3,2025-03-01,2025,Violence against civilians,Attack,M23: March 23 Movement,Civilians (Democratic Republic of Congo),Nord-Kivu,Rubaya,-1.5782,28.8889,1,Local source,,3
    DRC4,2025-03-02,2025,Protests,Peaceful protest,Protesters (Democratic Republic of Congo),,Kinshasa,Kinshasa,-4.3217,15.3126,1,AFP,,0
    """

    @Test func acledEventsProposeControlChangesAndBadRowsAreNamed() throws {
        let (commands, s) = try ACLEDImport.read(text: Self.acled, file: "acled.csv", recorded: { _ in false })
        #expect(commands.count == 4 && s.proposals == 2 && s.violent == 3 && s.byAdmin1["Nord-Kivu"] == 3)
        guard case .recordConflictEvent(let e) = commands[1].command else { Issue.record("not an event"); return }
        #expect(e.date == (try Day(iso: "2025-04-05")) && e.proposedControlChange == .state)
        guard case .recordConflictEvent(let goma) = commands[0].command else { return }
        #expect(goma.proposedControlChange == .nonState && goma.notes == "Rebels entered Goma, the provincial capital" && goma.fatalities == 12)
        let bad = Self.acled.replacingOccurrences(of: "DRC3,2025-03-01", with: "DRC3,someday").replacingOccurrences(of: ",-4.3217,", with: ",-400,")
        #expect {
            _ = try ACLEDImport.read(text: bad, file: "acled.csv", recorded: { _ in false })
        } throws: { e in
            let d = (e as? ImportErrors)?.description ?? ""
            return d.contains("acled.csv:4: event_date:") && d.contains("acled.csv:5: latitude:")
        }
        #expect(throws: ImportError.self) { try ACLEDImport.read(text: "event_id_cnty,event_date\nX,2025-01-01\n", file: "short.csv", recorded: { _ in false }) }
    }
}
