import ArgumentParser
import AssayStore
import Foundation

/// `assay init`: creates an empty database.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create an empty registry database.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let existed = FileManager.default.fileExists(atPath: options.db)
        let store = try Context.store(options, create: true)
        let size = try await store.journalSize()
        if options.json {
            Context.printJSON(.object(["db": .string(options.db), "created": .bool(!existed), "entries": .int(size)]))
        } else {
            print(existed ? "\(options.db): already a registry with \(size) entries" : "\(options.db): created an empty registry")
        }
    }
}
