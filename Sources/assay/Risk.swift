import ArgumentParser
import AssayDomain
import AssayIngest
import AssayReports
import AssayStore
import Foundation

/// `assay control`: who held a place on a day, by the current assessments.
struct Control: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Who held the ground at a point (or a site) on a day, according to which source; and the control changes proposed by imported events.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "A site id (its cell).") var site: String?
    @Option(parsing: .unconditional, help: "Latitude in degrees, south negative (with --longitude).") var latitude: Double?
    @Option(parsing: .unconditional, help: "Longitude in degrees, west negative (with --latitude).") var longitude: Double?
    @Option(help: "The day (YYYY-MM-DD; default today).") var date: String?
    @Flag(help: "List the control changes proposed by imported ACLED events, for review.") var proposals = false

    func run() async throws {
        let store = try await Context.store(options)
        if proposals {
            let list = try await store.controlProposals()
            if options.json { Context.printJSON(.array(list)); return }
            for p in list { print(CanonicalJSON.string(p)) }
            if list.isEmpty { print("no proposed control changes") }
            return
        }
        let day = try Report.day(date)
        let cell: UInt32
        if let site {
            guard let c = try await store.riskInputs().siteCells[site] else { throw InputFailure(message: "--site: no site \"\(site)\"") }
            cell = c
        } else if let latitude, let longitude {
            do { cell = try CellGrid.cell(latitude: latitude, longitude: longitude, field: "--latitude/--longitude") } catch { throw InputFailure(message: error.description) }
        } else {
            throw InputFailure(message: "give --site ID, or --latitude and --longitude")
        }
        let holders = try await store.control(cell: cell, on: day)
        if options.json {
            Context.printJSON(.object(["cell": .int(Int64(cell)), "date": .string(day.iso), "holders": .array(holders.map { e in
                .object(["assessment": .string(e.id), "controller": .string(e.controller), "kind": .string(e.kind.rawValue),
                         "confidence": .string(e.confidence.rawValue), "from": .string(e.period.from?.iso ?? ""),
                         "until": e.period.until.map { .string($0.iso) } ?? .null, "sources": .array(e.sources.map { .string($0) })])
            })]))
            return
        }
        if holders.isEmpty { print("no assessment covers cell \(cell) on \(day.iso)") }
        for e in holders {
            print("\(e.controller) (\(e.kind.rawValue)) held cell \(cell) on \(day.iso): assessment \(e.id), \(e.period.text), \(e.confidence.rawValue) confidence — \(e.sourceText)")
        }
    }
}

/// Month ranges for the risk reports' options.
enum RiskReports {
    static func months(from: String?, until: String?) throws -> (Day, Int) {
        let start = try from.map { try Day(iso: $0, field: "--from") } ?? Day(year: 2024, month: 1, day: 1)!
        let end = try until.map { try Day(iso: $0, field: "--until") } ?? RelationalStore.systemClock().day.firstOfNextMonth
        return (start, Day.monthCount(from: start, until: end))
    }
}
