/// Anything that claims ground for minerals over a period: a grant of an agreement or a mining title.
/// Collision checks compare claims.
public struct Claim: Sendable, Hashable {
    /// How a claim excludes others.
    public enum Kind: String, Sendable, CaseIterable {
        case exclusive
        case firstOffer = "first-offer"
        case nonExclusive = "non-exclusive"
        case concession

        public init(_ e: Exclusivity) {
            switch e {
            case .exclusive: self = .exclusive
            case .firstOffer: self = .firstOffer
            case .nonExclusive: self = .nonExclusive
            }
        }
    }

    /// The grant's or concession's id.
    public var id: String
    public var kind: Kind
    /// The beneficiary of a grant, the holder of a title.
    public var holder: String
    /// The agreement a grant belongs to (`nil` for a concession).
    public var agreement: String?
    public var minerals: MineralSet
    public var cells: CellSet
    public var period: Period
    public var contested: String?

    public init(id: String, kind: Kind, holder: String, agreement: String? = nil, minerals: MineralSet, cells: CellSet,
                period: Period, contested: String? = nil) {
        self.id = id; self.kind = kind; self.holder = holder; self.agreement = agreement; self.minerals = minerals
        self.cells = cells; self.period = period; self.contested = contested
    }

    /// The claim a grant makes once its area is resolved.
    public init(grant: Grant, cells: CellSet) {
        self.init(id: grant.id, kind: Kind(grant.exclusivity), holder: grant.beneficiary, agreement: grant.agreement,
                  minerals: grant.minerals, cells: cells, period: grant.period, contested: grant.contested)
    }

    /// The claim a mining title makes.
    public init(concession c: Concession) {
        self.init(id: c.id, kind: .concession, holder: c.holder, minerals: c.minerals, cells: c.cells, period: c.period,
                  contested: c.contested)
    }
}

/// One collision between a new claim and an existing one: which claim, how many cells and where,
/// which minerals, and the overlapping period.
public struct Collision: Sendable, Hashable, CustomStringConvertible {
    public var claimID: String
    public var claimKind: Claim.Kind
    public var holder: String
    public var agreement: String?
    public var cellCount: Int
    public var boundingBox: BoundingBox?
    public var minerals: MineralSet
    public var period: Period
    /// Set when the existing claim was itself recorded as contested.
    public var contested: String?

    public init(claimID: String, claimKind: Claim.Kind, holder: String, agreement: String?, cellCount: Int,
                boundingBox: BoundingBox?, minerals: MineralSet, period: Period, contested: String?) {
        self.claimID = claimID; self.claimKind = claimKind; self.holder = holder; self.agreement = agreement
        self.cellCount = cellCount; self.boundingBox = boundingBox; self.minerals = minerals; self.period = period
        self.contested = contested
    }

    public var description: String {
        let what = claimKind == .concession ? "title \(claimID) held by \(holder)" : "\(claimKind.rawValue) grant \(claimID) to \(holder)"
        let box = boundingBox.map { " in \($0)" } ?? ""
        return "\(what): \(cellCount) cells\(box), \(minerals.sorted.map(\.rawValue).joined(separator: ", ")), \(period.text)"
    }

    public var json: JSONValue {
        var m: [String: JSONValue] = [
            "claim": .string(claimID), "claimKind": .string(claimKind.rawValue), "holder": .string(holder),
            "cells": .int(Int64(cellCount)), "minerals": minerals.json,
            "from": period.from.map { .string($0.iso) } ?? .null, "until": period.until.map { .string($0.iso) } ?? .null,
        ]
        if let b = boundingBox { m["boundingBox"] = b.json }
        if let a = agreement { m["agreement"] = .string(a) }
        if let c = contested { m["contested"] = .string(c) }
        return .object(m)
    }
}

/// The exclusivity rule: when two claims collide.
///
/// Two claims collide when they belong to different holders, share a mineral, overlap in time
/// (touching periods do not) and share a cell, *and* their kinds exclude each other:
///
/// |               | exclusive | first offer | non-exclusive | title |
/// |---------------|-----------|-------------|---------------|-------|
/// | exclusive     | yes       | yes         | yes           | yes   |
/// | first offer   | yes       | yes         | no            | no    |
/// | non-exclusive | yes       | no          | no            | yes   |
/// | title         | yes       | no          | yes           | yes   |
///
/// An exclusive grant excludes everyone else; a right of first offer competes only with other first
/// offers and exclusive grants (it is a promise about rights not yet given, so a title already held
/// does not break it); any grant of rights on ground another party holds a title to collides with that
/// title. The table is symmetric, so `collision(a, b)` and `collision(b, a)` agree.
public enum CollisionRule {
    public static func kindsConflict(_ a: Claim.Kind, _ b: Claim.Kind) -> Bool {
        switch (a, b) {
        case (.exclusive, _), (_, .exclusive): true
        case (.firstOffer, .firstOffer): true
        case (.firstOffer, _), (_, .firstOffer): false
        case (.nonExclusive, .nonExclusive): false
        case (.nonExclusive, .concession), (.concession, .nonExclusive), (.concession, .concession): true
        }
    }

    /// The collision of `new` with `existing`, or `nil` when they do not collide.
    public static func collision(of new: Claim, with existing: Claim) -> Collision? {
        guard new.holder != existing.holder, new.id != existing.id, kindsConflict(new.kind, existing.kind) else { return nil }
        let minerals = new.minerals.intersection(existing.minerals)
        guard !minerals.isEmpty, let period = new.period.intersection(existing.period) else { return nil }
        let shared = new.cells.intersection(existing.cells)
        guard !shared.isEmpty else { return nil }
        return Collision(claimID: existing.id, claimKind: existing.kind, holder: existing.holder, agreement: existing.agreement,
                         cellCount: shared.count, boundingBox: shared.boundingBox, minerals: minerals, period: period,
                         contested: existing.contested)
    }

    /// Every collision of `new` with `candidates`, sorted by claim id.
    public static func collisions(of new: Claim, with candidates: [Claim]) -> [Collision] {
        candidates.compactMap { collision(of: new, with: $0) }.sorted { $0.claimID < $1.claimID }
    }
}
