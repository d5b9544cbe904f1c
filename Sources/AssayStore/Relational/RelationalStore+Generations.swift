import AssayDomain

/// Which part of the registry a view reads, by the newest published journal entry that changed it: a
/// view drawn for the same generations is still right, however far the log has grown since. Under a
/// steady stream of custody events the registry's entities and the risk inputs keep their generation, so
/// pages and reports built from them are not rebuilt on every event (they were, when keyed by log size).
public struct ViewGenerations: Sendable, Hashable, CustomStringConvertible {
    /// Parties, ownership, sites, titles, agreements, grants, obligations and deliveries.
    public var registry: Int64 = 0
    /// Control assessments, site visits, conflict events, site statuses and site updates.
    public var risk: Int64 = 0
    /// Custody events, keys, the custody policy, prices and payments.
    public var custody: Int64 = 0

    public init() {}

    /// Which generations a command of `kind` moves (a key rotation moves none: no view reads it).
    public static func parts(of kind: Command.Kind) -> (registry: Bool, risk: Bool, custody: Bool) {
        switch kind {
        case .registerParty, .recordOwnership, .registerConcession, .changeConcessionStatus, .registerAgreement,
             .changeAgreementStatus, .recordGrant, .recordObligation, .recordDelivery, .signAgreement,
             .registerReserve, .offerAsset, .resolveOffer, .linkAgreements, .recordEvent, .recordClaim, .recordNationalOutput:
            (true, false, false)
        case .registerSite, .updateSite:
            (true, true, false)
        case .recordControl, .recordSiteVisit, .recordConflictEvent, .recordSiteStatus:
            (false, true, false)
        case .custodyEvent, .recordPrice, .recordPayment, .setCustodyPolicy, .registerKey, .revokeKey:
            (false, false, true)
        case .rotateLogKey:
            (false, false, false)
        }
    }

    /// Moves the generations `kind` moves to `sequence` (never back).
    mutating func note(_ kind: Command.Kind, at sequence: Int64) {
        let p = Self.parts(of: kind)
        if p.registry { registry = max(registry, sequence) }
        if p.risk { risk = max(risk, sequence) }
        if p.custody { custody = max(custody, sequence) }
    }

    public var description: String { "r\(registry).k\(risk).c\(custody)" }
}

extension RelationalStore {
    /// The generations of what is published now. The first call (and any after the published log got
    /// shorter: a restore, a cut back after a failover) looks up the newest entry of each type through
    /// the journal's (type, seq) index; later calls read only the entries published since, one range of
    /// the journal's key. Concurrent callers share one read.
    public func viewGenerations() async throws -> ViewGenerations {
        let size = Int64(publishedSize)
        let (scanned, known) = generationState.withLock { ($0.size, $0.generations) }
        if scanned == size { return known }
        let task = generationReads.withLock { reads -> Task<ViewGenerations, any Error> in
            if let t = reads[size] { return t }
            if reads.count > 16 { reads.removeAll() }
            let engine = self.engine
            let t = Task { () throws -> ViewGenerations in
                let incremental = size > scanned && scanned > 0
                let found = try await engine.read { db -> [(String, Int64)] in
                    if incremental {
                        return try db.rows("SELECT type, MAX(seq) FROM journal WHERE seq > ? AND seq <= ? GROUP BY type", [scanned, size])
                            .map { (try $0[0], try $0[1]) }
                    }
                    return try Command.Kind.allCases.compactMap { kind in
                        try db.value(Int64.self, "SELECT MAX(seq) FROM journal WHERE type = ? AND seq <= ?", [kind.rawValue, size]).map { (kind.rawValue, $0) }
                    }
                }
                var generations = incremental ? known : ViewGenerations()
                for (type, last) in found {
                    guard let kind = Command.Kind(rawValue: type) else { throw StoreCorruption(table: "journal", key: type, reason: "unknown entry type") }
                    generations.note(kind, at: last)
                }
                return generations
            }
            reads[size] = t
            return t
        }
        let result: ViewGenerations
        do { result = try await task.value } catch {
            generationReads.withLock { _ = $0.removeValue(forKey: size) }
            throw error
        }
        generationState.withLock { state in
            if state.size == scanned { state = (size, result) }
        }
        generationReads.withLock { _ = $0.removeValue(forKey: size) }
        return result
    }
}
