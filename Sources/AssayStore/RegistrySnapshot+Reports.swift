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

    /// The balance of one agreement's obligations, or of all when `agreement` is `nil`.
    public func balance(agreement: String?, asOf day: Day) -> BalanceReport {
        let obs = obligations.filter { agreement == nil || $0.agreement == agreement }
        let ids = Set(obs.map(\.id))
        return BalanceReport(obligations: obs, deliveries: deliveries.filter { ids.contains($0.obligation) }, asOf: day)
    }

    /// Recorded collisions that involve `claim` on either side: (the contested claim, the collision).
    public func collisions(involving claim: String) -> [(claim: String, collision: Collision)] {
        contestedCollisions.filter { $0.claim == claim || $0.collision.claimID == claim }
    }
}
