import ArgumentParser
import AssayStore

/// `assay rebuild`: drops the projections and replays the journal.
struct Rebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Drop the projection tables and replay the whole journal into them.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let store = try await Context.store(options)
        let stats: RebuildStats
        do { stats = try await store.rebuild() } catch let e as StoreCorruption { throw InputFailure(message: e.description) }
        let rate = stats.seconds > 0 ? Double(stats.entries) / stats.seconds : 0
        if options.json {
            Context.printJSON(.object(["entries": .int(stats.entries), "seconds": .string(String(format: "%.3f", stats.seconds))]))
        } else {
            print("replayed \(stats.entries) entries in \(String(format: "%.3f", stats.seconds)) s (\(Int(rate)) entries/s)")
        }
    }
}
