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

/// Rendered pages: one copy of each page (its path, language, what the role may see), with the version
/// of what it was drawn from (the generations or log size it read, the day). A request for the same
/// version gets the copy; a newer version draws the page again and replaces it, so pages of versions
/// nobody will ask for again are not kept (a list redrawn on every write of a steady load kept hundreds
/// of copies). Concurrent misses share one rendering (single flight): without it, 64 clients asking for a
/// page nobody had asked for yet rendered it 64 times at once on two cores, and each waited for all of
/// them (a p99 of ~600 ms on a cold server, against 6 ms warm). At most 2,000 pages; cleared when full.
/// A rendering that fails is not kept. Also used for API reports, with their JSON as the value.
final class VersionedCache<Value: Sendable>: Sendable {
    private let pages = Mutex<[String: (version: String, task: Task<Value, any Error>)]>([:])

    func page(_ key: String, version: String, render: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let task = pages.withLock { p -> Task<Value, any Error> in
            if let hit = p[key], hit.version == version { return hit.task }
            if p.count >= 2_000 { p.removeAll(keepingCapacity: true) }
            let t = Task { try await render() }
            p[key] = (version, t)
            return t
        }
        do { return try await task.value } catch {
            pages.withLock { p in if p[key]?.task == task { p[key] = nil } }
            throw error
        }
    }
}

/// Rendered portal pages (see ``VersionedCache``).
typealias PageCache = VersionedCache<Response>
