import AssayDomain
import AssayStore
import Foundation
import Hummingbird
import Logging
import TransparencyLog

/// Builds the HTTP application: the JSON API under `/api/v1` and the log's C2SP read API under `/log`.
///
/// For example:
/// ```swift
/// let app = AssayApplication.make(store: store, host: "127.0.0.1", port: 8080)
/// try await app.runService()   // graceful on SIGTERM/SIGINT
/// ```
public enum AssayApplication {
    public static func make(store: SQLiteStore, host: String = "127.0.0.1", port: Int = 8080,
                            logger: Logger = Logger(label: "assay")) -> some ApplicationProtocol {
        Application(router: router(store: store), configuration: .init(address: .hostname(host, port: port), serverName: "assay"),
                    logger: logger)
    }

    /// Plural resource names → entity kinds.
    static let resources: [String: EntityKind] = [
        "parties": .party, "ownerships": .ownership, "sites": .site, "concessions": .concession, "agreements": .agreement,
        "grants": .grant, "obligations": .obligation, "deliveries": .delivery,
    ]

    public static func router(store: SQLiteStore) -> Router<BasicRequestContext> {
        let router = Router()
        router.add(middleware: ProblemMiddleware())
        router.get("healthz") { _, _ in "ok" }

        let api = router.group("api/v1")
        api.get(":resource") { request, context in
            let kind = try resource(context)
            let limit = try intParameter(request, "limit", default: 100, range: 1...1000)
            let after = request.uri.queryParameters["after"].map(String.init)
            let items = try await store.list(kind, after: after, limit: limit)
            let next: JSONValue = items.count == limit ? .string(items.last?.id ?? "") : .null
            return json(.object(["items": .array(items.map(\.json)), "next": next]))
        }
        api.get(":resource/:id") { _, context in
            let kind = try resource(context)
            let id = try context.parameters.require("id")
            guard let record = try await store.find(id), record.kind == kind else {
                throw Problem.notFound("no \(kind.rawValue) \"\(id)\"")
            }
            return json(.object(["id": .string(id), "kind": .string(kind.rawValue), "entry": .int(record.sequence), "record": record.json]))
        }

        let log = router.group("log")
        log.get("checkpoint") { _, _ in
            guard let note = store.latestCheckpoint() else { throw Problem.notFound("the log is empty") }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: note.serialized)))
        }
        log.get("tile/**") { _, context in
            let path = context.parameters.getCatchAll().joined(separator: "/")
            let tile: Tile
            do { tile = try Tile(path: path) } catch let e as LogFormatError { throw Problem.invalid("path", e.message) }
            guard let data = try await store.tileData(tile) else { throw Problem.notFound("no tile \(tile.path) at the published size") }
            var headers = HTTPFields()
            headers[.contentType] = "application/octet-stream"
            headers[.cacheControl] = tile.isPartial ? "public, max-age=60" : "public, max-age=31536000, immutable"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        log.get("proof/inclusion") { request, _ in
            let q = request.uri.queryParameters
            var index: Int
            if let id = q["id"].map(String.init) {
                guard let record = try await store.find(id) else { throw Problem.notFound("no entity \"\(id)\"") }
                index = Int(record.sequence) - 1
            } else {
                index = try intParameter(request, "index", default: -1, range: 0...Int.max)
            }
            let size = q["size"].map(String.init).flatMap(Int.init)
            do {
                let (proof, n) = try store.inclusionProof(index: index, size: size)
                return json(.object(["index": .int(Int64(index)), "size": .int(Int64(n)),
                                     "proof": .array(proof.map { .string($0.base64) })]))
            } catch let e as ProofError { throw Problem.invalid("index", e.message) }
        }
        log.get("proof/consistency") { request, _ in
            let from = try intParameter(request, "from", default: -1, range: 0...Int.max)
            let to = try intParameter(request, "to", default: -1, range: 0...Int.max)
            do {
                let proof = try store.consistencyProof(from: from, to: to)
                return json(.object(["from": .int(Int64(from)), "to": .int(Int64(to)), "proof": .array(proof.map { .string($0.base64) })]))
            } catch let e as ProofError { throw Problem.invalid("to", e.message) }
        }
        return router
    }

    static func resource(_ context: BasicRequestContext) throws -> EntityKind {
        let name = try context.parameters.require("resource")
        guard let kind = resources[name] else {
            throw Problem.notFound("no resource \"\(name)\"; use one of: \(resources.keys.sorted().joined(separator: ", "))")
        }
        return kind
    }

    static func intParameter(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters[Substring(name)] else {
            if value < range.lowerBound { throw Problem.invalid(name, "the query parameter \(name) is required") }
            return value
        }
        guard let n = Int(String(text)), range.contains(n) else {
            throw Problem.invalid(name, "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(value))))
    }
}
