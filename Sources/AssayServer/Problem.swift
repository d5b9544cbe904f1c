import AssayDomain
import AssayStore
import Hummingbird

/// An RFC 9457 problem: what went wrong, for which field, in `application/problem+json`.
public struct Problem: Error, Sendable {
    public var status: HTTPResponse.Status
    public var title: String
    public var detail: String
    /// The field path the problem concerns, when it concerns one.
    public var field: String?
    /// A stable type id (`collision`, `not-found`, `invalid-field`, …).
    public var type: String

    public init(_ status: HTTPResponse.Status, type: String, title: String, detail: String, field: String? = nil) {
        self.status = status; self.type = type; self.title = title; self.detail = detail; self.field = field
    }

    public static func notFound(_ what: String) -> Problem {
        Problem(.notFound, type: "not-found", title: "Not found", detail: what)
    }

    /// The store's royalty schedule, or 503 when the program that started the server gave none.
    static func royalties(_ store: RelationalStore) throws -> RoyaltySchedule {
        guard let schedule = store.royalties else {
            throw Problem(.serviceUnavailable, type: "no-royalty-schedule", title: "No royalty schedule",
                          detail: "this server was started without a royalty schedule (RelationalStore.useRoyalties)")
        }
        return schedule
    }

    public static func invalid(_ field: String, _ detail: String) -> Problem {
        Problem(.badRequest, type: "invalid-field", title: "Invalid input", detail: detail, field: field)
    }

    /// A write the storage refused: 507 when the disk is full, 503 on an I/O error.
    public static func storage(_ e: StorageFailure) -> Problem {
        switch e.kind {
        case .full:
            Problem(.init(code: 507, reasonPhrase: "Insufficient Storage"), type: "disk-full", title: "The disk is full",
                    detail: "the registry's disk is full, so nothing was written; send the same request again once space has been freed")
        case .io:
            Problem(.serviceUnavailable, type: "storage-unavailable", title: "Storage unavailable",
                    detail: "the registry's storage reported an I/O error, so nothing was written; send the same request again later")
        }
    }

    var json: JSONValue {
        var m: [String: JSONValue] = [
            "type": .string("https://assay.local/problems/\(type)"), "title": .string(title),
            "status": .int(Int64(status.code)), "detail": .string(detail),
        ]
        if let field { m["field"] = .string(field) }
        return .object(m)
    }

    var response: Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(json))))
    }
}

/// Turns thrown problems into problem responses (and anything unexpected into a 500 that names no internals).
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let p as Problem {
            return p.response
        } catch let e as StorageFailure {
            // Refused for want of space or by the device: nothing was written, so the client may retry.
            context.logger.error("storage refused a write", metadata: ["kind": "\(e.kind.rawValue)", "error": "\(e.message)"])
            var response = Problem.storage(e).response
            response.headers[.retryAfter] = "30"
            return response
        } catch let e as HTTPError {
            return Problem(e.status, type: "http", title: e.status.reasonPhrase, detail: e.body ?? e.status.reasonPhrase).response
        } catch {
            context.logger.error("unexpected error", metadata: ["error": "\(error)"])
            return Problem(.internalServerError, type: "internal", title: "Internal error", detail: "the server could not answer; see its log").response
        }
    }
}

/// A problem renders itself, so it answers as `application/problem+json` on any router, with or without
/// ``ProblemMiddleware``.
extension Problem: HTTPResponseError {
    public func response(from request: Request, context: some RequestContext) throws -> Response { response }
}
