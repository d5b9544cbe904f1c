import Foundation
import Hummingbird
import Synchronization

/// Token buckets for writes, per API token and per client address. Reads are not limited here.
///
/// Written by hand rather than taken from a library: the limits must key on Assay's own token ids
/// after authentication, and the whole thing is a dictionary and two numbers per key. Buckets idle
/// for a minute are dropped, so memory stays bounded by the number of active clients.
final class WriteRateLimiter: Sendable {
    private struct Bucket { var tokens: Double; var updated: ContinuousClock.Instant }
    private let limits: ServerLimits
    private let buckets = Mutex<(map: [String: Bucket], lastSweep: ContinuousClock.Instant)>(([:], .now))

    init(_ limits: ServerLimits) { self.limits = limits }

    /// Takes one write for `token` and `address`; answers how long to wait when either is exhausted.
    func take(token: String?, address: String?, now: ContinuousClock.Instant = .now) -> Duration? {
        var keys: [(String, ServerLimits.Rate)] = []
        if let token, limits.writesPerToken.isLimited { keys.append(("t:" + token, limits.writesPerToken)) }
        if let address, limits.writesPerAddress.isLimited { keys.append(("a:" + address, limits.writesPerAddress)) }
        guard !keys.isEmpty else { return nil }
        return buckets.withLock { state -> Duration? in
            if now - state.lastSweep > .seconds(60) {
                state.map = state.map.filter { now - $0.value.updated < .seconds(60) }
                state.lastSweep = now
            }
            // Refill every bucket first; take from all only if all have a whole token.
            var wait: Duration?
            var refilled: [(String, Bucket)] = []
            for (key, rate) in keys {
                var b = state.map[key] ?? Bucket(tokens: rate.burst, updated: now)
                let elapsed = now - b.updated
                let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
                b.tokens = min(rate.burst, b.tokens + seconds * rate.perSecond)
                b.updated = now
                if b.tokens < 1 {
                    let w = Duration.milliseconds(Int64(((1 - b.tokens) / rate.perSecond * 1000).rounded(.up)))
                    wait = max(wait ?? .zero, w)
                }
                refilled.append((key, b))
            }
            for (key, var b) in refilled {
                if wait == nil { b.tokens -= 1 }
                state.map[key] = b
            }
            return wait
        }
    }
}

/// Refuses writes over the limits with 429 and `Retry-After` (whole seconds, at least 1).
struct WriteRateLimitMiddleware: RouterMiddleware {
    let limiter: WriteRateLimiter

    func handle(_ request: Request, context: AssayContext, next: (Request, AssayContext) async throws -> Response) async throws -> Response {
        guard request.method != .get, request.method != .head else { return try await next(request, context) }
        if let wait = limiter.take(token: context.token?.id, address: context.remoteAddress) {
            let seconds = max(1, Int((Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18).rounded(.up)))
            var response = Problem(.tooManyRequests, type: "rate-limited", title: "Too many writes",
                                   detail: "this client sent writes faster than the server allows; wait \(seconds) s and send it again").response
            response.headers[.retryAfter] = String(seconds)
            return response
        }
        return try await next(request, context)
    }
}
