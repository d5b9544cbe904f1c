import Foundation
import Testing

@Suite("Reserves on the command line", .serialized)
struct ReserveCLITests {
    let cli = CLITests()

    @Test func showPrintsWindowsOnADayAndHidesWhatThePublicMayNotSee() throws {
        #expect(try cli.run(["demo", "--db", "r.sqlite"]).status == 0)
        let full = try cli.run(["reserve", "show", "spa-reserve-initial-2026-02", "--db", "r.sqlite", "--as-of", "2026-06-01"])
        #expect(full.status == 0, "\(full.err)")
        #expect(full.out.contains("open until 2026-08-09 (renewed 1×)") && full.out.contains("refused 2026-04-20") && full.out.contains("a-kisenge"))
        let pub = try cli.json(try cli.run(["reserve", "show", "spa-reserve-initial-2026-02", "--db", "r.sqlite", "--public", "--json", "--as-of", "2026-08-10"]).out)
        let assets = pub["assets"] as? [[String: Any]] ?? []
        #expect(assets.map { $0["id"] as? String } == ["a-mutoshi", "a-cominiere"] && pub["assetCount"] as? Int == 3)
        #expect((assets.first?["windows"] as? [[String: Any]])?.first?["state"] as? String == "lapsed")
        // A grant recorded inside an open window on that ground is refused on ingest, naming the offer.
        let lines = try cli.write("in.ndjson", """
        {"type":"offer-asset","id":"cli-offer","reserve":"spa-reserve-shortlist-2026-01","asset":"cominiere-lithium","beneficiary":"demo-us-investor","opens":"2026-11-01"}
        {"type":"record-grant","id":"cli-grant","agreement":"us-drc-spa-2025","beneficiary":"zijin","rights":["explore"],"exclusivity":"non-exclusive","minerals":["lithium"],"area":{"provinces":["CD-TA"]}}
        """)
        let ingest = try cli.run(["ingest", lines, "--db", "r.sqlite", "--json"])
        #expect(ingest.status == 1)
        let results = try cli.json(ingest.out)["results"] as? [[String: Any]] ?? []
        #expect((results.last?["message"] as? String)?.contains("under offer cli-offer") == true, "\(ingest.out)")
        #expect(try cli.run(["verify", "--db", "r.sqlite"]).status == 0)
        #expect(try cli.run(["reserve", "show", "nowhere", "--db", "r.sqlite"]).status == 1)
    }
}
