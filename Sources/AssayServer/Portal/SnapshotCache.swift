import AssayStore
import Hummingbird
import Synchronization
import TransparencyLog

/// Keeps the registry as the public sees it (sealed values removed) with the registry generation it was
/// made at (``RelationalStore/viewGenerations()``); a page gets it again until a published entry changes
/// the registry's entities (custody events and risk records do not). Concurrent misses share one
/// redaction (single flight). The whole registry itself is the store's own cache (``RelationalStore/registry()``).
final class SnapshotCache: Sendable {
    private let redacted = Mutex<(generation: Int64, origin: String, task: Task<RegistrySnapshot, any Error>)?>(nil)

    /// The registry as `role` may see it (``Disclosure``): pages only ever get this one.
    func registry(_ store: RelationalStore, as role: Role) async throws -> RegistrySnapshot {
        if Disclosure.seesSealed(role) { return try await store.registry() }
        let generation = try await store.viewGenerations().registry
        let origin = store.origin
        let task = redacted.withLock { c -> Task<RegistrySnapshot, any Error> in
            if let c, c.generation == generation, c.origin == origin { return c.task }
            let t = Task { Disclosure.registry(try await store.registry(), role: role) }
            c = (generation, origin, t)
            return t
        }
        return try await task.value
    }
}
