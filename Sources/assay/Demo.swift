import ArgumentParser
import AssayDomain
import AssayIngest
import AssayStore
import Foundation

/// `assay demo`: loads the demo set into the database and prints a summary.
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the demo set (real reference data with its sources, synthetic parts labelled) and print a summary.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let store = try await Context.store(options, create: true)
        let commands = try DemoSet.commands()
        let size = try await store.journalSize()
        var loadedBefore = false
        if size > 0 {
            // Running the demo again on its own database just shows it again; anything else is refused.
            let first = try await store.entries(1...1).first.flatMap { try? JournalEntry(bytes: $0.bytes) }
            guard size == Int64(commands.count), first?.author == "demo" else {
                throw InputFailure(message: "\(options.db): the registry already has other entries; the demo loads into an empty one (use another --db)")
            }
            loadedBefore = true
        } else {
            do {
                _ = try await store.append(commands, author: "demo")
            } catch let rejected as BatchRejected {
                throw InputFailure(message: "the demo set was refused (a bug):\n\(rejected)")
            }
        }
        let r = try await store.registry()
        let synthetic = r.concessions.filter(\.provenance.synthetic).count + r.grants.filter(\.provenance.synthetic).count
            + r.obligations.filter(\.provenance.synthetic).count + r.deliveries.count
        let counts: [(String, Int)] = [
            ("provinces", store.geography.provinces.count), ("parties", r.parties.count), ("ownership relations", r.ownerships.count),
            ("sites", r.sites.count), ("concessions", r.concessions.count), ("agreements", r.agreements.count),
            ("grants", r.grants.count), ("obligations", r.obligations.count), ("deliveries", r.deliveries.count),
            ("contested collisions", r.contestedCollisions.count),
        ]
        if options.json {
            var m = Dictionary(uniqueKeysWithValues: counts.map { ($0.0, JSONValue.int(Int64($0.1))) })
            m["entries"] = .int(r.journalSize)
            m["synthetic"] = .int(Int64(synthetic))
            Context.printJSON(.object(m))
            return
        }
        print(loadedBefore ? "The demo set is already in \(options.db): \(r.journalSize) journal entries."
                           : "Loaded the demo set into \(options.db): \(r.journalSize) journal entries.")
        var t = TextTable("what", "count")
        for (k, v) in counts { t.add(k, String(v)) }
        print(t.render())
        print("""

        Synthetic (labelled in the data and every view): the areas of mining titles and grants (the cadastre's
        polygons may not be redistributed, so each title is a block of cells around its mine's published point),
        every delivery, and \(synthetic - r.deliveries.count) title, grant or obligation records with synthetic areas or quantities. Everything else carries its source URLs.
        \(ReferenceData.credits.joined(separator: "\n"))
        Try: assay list agreements · assay show us-drc-spa-2025 · assay report balance · assay report ownership · assay report collisions
        """)
    }
}
