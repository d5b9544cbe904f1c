import AssayStore
import Hummingbird

/// The request context: Hummingbird's core storage plus who is asking (nil: the public).
public struct AssayContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    public var token: APIToken?
    /// The client's IP address (for per-address limits); nil when the transport has none.
    public var remoteAddress: String?

    public init(source: Source) {
        coreContext = .init(source: source)
        token = nil
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    public var role: Role { token?.role ?? .public }

    /// Largest request body accepted; bigger ones get 413 with a message.
    public var maxUploadSize: Int { 1 << 20 }
}

/// Reads `Authorization: Bearer <token>`; an unknown or revoked token is refused (401), no header is the public.
struct TokenMiddleware: RouterMiddleware {
    let store: RelationalStore

    func handle(_ request: Request, context: AssayContext, next: (Request, AssayContext) async throws -> Response) async throws -> Response {
        var context = context
        if let header = request.headers[.authorization] {
            let token: APIToken
            do {
                guard header.hasPrefix("Bearer "), let t = try await store.authenticate(String(header.dropFirst(7))) else {
                    throw Problem(.unauthorized, type: "unauthorized", title: "Unauthorized",
                                  detail: "the bearer token is unknown or revoked; ask the registrar for one, or send no Authorization header to read as the public")
                }
                token = t
            } catch let e as TokenExpired {
                throw Problem(.unauthorized, type: "token-expired", title: "Token expired",
                              detail: "the bearer token expired at \(e.expired); ask the registrar for a new one")
            }
            context.token = token
        }
        return try await next(request, context)
    }
}

extension AssayContext {
    /// Refuses the request unless the caller has one of `roles` (401 for the public, 403 otherwise).
    func require(_ roles: Role...) throws {
        guard !roles.contains(role) else { return }
        if role == .public {
            throw Problem(.unauthorized, type: "unauthorized", title: "Unauthorized", detail: "this needs a token (\(roles.map(\.rawValue).joined(separator: " or ")))")
        }
        throw Problem(.forbidden, type: "forbidden", title: "Forbidden", detail: "a \(role.rawValue) token cannot do this; it needs \(roles.map(\.rawValue).joined(separator: " or "))")
    }
}
