import ArgumentParser
import AssayDomain
import AssayReports
import AssayStore
import Foundation

/// `assay timeline`: the negotiation on the record, filtered.
struct Timeline: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The negotiation on the record, oldest first: proposals, letters, visits, meetings, calls, statements, lobbying contacts and joint bodies' decisions, with their sources.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Only events about this agreement.") var agreement: String?
    @Option(help: "Only events naming this party (as actor, participant or client).") var party: String?
    @Option(help: "Only these kinds (comma-separated: \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))).") var kind: String?
    @Option(help: "From this day (YYYY-MM-DD).") var from: String?
    @Option(help: "Before this day (YYYY-MM-DD).") var until: String?

    static func day(_ text: String?, _ field: String) throws -> Day? {
        guard let text else { return nil }
        do { return try Day(iso: text, field: field) } catch { throw InputFailure(message: error.description) }
    }

    func run() async throws {
        var f = TimelineFilter(agreement: agreement, party: party)
        for k in (kind ?? "").split(separator: ",") {
            guard let e = EventKind(rawValue: String(k)) else {
                throw InputFailure(message: "--kind: \"\(k)\" is not a kind of event; use \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            f.kinds.insert(e)
        }
        f.from = try Self.day(from, "--from")
        f.until = try Self.day(until, "--until")
        let events = try await Context.store(options).timeline(f)
        if options.json {
            Context.printJSON(DealJSON.timeline(events))
            return
        }
        for e in events {
            var line = "\(e.dateText)  \(e.kind.rawValue)  \(e.title)\n    \(e.actors.joined(separator: ", "))"
            if !e.participants.isEmpty { line += " → \(e.participants.joined(separator: ", "))" }
            if let c = e.onBehalfOf { line += " (on behalf of \(c))" }
            if !e.agreements.isEmpty { line += "\n    agreements: \(e.agreements.joined(separator: ", "))" }
            if !e.changes.isEmpty { line += "\n    changes: \(e.changes.joined(separator: ", "))" }
            line += e.provenance.synthetic ? "\n    [synthetic]" : "\n    sources: \(e.provenance.sources.joined(separator: " "))"
            print(line)
        }
        if events.isEmpty { print("no event matches") }
    }
}
