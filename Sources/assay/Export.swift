import ArgumentParser
import AssayDomain
import AssayReports
import AssayStore
import Foundation

/// `assay export FORMAT -o FILE`: open data in the field's formats, at one signed checkpoint, written beside
/// it as `FILE.checkpoint`.
struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export open data at one signed checkpoint: ocds (agreements, obligations), bods (ownership), geojson (sites, titles, grants), eiti (payments), ndjson (every journal entry).",
        discussion: "The file is written with the signed checkpoint it was taken at beside it (FILE.checkpoint). What the role may not see is left out, as on the API (default: the public's view).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "ocds, bods, geojson, eiti or ndjson.") var format: String
    @Option(name: .shortAndLong, help: "The file to write (default: assay-<size>.<format's extension> in the current directory).") var output: String?
    @Option(help: "Whose view: public (default), auditor or registrar.") var role: String = "public"

    func validate() throws {
        guard OpenData.formats.contains(format) else { throw ValidationError("FORMAT: expected one of \(OpenData.formats.joined(separator: ", ")), found \"\(format)\"") }
        guard ["public", "auditor", "registrar"].contains(role) else { throw ValidationError("--role: expected public, auditor or registrar") }
    }

    func run() async throws {
        let store = try await Context.store(options)
        let export: OpenData.Export
        do { export = try await OpenData.export(format, store: store, role: Role(rawValue: role) ?? .public, publisher: store.origin) } catch let e as OpenData.ExportError {
            throw InputFailure(message: e.message)
        }
        let path = output ?? "assay-\(export.taken.size).\(export.fileExtension)"
        for (p, bytes) in [(path, export.bytes), (path + ".checkpoint", Array(export.taken.note.utf8))] {
            guard FileManager.default.createFile(atPath: p, contents: Data(bytes)) else { throw InputFailure(message: "\(p): cannot write the file") }
        }
        print("wrote \(format) (\(export.bytes.count) bytes) to \(path), taken at checkpoint size \(export.taken.size), root \(export.taken.root) (signed note in \(path).checkpoint)")
    }
}
