import AssayDomain
import AssayStore
import Foundation
import TransparencyLog

extension OpenData {
    /// One export: its bytes, media type, file extension and the checkpoint it was taken at.
    public struct Export: Sendable {
        public var bytes: [UInt8]
        public var contentType: String
        public var fileExtension: String
        public var taken: Taken
    }

    /// Why an export could not be made.
    public struct ExportError: Error, Sendable, CustomStringConvertible {
        public var field: String
        public var message: String
        public var description: String { message }
    }

    /// Takes an export in `format` (one of ``formats``) of what `role` may see, at the signed checkpoint
    /// covering exactly the state it was read from.
    public static func export(_ format: String, store: RelationalStore, role: Role, publisher: String) async throws -> Export {
        guard formats.contains(format) else {
            throw ExportError(field: "format", message: "no export format \"\(format)\"; use one of \(formats.joined(separator: ", "))")
        }
        let registry = try await store.registry(as: role)
        let taken = try await checkpoint(store, size: registry.journalSize)
        let asOf = RelationalStore.systemClock().day
        switch format {
        case "ocds":
            return Export(bytes: CanonicalJSON.encode(ocds(registry, taken: taken, asOf: asOf, publisher: publisher)),
                          contentType: "application/json", fileExtension: "ocds.json", taken: taken)
        case "bods":
            return Export(bytes: CanonicalJSON.encode(bods(registry, taken: taken)), contentType: "application/json", fileExtension: "bods.json", taken: taken)
        case "geojson":
            let controls = try await store.riskInputs().map.entries
            return Export(bytes: CanonicalJSON.encode(geojson(registry, controls: controls, taken: taken)), contentType: "application/geo+json",
                          fileExtension: "geojson", taken: taken)
        case "eiti":
            return Export(bytes: Array(CustodyReports.eitiCSV(try await CustodyReports.eiti(store)).utf8), contentType: "text/csv; charset=utf-8",
                          fileExtension: "eiti.csv", taken: taken)
        default:
            // Every journal entry up to the checkpoint, one a line: the log's own public bytes.
            var out: [UInt8] = []
            var next: Int64 = 1
            while next <= taken.size {
                let last = min(taken.size, next + 1999)
                for e in try await store.entries(next...last) { out += e.bytes; out.append(0x0A) }
                next = last + 1
            }
            return Export(bytes: out, contentType: "application/x-ndjson", fileExtension: "ndjson", taken: taken)
        }
    }

    /// The signed checkpoint at exactly `size` (on PostgreSQL it is signed just after the commit: waited for).
    static func checkpoint(_ store: RelationalStore, size: Int64) async throws -> Taken {
        for _ in 0..<40 {
            if let note = try await store.checkpoint(size: size), let cp = try? Checkpoint(body: note.text) {
                return Taken(size: size, root: cp.root.hex, note: note.serialized, time: RelationalStore.systemClock().iso)
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ExportError(field: "", message: "no signed checkpoint at size \(size) yet; try again")
    }
}
