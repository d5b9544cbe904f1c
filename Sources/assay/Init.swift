import ArgumentParser
import AssayStore
import Foundation

/// `assay init`: creates an empty database.
struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create an empty registry database.")
    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let existed = FileManager.default.fileExists(atPath: options.db)
        let store = try await Context.store(options, create: true)
        let size = try await store.journalSize()
        if options.json {
            Context.printJSON(.object(["db": .string(options.db), "created": .bool(!existed), "entries": .int(size),
                                       "origin": .string(store.origin), "vkey": .string(store.verifierKey)]))
        } else {
            print(existed ? "\(options.db): already a registry with \(size) entries" : "\(options.db): created an empty registry")
            print("log \(store.origin); verifier key (public, share it): \(store.verifierKey)")
            print("signing key: \(options.keyPath) (mode 0600; keep it secret and backed up)")
        }
    }
}
