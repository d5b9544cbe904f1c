import AssayDomain
import AssayReports
import AssayStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Anyone can watch: journal entries filtered by the keys they touch (``EntryKeys``), as an Atom feed
/// (`/feeds/entries.atom`) and as JSON (`/api/v1/entries`), newest first, paged with `before`.
/// Public: the entries are the log's own, already public (sealed details are not in them).
enum FeedRoutes {
    static func register(on router: Router<AssayContext>, api: RouterGroup<AssayContext>, store: RelationalStore) {
        router.get("feeds/entries.atom") { request, _ in
            let (keys, query, limit, before) = try filters(request)
            let entries = try await store.entries(matching: keys, before: before, limit: limit)
            let items = entries.compactMap(AtomFeed.Item.init)
            let next = entries.count == limit ? entries.last?.sequence : nil
            let body = AtomFeed.document(origin: store.origin, query: query, items: items, now: RelationalStore.systemClock().iso, next: next)
            var headers = HTTPFields()
            headers[.contentType] = "application/atom+xml; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        // Open data in the field's formats, as the caller's role may see it, at one signed checkpoint.
        api.get("exports/:format") { _, context in
            let format = try context.parameters.require("format")
            let export: OpenData.Export
            do { export = try await OpenData.export(format, store: store, role: context.role, publisher: store.origin) } catch let e as OpenData.ExportError {
                if e.field == "format" { throw Problem.notFound(e.message) }
                throw Problem(.serviceUnavailable, type: "not-yet", title: "Not yet", detail: e.message)
            }
            var headers = HTTPFields()
            headers[.contentType] = export.contentType
            headers[.contentDisposition] = "attachment; filename=\"assay-\(export.taken.size).\(export.fileExtension)\""
            headers[HTTPField.Name("Assay-Checkpoint-Size")!] = String(export.taken.size)
            headers[HTTPField.Name("Assay-Checkpoint-Root")!] = export.taken.root
            headers[HTTPField.Name("Assay-Checkpoint-Note")!] = Data(export.taken.note.utf8).base64EncodedString()
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: export.bytes)))
        }
        // A verifiable lookup: every entry about a lot, title, agreement, party or site, the latest with its
        // inclusion proof, and the index proof that no other exists at this checkpoint.
        api.get("lookup/:kind/:id") { _, context in
            let kind = try context.parameters.require("kind"), id = try context.parameters.require("id")
            guard VerifiableIndex.kinds.contains(kind) else {
                throw Problem.invalid("kind", "look up one of \(VerifiableIndex.kinds.joined(separator: ", ")), not \(kind)")
            }
            guard !id.isEmpty, id.unicodeScalars.count <= 200 else { throw Problem.invalid("id", "an id is 1 to 200 characters") }
            return AssayApplication.json(try await store.lookup(kind: kind, id: id).json)
        }
        api.get("entries") { request, _ in
            let (keys, _, limit, before) = try filters(request)
            let entries = try await store.entries(matching: keys, before: before, limit: limit)
            let items: [JSONValue] = entries.compactMap { stored in
                guard case .object(let entry)? = try? JSONParser.parse(stored.bytes), let command = entry["command"] else { return nil }
                return .object(["entry": .int(stored.sequence), "time": entry["time"] ?? .null, "command": command,
                                "keys": .array(EntryKeys.keys(of: command).map { .string($0) })])
            }
            let next: JSONValue = entries.count == limit ? entries.last.map { .int($0.sequence) } ?? .null : .null
            return AssayApplication.json(.object(["items": .array(items), "next": next]))
        }
    }

    /// The filters of a feed request: one value per key kind (`?party=gecamines&mineral=cobalt`), all of which an
    /// entry must touch; `limit` (1–200, default 50) and `before` (an entry number: older entries only).
    static func filters(_ request: Request) throws -> (keys: [String], query: String, limit: Int, before: Int64?) {
        let q = request.uri.queryParameters
        var keys: [String] = []
        var parts: [String] = []
        for kind in EntryKeys.kinds {
            guard let value = q[Substring(kind)].map(String.init) else { continue }
            guard !value.isEmpty, value.unicodeScalars.count <= 200 else { throw Problem.invalid(kind, "\(kind) must be 1 to 200 characters") }
            keys.append(kind + ":" + (kind == "mineral" ? value.lowercased() : value))
            parts.append(kind + "=" + (value.addingPercentEncoding(withAllowedCharacters: .urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+"))) ?? value))
        }
        for (name, _) in q where !EntryKeys.kinds.contains(String(name)) && name != "limit" && name != "before" {
            throw Problem.invalid(String(name), "unknown filter \(name); filter on \(EntryKeys.kinds.joined(separator: ", ")), with limit and before")
        }
        let limit = try AssayApplication.intParameter(request, "limit", default: 50, range: 1...200)
        var before: Int64?
        if q["before"] != nil { before = Int64(try AssayApplication.intParameter(request, "before", default: 1, range: 1...Int.max)) }
        return (keys, parts.joined(separator: "&"), limit, before)
    }
}
