import ArgumentParser
import AssayDomain
import AssayIngest
import AssayStore
import Foundation

/// `assay import FILE`: NDJSON commands, CSV sites or titles, GeoJSON areas; all or nothing.
struct Import: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import commands from NDJSON, sites, titles or prices from CSV, areas from GeoJSON, IPIS site visits or ACLED events (all lines or none).",
        discussion: """
        Every bad line is reported as FILE:LINE: field: message, and nothing is written unless every line is valid.
        `assay import ipis FILE.csv` reads IPIS artisanal-mining-site visits (sites upserted by pcode, every visit kept);
        `assay import acled FILE.csv` reads conflict events in ACLED's export format.
        """)
    @OptionGroup var options: GlobalOptions
    @Argument(help: "[ipis|acled] FILE: the file to import (.ndjson, .jsonl, .csv or .geojson), or an IPIS or ACLED CSV after its format.")
    var arguments: [String]
    @Option(help: "Who the journal records as author.") var author: String = "import"

    var file: String { arguments.last ?? "" }

    func validate() throws {
        guard arguments.count == 1 || (arguments.count == 2 && ["ipis", "acled"].contains(arguments[0])) else {
            throw ValidationError("give one file, or `ipis FILE` or `acled FILE`")
        }
    }

    func run() async throws {
        if arguments.count == 2 { return try await importFormat(arguments[0]) }
        if ["ndjson", "jsonl", "json"].contains((file as NSString).pathExtension.lowercased()) { return try await importStream() }
        guard let data = FileManager.default.contents(atPath: file) else { throw InputFailure(message: "\(file): cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { throw InputFailure(message: "\(file): not UTF-8 text") }
        let name = (file as NSString).lastPathComponent
        let located: [LocatedCommand]
        do { located = try CommandImporter.read(path: file, text: text) } catch let e as ImportErrors {
            throw InputFailure(message: e.description + "\n\(name): \(e.errors.count) bad line(s); nothing was imported")
        } catch let e as ImportError {
            throw InputFailure(message: e.description + "\n\(name): nothing was imported")
        }
        let store = try await Context.store(options, create: true)
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

    /// NDJSON commands, read and written a chunk at a time in one transaction (all or nothing), so memory
    /// holds one chunk whatever the file's size.
    func importStream() async throws {
        let name = (file as NSString).lastPathComponent
        let reader: NDJSONCommandReader
        do { reader = try NDJSONCommandReader(path: file, file: name) } catch let e as ImportError {
            throw InputFailure(message: "\(file): \(e.message)")
        }
        let store = try await Context.store(options, create: true)
        let bar = ProgressBar(total: NDJSONCommandReader.lineCount(path: file), label: "importing")
        let written: (count: Int64, first: Int64, last: Int64)
        do {
            written = try await store.appendStream(author: "\(author):\(name)", progress: { bar.update($0) }) { try reader.next() }
        } catch let e as ImportErrors {
            bar.finish()
            throw InputFailure(message: e.description + "\n\(name): \(e.errors.count) bad line(s); nothing was imported")
        } catch let rejected as BatchRejected {
            bar.finish()
            let message = rejected.errors.map { e in
                ImportError(file: name, line: reader.line(ofCommand: e.index), field: e.error.field, message: e.error.message).description
            }.joined(separator: "\n")
            throw InputFailure(message: message + "\n\(name): \(rejected.errors.count) command(s) refused; nothing was imported")
        }
        bar.finish()
        if options.json {
            Context.printJSON(.object(["file": .string(name), "imported": .int(written.count), "first": .int(written.first), "last": .int(written.last)]))
        } else {
            print("\(name): imported \(written.count) command(s) as journal entries \(written.first)–\(written.last)")
        }
    }

    /// IPIS visits or ACLED events: parsed whole (every bad row named), then appended as one batch.
    func importFormat(_ format: String) async throws {
        guard let data = FileManager.default.contents(atPath: file) else { throw InputFailure(message: "\(file): cannot read the file") }
        guard let text = String(data: data, encoding: .utf8) else { throw InputFailure(message: "\(file): not UTF-8 text") }
        let name = (file as NSString).lastPathComponent
        let store = try await Context.store(options)
        let located: [LocatedCommand]
        let summary: JSONValue
        do {
            if format == "ipis" {
                let sites = try await store.sitesByExternalID()
                let visits = try await store.recordedVisitIDs()
                let registered = Dictionary(try await store.registry().sites.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
                let r = try IPISImport.read(text: text, file: name, siteForPcode: { sites[$0.lowercased()] }, visitRecorded: { visits.contains($0) },
                                            registeredSite: { registered[$0] })
                (located, summary) = (r.commands, r.summary.json)
            } else {
                let seen = try await store.recordedConflictIDs()
                let r = try ACLEDImport.read(text: text, file: name, recorded: { seen.contains($0) })
                (located, summary) = (r.commands, r.summary.json)
            }
        } catch let e as ImportErrors {
            throw InputFailure(message: e.description + "\n\(name): \(e.errors.count) bad row(s); nothing was imported")
        } catch let e as ImportError {
            throw InputFailure(message: e.description + "\n\(name): nothing was imported")
        }
        let bar = ProgressBar(total: located.count, label: "importing")
        do {
            if !located.isEmpty { _ = try await store.append(located.map(\.command), author: "\(author):\(name)", progress: { bar.update($0) }) }
        } catch let rejected as BatchRejected {
            bar.finish()
            throw InputFailure(message: Context.describe(rejected, file: name, lines: located.map(\.line))
                               + "\n\(name): \(rejected.errors.count) row(s) refused; nothing was imported")
        }
        bar.finish()
        if options.json { Context.printJSON(summary); return }
        print("\(name): \(located.count) command(s) appended")
        if case .object(let m) = summary {
            for k in m.keys.sorted() {
                let v = m[k]!
                print("  \(k): \(CanonicalJSON.string(v))")
            }
        }
    }
}
