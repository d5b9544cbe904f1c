/// Types of DRC mining and quarry titles (Mining Code 2002/2018).
public enum TitleType: String, Sendable, CaseIterable {
    /// Permis de recherche (exploration).
    case pr = "PR"
    /// Permis d'exploitation (mining).
    case pe = "PE"
    /// Permis d'exploitation des rejets (tailings).
    case per = "PER"
    /// Permis d'exploitation de petite mine (small-scale mining).
    case pepm = "PEPM"
    /// Zone d'exploitation artisanale (artisanal mining zone).
    case zea = "ZEA"
    /// Autorisation d'exploitation de carrière permanente / temporaire (quarries).
    case aecp = "AECP"
    case aect = "AECT"
}

/// The lifecycle of a mining title, as a state machine: only the transitions listed are possible.
///
/// `applied → granted | refused`; `granted → suspended | expired | revoked | relinquished`;
/// `suspended → granted | expired | revoked`. `refused`, `expired`, `revoked` and `relinquished` are final.
public enum ConcessionStatus: String, Sendable, CaseIterable {
    case applied, granted, suspended, refused, expired, revoked, relinquished

    public var allowedNext: [ConcessionStatus] {
        switch self {
        case .applied: [.granted, .refused]
        case .granted: [.suspended, .expired, .revoked, .relinquished]
        case .suspended: [.granted, .expired, .revoked]
        case .refused, .expired, .revoked, .relinquished: []
        }
    }

    /// Whether the title still holds its ground (and so can collide).
    public var holdsGround: Bool { self == .granted || self == .suspended }
}

/// A mining title: its code, type, holder, minerals, area as cadastral cells, dates and status.
public struct Concession: Sendable, Hashable {
    public var id: String
    /// The cadastre's code, like `PE 661`.
    public var code: String
    public var titleType: TitleType
    public var holder: String
    public var minerals: MineralSet
    public var cells: CellSet
    public var granted: Day?
    /// First day the title no longer holds.
    public var expires: Day?
    public var status: ConcessionStatus
    /// The site the title covers, if registered.
    public var site: String?
    /// Why the title was recorded despite collisions, when it was.
    public var contested: String?
    public var provenance: Provenance

    public init(id: String, code: String, titleType: TitleType, holder: String, minerals: MineralSet, cells: CellSet,
                granted: Day?, expires: Day?, status: ConcessionStatus, site: String? = nil, contested: String? = nil,
                provenance: Provenance = Provenance()) {
        self.id = id; self.code = code; self.titleType = titleType; self.holder = holder; self.minerals = minerals
        self.cells = cells; self.granted = granted; self.expires = expires; self.status = status; self.site = site
        self.contested = contested; self.provenance = provenance
    }

    public var period: Period { Period(unchecked: granted, expires) }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        code = try o.string("code", maxLength: 60)
        titleType = try o.enumValue("titleType", TitleType.self)
        holder = try o.id("holder")
        minerals = try MineralSet(from: o, "minerals")
        cells = try CellSet(json: o.value("cells"), field: o.path("cells"))
        if cells.isEmpty { throw DomainError(.invalidField, field: o.path("cells"), "name at least one cell") }
        granted = try o.optionalDay("granted")
        expires = try o.optionalDay("expires")
        _ = try Period(from: granted, until: expires, field: o.path)
        status = try o.optionalEnum("status", ConcessionStatus.self) ?? .granted
        site = try o.optionalID("site")
        contested = try o.optionalString("contested", maxLength: 2000)
        provenance = try Provenance(from: o)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = [
            "id": .string(id), "code": .string(code), "titleType": .string(titleType.rawValue), "holder": .string(holder),
            "minerals": minerals.json, "cells": cells.json, "status": .string(status.rawValue),
        ]
        if let granted { m["granted"] = .string(granted.iso) }
        if let expires { m["expires"] = .string(expires.iso) }
        if let site { m["site"] = .string(site) }
        if let contested { m["contested"] = .string(contested) }
        provenance.write(into: &m)
        return m
    }
}
