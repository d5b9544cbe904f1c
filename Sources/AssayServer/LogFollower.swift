import AssayStore
import Logging
import ServiceLifecycle

/// Keeps a server's view of a shared log current: on PostgreSQL other servers append too, so every
/// ``RelationalStore/followInterval`` it takes in the checkpoints they signed (``RelationalStore/follow()``),
/// and the log API, proofs and pages serve them. With read replicas it tracks what they hold, which
/// `/metrics` reports as the replicas' lag. Stops with the server.
struct LogFollower: Service {
    let store: RelationalStore
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            var failing = false
            while !Task.isCancelled {
                do {
                    try await store.follow()
                    if failing { logger.info("following the log again") }
                    failing = false
                } catch {
                    // A failover or a replica restarting: said once, retried until it answers.
                    if !failing { logger.warning("cannot follow the log: \(error)") }
                    failing = true
                }
                try? await Task.sleep(for: RelationalStore.followInterval)
            }
        }
    }
}
