import AssayDomain
import AssayStore
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Logging
import ServiceLifecycle
import TransparencyLog

/// Delivers webhook notices (``Subscription``): every second, for each subscription that is due, the next
/// matching entries after its cursor are POSTed one by one, in log order, each as a notice signed with the
/// log's key; the cursor moves on after each accepted one (2xx). A refusal or a network error stops that
/// subscription's round and schedules a retry with exponential backoff (1 s, 2 s, 4 s … at most 5 minutes).
/// The cursor is in the database, so a restart resumes where delivery stopped.
///
/// A notice: `{"subscription","entry","time","command","keys","receipt","checkpoint"}` (the receipt a COSE
/// receipt in base64), with headers `Assay-Signature: <log name>+<key id> <base64 Ed25519 over the body>` and
/// `Assay-Entry: <n>`.
public struct WebhookDeliverer: Service {
    let store: RelationalStore
    let logger: Logger

    public init(store: RelationalStore, logger: Logger) { self.store = store; self.logger = logger }

    /// Sends one notice; answers the receiver's HTTP status.
    public typealias Post = @Sendable (_ url: URL, _ body: [UInt8], _ headers: [String: String]) async throws -> Int

    public func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { _ = try await Self.deliverDue(store: store, post: Self.urlSessionPost) } catch {
                    logger.warning("webhook delivery: \(error)")
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// One pass over the subscriptions that are due. Returns the notices delivered.
    @discardableResult
    public static func deliverDue(store: RelationalStore, post: Post, batch: Int = 100) async throws -> Int {
        let now = RelationalStore.systemClock()
        var sent = 0
        for sub in try await store.subscriptions() {
            if let next = sub.nextAttempt, next > now { continue }
            guard let url = URL(string: sub.url) else { continue }
            // One server at a time per subscription (several may share a PostgreSQL database).
            guard try await store.leaseSubscription(sub.id, holder: holder, until: Timestamp(milliseconds: now.milliseconds + 60_000)) else { continue }
            let delivered: Int
            do { delivered = try await deliver(sub, url: url, store: store, post: post, batch: batch, now: now) } catch {
                try? await store.releaseSubscription(sub.id, holder: holder)
                throw error
            }
            try? await store.releaseSubscription(sub.id, holder: holder)
            sent += delivered
        }
        return sent
    }

    /// One subscription's round: its next matching entries, in order, until one is refused.
    static func deliver(_ sub: Subscription, url: URL, store: RelationalStore, post: Post, batch: Int, now: Timestamp) async throws -> Int {
        let (entries, scanned) = try await store.entries(matching: sub.match, after: sub.cursor, limit: batch)
        var cursor = sub.cursor
        var delivered: Int64 = 0
        var failure: String?
        for entry in entries {
            do {
                let (body, headers) = try notice(sub, entry, store: store)
                let status = try await post(url, body, headers)
                guard (200..<300).contains(status) else { failure = "the receiver answered \(status) for entry \(entry.sequence)"; break }
                cursor = entry.sequence
                delivered += 1
            } catch {
                failure = "entry \(entry.sequence): \(error.localizedDescription)"
                break
            }
        }
        // Everything looked at and delivered: the cursor moves past the entries that did not match too.
        if failure == nil { cursor = max(cursor, scanned) }
        if cursor > sub.cursor { try await store.advanceSubscription(sub.id, cursor: cursor, delivered: delivered) }
        if let failure {
            let attempts = sub.attempts + 1
            let delay = min(300.0, pow(2, Double(min(attempts - 1, 10))))
            // The wait counts from the refusal, not from the round's start: a slow round (a long scan, a
            // receiver slow to refuse) must not make the retry due at once.
            let refused = RelationalStore.systemClock()
            try await store.subscriptionFailed(sub.id, error: failure, attempts: attempts,
                                               nextAttempt: Timestamp(milliseconds: max(now.milliseconds, refused.milliseconds) + Int64(delay * 1000)))
        }
        return Int(delivered)
    }

    /// This process's name for subscription leases.
    static let holder: String = {
        var rng = SystemRandomNumberGenerator()
        return "server-" + String(UInt64.random(in: 0...UInt64.max, using: &rng), radix: 16)
    }()

    /// The notice for `entry` and its headers.
    static func notice(_ sub: Subscription, _ entry: StoredEntry, store: RelationalStore) throws -> ([UInt8], [String: String]) {
        guard case .object(let e)? = try? JSONParser.parse(entry.bytes), let command = e["command"] else {
            throw ProofError("entry \(entry.sequence) is not a journal entry")
        }
        let receipt = try store.receipt(sequence: entry.sequence)
        let body = CanonicalJSON.encode(.object([
            "subscription": .string(sub.id), "entry": .int(entry.sequence), "time": e["time"] ?? .null, "command": command,
            "keys": .array(EntryKeys.keys(of: command).map { .string($0) }), "receipt": .string(Base64.encode(receipt)),
            "checkpoint": .string(store.servedCheckpoint()?.serialized ?? ""),
        ]))
        return (body, ["Content-Type": "application/json", "Assay-Signature": try store.signNotice(body), "Assay-Entry": String(entry.sequence)])
    }

    /// POST with Foundation's URLSession, 10 seconds at most.
    public static let urlSessionPost: Post = { url, body, headers in
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        for (k, v) in headers { request.setValue(v, forHTTPHeaderField: k) }
        request.httpBody = Data(body)
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
