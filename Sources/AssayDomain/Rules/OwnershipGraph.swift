/// An ultimate owner's share of something, through every chain of ownership, as a fraction of 1:
/// `share` uses each relation's midpoint, `minimum` and `maximum` its bounds.
public struct UltimateShare: Sendable, Hashable {
    /// The owner's party id, or `nil` for the part whose owners are not recorded.
    public var owner: String?
    public var country: String?
    public var share: Double
    public var minimum: Double
    public var maximum: Double
    /// One chain that leads to the owner, subject first (`kfm → gecamines → cd-state`).
    public var path: [String]
}

/// Ownership roll-ups over dated relations (BODS-shaped): the ultimate owners of any party through
/// chains, owner-country shares, and concentration of capacity.
///
/// A party is an *ultimate owner* when it is a state or a person, or when no ownership of it is
/// recorded for the day. Shares that do not add up to 100% leave an *unknown* remainder, reported as
/// such rather than spread over the known owners. Cycles (cross-holdings) stop where they close and
/// their part counts as unknown.
///
/// For example, Kisanfu: KFM is 71.25% CMOC (CN), 23.75% CATL/Brunp (CN) and 5% Gécamines, which the
/// DRC state owns: ``countryShares(of:)`` gives CN 95%, CD 5%.
public struct OwnershipGraph: Sendable {
    public let parties: [String: Party]
    private let owners: [String: [Ownership]]
    public let asOf: Day

    public init(parties: [Party], ownerships: [Ownership], asOf: Day) {
        self.parties = Dictionary(parties.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        self.owners = Dictionary(grouping: ownerships.filter { $0.period.contains(asOf) }, by: \.subject)
        self.asOf = asOf
    }

    /// Direct owners of `party` on the day.
    public func directOwners(of party: String) -> [Ownership] {
        (owners[party] ?? []).sorted { $0.share.maximum > $1.share.maximum || ($0.share.maximum == $1.share.maximum && $0.interestedParty < $1.interestedParty) }
    }

    /// The ultimate owners of `party`, largest first; the unknown remainder, if any, last.
    public func ultimateOwners(of party: String) -> [UltimateShare] {
        var acc: [String: UltimateShare] = [:]
        var unknown = (mid: 0.0, lo: 0.0, hi: 0.0)
        func walk(_ id: String, mid: Double, lo: Double, hi: Double, path: [String]) {
            let p = parties[id]
            let direct = owners[id] ?? []
            if p?.kind == .state || p?.kind == .person || direct.isEmpty || path.count > 30 {
                var u = acc[id] ?? UltimateShare(owner: id, country: p?.country, share: 0, minimum: 0, maximum: 0, path: path)
                u.share += mid; u.minimum += lo; u.maximum += hi
                acc[id] = u
                return
            }
            var covered = 0.0
            for o in direct {
                covered += o.share.fraction
                if path.contains(o.interestedParty) {
                    unknown.mid += mid * o.share.fraction; unknown.lo += lo * o.share.minimumFraction; unknown.hi += hi * o.share.maximumFraction
                    continue
                }
                walk(o.interestedParty, mid: mid * o.share.fraction, lo: lo * o.share.minimumFraction,
                     hi: hi * o.share.maximumFraction, path: path + [o.interestedParty])
            }
            if covered < 0.999_999 {
                let rest = 1 - covered
                unknown.mid += mid * rest; unknown.lo += lo * rest; unknown.hi += hi * rest
            }
        }
        walk(party, mid: 1, lo: 1, hi: 1, path: [party])
        var out = acc.values.sorted { $0.share > $1.share || ($0.share == $1.share && ($0.owner ?? "") < ($1.owner ?? "")) }
        if unknown.mid > 1e-9 {
            out.append(UltimateShare(owner: nil, country: nil, share: unknown.mid, minimum: unknown.lo, maximum: unknown.hi, path: [party]))
        }
        return out
    }

    /// Shares of `party` by the country of its ultimate owners (`"unknown"` for unrecorded owners or
    /// owners with no country), largest first.
    public func countryShares(of party: String) -> [(country: String, share: Double)] {
        var by: [String: Double] = [:]
        for u in ultimateOwners(of: party) { by[u.country ?? "unknown", default: 0] += u.share }
        return by.map { ($0.key, $0.value) }.sorted { $0.1 > $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
    }
}

/// Who owns the capacity of each mineral: owner-country and ultimate-owner shares of the tonnes a year
/// of every site, and their Herfindahl–Hirschman index (sum of squared percentage shares, 0–10,000).
public struct CapacityOwnership: Sendable {
    public struct Row: Sendable {
        public var mineral: Mineral
        public var totalTonnes: Double
        /// Country → tonnes a year.
        public var byCountry: [(country: String, tonnes: Double)]
        /// Ultimate owner (party id, or "unknown") → tonnes a year.
        public var byOwner: [(owner: String, tonnes: Double)]
        public var countryHHI: Double
        public var ownerHHI: Double
    }

    public var rows: [Row]

    /// - Parameter owners: for each site, the party that owns its production (its operator, or the
    ///   holder of the title it stands on); sites with none count as unknown.
    public init(sites: [Site], owners: [String: String], graph: OwnershipGraph) {
        var perMineral: [Mineral: (total: Double, country: [String: Double], owner: [String: Double])] = [:]
        for s in sites {
            for (m, t) in s.capacities {
                let tonnes = NSDecimalNumberBridge.double(t)
                var entry = perMineral[m] ?? (0, [:], [:])
                entry.total += tonnes
                if let party = owners[s.id] {
                    for u in graph.ultimateOwners(of: party) {
                        entry.country[u.country ?? "unknown", default: 0] += tonnes * u.share
                        entry.owner[u.owner ?? "unknown", default: 0] += tonnes * u.share
                    }
                } else {
                    entry.country["unknown", default: 0] += tonnes
                    entry.owner["unknown", default: 0] += tonnes
                }
                perMineral[m] = entry
            }
        }
        func hhi(_ d: [String: Double], _ total: Double) -> Double {
            guard total > 0 else { return 0 }
            return d.values.reduce(0) { $0 + ($1 / total * 100) * ($1 / total * 100) }
        }
        rows = perMineral.keys.sorted().compactMap { m in
            guard let e = perMineral[m] else { return nil }
            return Row(mineral: m, totalTonnes: e.total,
                       byCountry: e.country.map { ($0.key, $0.value) }.sorted { $0.1 > $1.1 },
                       byOwner: e.owner.map { ($0.key, $0.value) }.sorted { $0.1 > $1.1 },
                       countryHHI: hhi(e.country, e.total), ownerHHI: hhi(e.owner, e.total))
        }
    }
}

import Foundation

enum NSDecimalNumberBridge {
    static func double(_ d: Decimal) -> Double { NSDecimalNumber(decimal: d).doubleValue }
}
