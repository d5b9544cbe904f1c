/// Group commit: callers submit work and wait; one flusher takes everything pending, writes it in one
/// transaction (one sync, one checkpoint), and answers each caller. While a flush runs, new requests
/// gather, so the batch size follows the load with no artificial delay; `maxBatch` bounds it.
///
/// For example:
/// ```swift
/// let committer = GroupCommitter<[Command], [AppendReceipt]>(maxBatch: 4096) { batch in
///     try await store.writeBatch(batch)          // one result per request, in order
/// }
/// let receipts = try await committer.submit(commands, weight: commands.count)
/// ```
public actor GroupCommitter<Request: Sendable, Response: Sendable> {
    public typealias Flush = @Sendable ([Request]) async -> [Result<Response, any Error>]

    private struct Pending {
        var request: Request
        var weight: Int
        var continuation: CheckedContinuation<Response, any Error>
    }

    private let flush: Flush
    private let maxBatch: Int
    private var pending: [Pending] = []
    private var flushing = false
    /// Sizes of the batches flushed so far (for metrics and benchmarks).
    public private(set) var batches = 0
    public private(set) var flushedRequests = 0

    public init(maxBatch: Int, flush: @escaping Flush) {
        self.maxBatch = maxBatch
        self.flush = flush
    }

    /// Submits a request and waits for its own result; `weight` (e.g. its number of entries) counts
    /// towards `maxBatch`.
    public func submit(_ request: Request, weight: Int = 1) async throws -> Response {
        try await withCheckedThrowingContinuation { continuation in
            pending.append(Pending(request: request, weight: weight, continuation: continuation))
            if !flushing {
                flushing = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !pending.isEmpty {
            var take = 0, weight = 0
            while take < pending.count, take == 0 || weight + pending[take].weight <= maxBatch {
                weight += pending[take].weight
                take += 1
            }
            let batch = Array(pending.prefix(take))
            pending.removeFirst(take)
            let results = await flush(batch.map(\.request))
            batches += 1
            flushedRequests += batch.count
            for (i, p) in batch.enumerated() {
                if i < results.count { p.continuation.resume(with: results[i]) } else {
                    p.continuation.resume(throwing: GroupCommitError.noResult)
                }
            }
        }
        flushing = false
    }
}

/// A flush returned fewer results than requests (a bug in the flush closure).
public enum GroupCommitError: Error, Sendable {
    case noResult
}
