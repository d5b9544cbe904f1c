import Foundation
import Testing

/// Conflict and risk on the command line: the IPIS and ACLED imports, who held the ground, the reports.
@Suite("Conflict and risk on the command line", .serialized)
struct RiskCLITests {
    let cli = CLITests()

    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/AssayIngest/Reference").path

    @Test func importsAndReports() throws {
        #expect(try cli.run(["init", "--db", "r.sqlite"]).status == 0)
        let ipis = Self.reference + "/ipis_mine_sites_sample.csv"
        let first = try cli.run(["import", "ipis", ipis, "--db", "r.sqlite", "--json"])
        #expect(first.status == 0, "\(first.err)")
        let counts = try cli.json(first.out)
        for key in ["visits", "sites", "visits_by_province", "sites_by_province", "sites_nonstate_armed_latest"] { #expect(counts[key] != nil, "\(key)") }
        #expect(counts["visits"] as? Int == 1327 && counts["sites"] as? Int == 682 && counts["sites_nonstate_armed_latest"] as? Int == 132)
        // Again: sites upserted by pcode, visits already recorded; nothing new written.
        let again = try cli.json(try cli.run(["import", "ipis", ipis, "--db", "r.sqlite", "--json"]).out)
        #expect(again["new_sites"] as? Int == 0 && again["updated_sites"] as? Int == 0 && again["already_recorded"] as? Int == 1327)
        // A malformed file: named row and column, nothing half-written.
        let size = try cli.run(["log", "checkpoint", "--db", "r.sqlite"]).out
        let bad = try cli.write("bad-ipis.csv", "vid,pcode,name,visit_date,latitude,longitude,province\n1,codx1,X,2020-01-01,-1.5,28.9,Nord-Kivu\n2,codx2,Y,2020-13-01,-1.5,28.9,Nord-Kivu\n")
        let refused = try cli.run(["import", "ipis", bad, "--db", "r.sqlite"])
        #expect(refused.status == 1 && refused.err.contains("bad-ipis.csv:3: visit_date:") && refused.err.contains("nothing was imported"))
        #expect(try cli.run(["log", "checkpoint", "--db", "r.sqlite"]).out == size)
        // ACLED-format events, with a proposed control change for review.
        let acled = try cli.write("acled.csv", """
        event_id_cnty,event_date,event_type,sub_event_type,actor1,actor2,admin1,location,latitude,longitude,geo_precision,fatalities,source,notes
        T1,2025-01-27,Battles,Non-state actor overtakes territory,M23,FARDC,Nord-Kivu,Goma,-1.6741,29.2285,1,12,Reuters,
        T2,2025-02-01,Battles,Armed clash,M23,FARDC,Nord-Kivu,Rubaya,-1.5782,28.8889,1,2,Reuters,
        """)
        let a = try cli.run(["import", "acled", acled, "--db", "r.sqlite", "--json"])
        #expect(a.status == 0, "\(a.err)")
        #expect(try cli.json(a.out)["proposed_control_changes"] as? Int == 1)
        let proposals = try cli.run(["control", "--proposals", "--db", "r.sqlite", "--json"]).out
        #expect(proposals.contains("\"event\":\"T1\"") && proposals.contains("\"kind\":\"non-state\""))
    }

    @Test func theDemoTellsThe2024To2025Story() throws {
        #expect(try cli.run(["demo", "--db", "s.sqlite"]).status == 0)
        // The demo already holds every sample visit, and its IPIS sites match their latest visits.
        let reimport = try cli.json(try cli.run(["import", "ipis", Self.reference + "/ipis_mine_sites_sample.csv", "--db", "s.sqlite", "--json"]).out)
        #expect(reimport["updated_sites"] as? Int == 0 && reimport["new_sites"] as? Int == 0 && reimport["already_recorded"] as? Int == 1327)
        // Rubaya under AFC/M23 from 30 April 2024.
        let before = try cli.json(try cli.run(["control", "--site", "rubaya", "--date", "2024-04-29", "--db", "s.sqlite", "--json"]).out)
        #expect((before["holders"] as? [Any])?.isEmpty == true)
        let after = try cli.json(try cli.run(["control", "--site", "rubaya", "--date", "2024-05-01", "--db", "s.sqlite", "--json"]).out)
        #expect(((after["holders"] as? [[String: Any]])?.first?["controller"] as? String) == "afc-m23")
        // Walikale held from 19 March to 4 April 2025 only.
        let walikale = try cli.run(["control", "--latitude", "-1.41", "--longitude", "28.0461", "--date", "2025-03-25", "--db", "s.sqlite"]).out
        #expect(walikale.contains("afc-m23"))
        #expect(try cli.run(["control", "--latitude", "-1.41", "--longitude", "28.0461", "--date", "2025-04-10", "--db", "s.sqlite"]).out.contains("no assessment"))
        // The flags on lots from those places in those windows.
        let risk = try cli.json(try cli.run(["report", "risk", "--db", "s.sqlite", "--json"]).out)
        let lots = (risk["lots"] as? [[String: Any]] ?? []).reduce(into: [String: [String]]()) { out, l in
            out[l["lot"] as? String ?? ""] = (l["flags"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
        }
        #expect(lots["RUB-2024-0001"] == ["oecd.origin-nonstate-control"])
        #expect(lots["BIS-2025-0003"] == ["oecd.route-nonstate-control", "oecd.route-nonstate-control"])
        #expect(lots["BIS-2025-0001"] == nil)   // through Goma before 27 January 2025: clean
        // Tin halted in March and April 2025 (Bisie), coltan held from April 2024 (Rubaya).
        let supply = try cli.json(try cli.run(["report", "supply", "--from", "2024-03-01", "--until", "2025-06-01", "--db", "s.sqlite", "--json"]).out)
        let tin = supply["tin"] as? [[String: Any]] ?? [], ta = supply["tantalum"] as? [[String: Any]] ?? []
        #expect(tin.filter { $0["haltedTonnes"] as? String != "0" }.compactMap { $0["month"] as? String } == ["2025-03", "2025-04"])
        #expect(ta.first { $0["month"] as? String == "2024-03" }?["heldShare"] as? String == "0.0000")
        #expect(ta.first { $0["month"] as? String == "2024-05" }?["heldShare"] as? String != "0.0000")
        let owners = try cli.run(["report", "owners", "--from", "2025-01-01", "--until", "2025-02-01", "--db", "s.sqlite", "--json"])
        #expect(owners.status == 0 && owners.out.contains("countryHHI"))
        let site = try cli.run(["report", "risk", "--site", "rubaya", "--as-of", "2024-06-05", "--db", "s.sqlite"]).out
        #expect(site.contains("oecd.origin-nonstate-control") && site.contains("control of its ground"))
        let agreement = try cli.run(["report", "risk", "--agreement", "us-drc-spa-2025", "--db", "s.sqlite", "--as-of", "2025-12-10"])
        #expect(agreement.status == 0, "\(agreement.err)")
    }
}
