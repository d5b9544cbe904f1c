import Foundation
import Testing

@Suite("The negotiation record and linked balances on the command line", .serialized)
struct DealRecordCLITests {
    let cli = CLITests()

    @Test func timelineAndLinkedBalance() throws {
        #expect(try cli.run(["demo", "--db", "t.sqlite"]).status == 0)
        let text = try cli.run(["timeline", "--db", "t.sqlite", "--kind", "lobbying"])
        #expect(text.status == 0 && text.out.contains("(on behalf of pierre-kanda-kalambayi)") && text.out.contains("2025-03  lobbying"), "\(text.out)")
        let json = try cli.json(try cli.run(["timeline", "--db", "t.sqlite", "--agreement", "us-drc-spa-2025", "--json"]).out)
        #expect((json["items"] as? [[String: Any]])?.count == 3)
        #expect(try cli.run(["timeline", "--db", "t.sqlite", "--kind", "gossip"]).status == 1)
        let balance = try cli.run(["report", "balance", "--db", "t.sqlite", "--agreement", "us-drc-spa-2025", "--as-of", "2026-01-01"])
        #expect(balance.out.contains("Linked: drc-rwanda-peace-2025 (paired-with → implements)") && balance.out.contains("rw-troop-withdrawal-2025 (rw → cd, troop-withdrawal, due 2025-09-25): OVERDUE"), "\(balance.out)")
        // A second link between the same two agreements is refused.
        let dup = try cli.write("dup.ndjson", #"{"type":"link-agreements","agreement":"drc-rwanda-peace-2025","linked":"washington-accords-2025","relation":"paired-with"}"# + "\n")
        #expect(try cli.run(["ingest", dup, "--db", "t.sqlite"]).status == 1)
        let ownership = try cli.run(["report", "ownership", "--db", "t.sqlite", "--as-of", "2026-06-01"])
        #expect(ownership.out.contains("of national 170000 t (2023); not registered") && ownership.out.contains("coverage unknown"), "\(ownership.out)")
        let coverage = try cli.json(try cli.run(["report", "coverage", "--db", "t.sqlite", "--json", "--as-of", "2026-06-01"]).out)
        #expect((coverage["minerals"] as? [[String: Any]])?.contains { $0["mineral"] as? String == "cobalt" && $0["notRegistered"] != nil } == true)
        // A second national total for the same mineral and year is refused: a disagreeing source is a claim about it.
        let again = try cli.write("again.ndjson", #"{"type":"record-national-output","mineral":"cobalt","year":2023,"tonnes":"115371","sources":["https://copperbeltkatangamining.com/the-drc-produced-21170-tons-of-cobalt-in-the-1st-quarter-of-2023"]}"# + "\n")
        #expect(try cli.run(["ingest", again, "--db", "t.sqlite"]).status == 1)
        #expect(try cli.run(["verify", "--db", "t.sqlite"]).status == 0)
    }
}
