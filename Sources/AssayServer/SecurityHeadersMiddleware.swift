import HTTPTypes
import Hummingbird

/// Security headers on every response: no MIME sniffing, no referrer leaks, and for HTML pages a
/// Content-Security-Policy that allows no inline or foreign script and no framing.
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    /// Scripts only from this origin (the portal needs none inline); inline `style` attributes are
    /// allowed for progress bars and chart widths; images and SVG from here or data URLs.
    static var contentSecurityPolicy: String {
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.xContentTypeOptions] = "nosniff"
        if let name = HTTPField.Name("Referrer-Policy") { response.headers[name] = "no-referrer" }
        if response.headers[.contentType]?.hasPrefix("text/html") == true {
            response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
            if let name = HTTPField.Name("X-Frame-Options") { response.headers[name] = "DENY" }
        }
        return response
    }
}
