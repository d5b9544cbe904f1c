import Hummingbird
import Synchronization

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
