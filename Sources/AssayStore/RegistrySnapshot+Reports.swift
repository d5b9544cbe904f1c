import AssayDomain

extension RegistrySnapshot {
    /// The ownership graph on `day`.
    public func ownershipGraph(asOf day: Day) -> OwnershipGraph {
        OwnershipGraph(parties: parties, ownerships: ownerships, asOf: day)
    }

    /// Who owns each site's production: its operator, else the holder of a title registered for it.
    public var siteOwners: [String: String] {
        var out: [String: String] = [:]
        for c in concessions { if let s = c.site { out[s] = c.holder } }
        for s in sites { if let op = s.operatorParty { out[s.id] = op } }
        return out
    }

    /// Capacity by owner country and ultimate owner, per mineral, with concentration.
    public func capacityOwnership(asOf day: Day) -> CapacityOwnership {
        CapacityOwnership(sites: sites, owners: siteOwners, graph: ownershipGraph(asOf: day))
    }

    /// What the registered capacity of `mineral` covers of its latest national total of a year up to `day`'s.
    public func coverage(_ mineral: Mineral, registeredTonnes: Double, asOf day: Day) -> Coverage {
        let year = day.components.year
        let national = nationalOutputs.filter { $0.mineral == mineral && $0.year <= year }.max { $0.year < $1.year }
        return Coverage(mineral: mineral, registeredTonnes: registeredTonnes, national: national)
    }

    /// Coverage of every mineral with registered capacity or a national total.
    public func coverage(asOf day: Day) -> [Coverage] {
        let cap = capacityOwnership(asOf: day)
        let registered = Dictionary(cap.rows.map { ($0.mineral, $0.totalTonnes) }, uniquingKeysWith: +)
        let minerals = Set(registered.keys).union(nationalOutputs.map(\.mineral)).sorted { $0.rawValue < $1.rawValue }
        return minerals.map { coverage($0, registeredTonnes: registered[$0] ?? 0, asOf: day) }
    }

    /// The balance of one agreement's obligations, or of all when `agreement` is `nil`.
    public func balance(agreement: String?, asOf day: Day) -> BalanceReport {
        let obs = obligations.filter { agreement == nil || $0.agreement == agreement }
        let ids = Set(obs.map(\.id))
        return BalanceReport(obligations: obs, deliveries: deliveries.filter { ids.contains($0.obligation) }, asOf: day)
    }

    /// The agreements linked to `agreement`, directly or through others (both directions, up to three
    /// links away), each with how it is linked and the balance of its obligations on `day` — so an
    /// agreement's balance shows what states that are not its parties owe under the agreements it depends on.
    public func linkedBalances(of agreement: String, asOf day: Day) -> [LinkedBalance] {
        var seen: Set<String> = [agreement]
        var frontier: [(id: String, path: [String])] = [(agreement, [])]
        var out: [LinkedBalance] = []
        for _ in 0..<3 {
            var next: [(id: String, path: [String])] = []
            for (id, path) in frontier {
                for l in links where l.agreement == id || l.linked == id {
                    let other = l.agreement == id ? l.linked : l.agreement
                    guard !seen.contains(other), let a = agreements.first(where: { $0.id == other }) else { continue }
                    seen.insert(other)
                    let step = l.agreement == id ? l.relation.rawValue : l.relation.inverseName
                    let via = path + [step]
                    out.append(LinkedBalance(agreement: a, relation: via.joined(separator: " → "), report: balance(agreement: other, asOf: day)))
                    next.append((other, via))
                }
            }
            frontier = next
        }
        return out
    }

    /// Recorded collisions that involve `claim` on either side: (the contested claim, the collision).
    public func collisions(involving claim: String) -> [(claim: String, collision: Collision)] {
        contestedCollisions.filter { $0.claim == claim || $0.collision.claimID == claim }
    }
}

/// An agreement linked to another (directly or through others), how, and the balance of its obligations.
public struct LinkedBalance: Sendable {
    public var agreement: Agreement
    /// The relations followed from the agreement asked about, e.g. `paired-with → implements`.
    public var relation: String
    public var report: BalanceReport
}
