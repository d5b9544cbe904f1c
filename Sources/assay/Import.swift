import ArgumentParser
import AssayDomain
import AssayIngest
import AssayStore
import Foundation

/// `assay import FILE`: NDJSON commands, CSV sites or titles, GeoJSON areas; all or nothing.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import commands from NDJSON, sites or titles from CSV, or areas from GeoJSON (all lines or none).",
        discussion: "Every bad line is reported as FILE:LINE: field: message, and nothing is written unless every line is valid.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The file to import (.ndjson, .jsonl, .csv or .geojson).") var file: String
    @Option(help: "Who the journal records as author.") var author: String = "import"

    func run() async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw InputFailure(message: "\(file): cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { throw InputFailure(message: "\(file): not UTF-8 text") }
        let name = (file as NSString).lastPathComponent
        let located: [LocatedCommand]
        do { located = try CommandImporter.read(path: file, text: text) } catch let e as ImportErrors {
            throw InputFailure(message: e.description + "\n\(name): \(e.errors.count) bad line(s); nothing was imported")
        } catch let e as ImportError {
            throw InputFailure(message: e.description + "\n\(name): nothing was imported")
        }
        let store = try Context.store(options, create: true)
        let bar = ProgressBar(total: located.count, label: "importing")
        let receipts: [AppendReceipt]
        do {
            receipts = try await store.append(located.map(\.command), author: "\(author):\(name)", progress: { bar.update($0) })
        } catch let rejected as BatchRejected {
            bar.finish()
            throw InputFailure(message: Context.describe(rejected, file: name, lines: located.map(\.line))
                               + "\n\(name): \(rejected.errors.count) command(s) refused; nothing was imported")
        }
        bar.finish()
        let first = receipts.first?.sequence ?? 0, last = receipts.last?.sequence ?? 0
        if options.json {
            Context.printJSON(.object(["file": .string(name), "imported": .int(Int64(receipts.count)), "first": .int(first), "last": .int(last)]))
        } else {
            print("\(name): imported \(receipts.count) command(s) as journal entries \(first)–\(last)")
        }
    }
}
