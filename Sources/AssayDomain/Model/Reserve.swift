import Foundation

/// One asset of a reserve: a registered mining title, a registered site, or an area, with the minerals
/// the reserve holds it for.
public struct ReserveAsset: Sendable, Hashable {
    /// Unique within its reserve.
    public var id: String
    public var name: String
    public var concession: String?
    public var site: String?
    public var area: Area?
    public var minerals: MineralSet

    public init(id: String, name: String, concession: String? = nil, site: String? = nil, area: Area? = nil, minerals: MineralSet) {
        self.id = id; self.name = name; self.concession = concession; self.site = site; self.area = area; self.minerals = minerals
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        name = try o.string("name", maxLength: 300)
        concession = try o.optionalID("concession")
        site = try o.optionalID("site")
        area = try o.members["area"] == nil ? nil : Area(json: o.object("area"))
        let given = [concession != nil, site != nil, area != nil].filter { $0 }.count
        guard given == 1 else {
            throw DomainError(.invalidField, field: o.path, "give exactly one of \"concession\" (a registered title), \"site\" (a registered site) or \"area\"")
        }
        minerals = try MineralSet(from: o, "minerals")
        try o.rejectUnknown()
    }

    public var json: JSONValue {
        var m: [String: JSONValue] = ["id": .string(id), "name": .string(name), "minerals": minerals.json]
        if let concession { m["concession"] = .string(concession) }
        if let site { m["site"] = .string(site) }
        if let area { m["area"] = area.json }
        return .object(m)
    }
}

/// A reserve of assets held under an agreement, each offered first to a beneficiary for a window
/// (the US–DRC Strategic Partnership Agreement's Strategic Asset Reserve: a right of first offer with
/// a three-month priority negotiation window, renewable once).
///
/// A confidential ("sealed") reserve's assets leave the public log (see `Sealing` in the store): the public sees that it
/// exists, its size and a commitment per asset; each asset is revealed, with what proves it was on the
/// list, when it is offered.
public struct Reserve: Sendable, Hashable {
    public var id: String
    public var agreement: String
    public var title: String
    /// The day the list was designated (a committee's decision), if known.
    public var designated: Day?
    public var confidential: Bool
    public var assets: [ReserveAsset]
    /// Length of each window in months (default 3).
    public var windowMonths: Int
    /// How many times a window may be renewed (default 1).
    public var renewals: Int
    public var provenance: Provenance

    public init(id: String, agreement: String, title: String, designated: Day? = nil, confidential: Bool = false, assets: [ReserveAsset],
                windowMonths: Int = 3, renewals: Int = 1, provenance: Provenance = Provenance()) {
        self.id = id; self.agreement = agreement; self.title = title; self.designated = designated; self.confidential = confidential
        self.assets = assets; self.windowMonths = windowMonths; self.renewals = renewals; self.provenance = provenance
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        agreement = try o.id("agreement")
        title = try o.string("title", maxLength: 500)
        designated = try o.optionalDay("designated")
        confidential = try o.optionalBool("confidential") ?? false
        var list: [ReserveAsset] = []
        for (v, p) in try o.array("assets", maxCount: 500) {
            let a = try ReserveAsset(json: JSONObject(v, path: p))
            if list.contains(where: { $0.id == a.id }) { throw DomainError(.invalidField, field: p + ".id", "asset \(a.id) is listed twice") }
            list.append(a)
        }
        if list.isEmpty { throw DomainError(.missingField, field: o.path("assets"), "a reserve holds at least one asset") }
        assets = list
        windowMonths = try o.optionalInt("windowMonths").map(Int.init) ?? 3
        guard (1...24).contains(windowMonths) else { throw DomainError(.invalidField, field: o.path("windowMonths"), "must be 1 to 24 months") }
        renewals = try o.optionalInt("renewals").map(Int.init) ?? 1
        guard (0...5).contains(renewals) else { throw DomainError(.invalidField, field: o.path("renewals"), "must be 0 to 5") }
        provenance = try Provenance(from: o)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["id": .string(id), "agreement": .string(agreement), "title": .string(title),
                                      "assets": .array(assets.map(\.json)), "windowMonths": .int(Int64(windowMonths)),
                                      "renewals": .int(Int64(renewals))]
        if let designated { m["designated"] = .string(designated.iso) }
        if confidential { m["confidential"] = .bool(true) }
        provenance.write(into: &m)
        return m
    }

    public func asset(_ id: String) -> ReserveAsset? { assets.first { $0.id == id } }
}

/// An asset of a reserve offered to a beneficiary: opens its exclusive window on `opens`.
public struct AssetOffer: Sendable, Hashable {
    public var id: String
    public var reserve: String
    public var asset: String
    public var beneficiary: String
    public var opens: Day
    /// For an asset of a sealed reserve, written by the registry when it logs the offer: the asset as
    /// listed and the salt of its commitment, so anyone can check it was on the sealed list.
    public var reveal: JSONValue?
    public var provenance: Provenance

    public init(id: String, reserve: String, asset: String, beneficiary: String, opens: Day, reveal: JSONValue? = nil,
                provenance: Provenance = Provenance()) {
        self.id = id; self.reserve = reserve; self.asset = asset; self.beneficiary = beneficiary; self.opens = opens
        self.reveal = reveal; self.provenance = provenance
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        reserve = try o.id("reserve")
        asset = try o.id("asset")
        beneficiary = try o.id("beneficiary")
        opens = try o.day("opens")
        reveal = o.optionalValue("reveal")
        provenance = try Provenance(from: o)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["id": .string(id), "reserve": .string(reserve), "asset": .string(asset),
                                      "beneficiary": .string(beneficiary), "opens": .string(opens.iso)]
        if let reveal { m["reveal"] = reveal }
        provenance.write(into: &m)
        return m
    }
}

/// How an offer's window ends early, or is renewed.
public enum OfferOutcome: String, Sendable, CaseIterable {
    /// The beneficiary takes the asset: the grant it names records the rights.
    case accepted
    case refused
    /// The window runs again for the same length from its end (at most the reserve's `renewals` times).
    case renewed
}

/// `resolve-offer`: the offer's window is accepted, refused or renewed on `date`.
public struct OfferResolution: Sendable, Hashable {
    public var offer: String
    public var status: OfferOutcome
    public var date: Day
    /// For an acceptance: the grant (recorded before, or earlier in the same batch) that gives the rights.
    public var grant: String?
    public var reason: String?

    public init(offer: String, status: OfferOutcome, date: Day, grant: String? = nil, reason: String? = nil) {
        self.offer = offer; self.status = status; self.date = date; self.grant = grant; self.reason = reason
    }

    public init(json o: JSONObject) throws(DomainError) {
        offer = try o.id("offer")
        status = try o.enumValue("status", OfferOutcome.self)
        date = try o.day("date")
        grant = try o.optionalID("grant")
        reason = try o.optionalString("reason", maxLength: 2000)
        if status == .accepted, grant == nil {
            throw DomainError(.missingField, field: o.path("grant"), "an accepted offer names the grant that records the rights (record-grant first, in the same batch)")
        }
        if status != .accepted, grant != nil {
            throw DomainError(.invalidField, field: o.path("grant"), "only an accepted offer names a grant")
        }
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["offer": .string(offer), "status": .string(status.rawValue), "date": .string(date.iso)]
        if let grant { m["grant"] = .string(grant) }
        if let reason { m["reason"] = .string(reason) }
        return m
    }
}

/// Where an offer's window stands on a day, by the registry's clock: nobody writes for it to lapse.
public enum WindowState: Sendable, Hashable {
    /// Open, the last day included.
    case open(lastDay: Day)
    case accepted(on: Day)
    case refused(on: Day)
    /// Ended without an answer; `on` is the first day it no longer held.
    case lapsed(on: Day)

    public var name: String {
        switch self {
        case .open: "open"
        case .accepted: "accepted"
        case .refused: "refused"
        case .lapsed: "lapsed"
        }
    }

    public var isOpen: Bool { if case .open = self { true } else { false } }
}

/// An offer with its answers, and the arithmetic of its window.
public struct OfferWindow: Sendable, Hashable {
    public var offer: AssetOffer
    public var months: Int
    public var resolutions: [OfferResolution]

    public init(offer: AssetOffer, months: Int, resolutions: [OfferResolution]) {
        self.offer = offer; self.months = months; self.resolutions = resolutions.sorted { $0.date < $1.date }
    }

    /// The first day the window no longer holds, given the renewals recorded up to `day`.
    public func closes(asOf day: Day) -> Day {
        var end = offer.opens.adding(months: months)
        for r in resolutions where r.status == .renewed && r.date <= day { end = end.adding(months: months) }
        return end
    }

    public func state(on day: Day) -> WindowState {
        if let final = resolutions.first(where: { $0.status != .renewed && $0.date <= day }) {
            return final.status == .accepted ? .accepted(on: final.date) : .refused(on: final.date)
        }
        let end = closes(asOf: day)
        return day < end ? .open(lastDay: end + (-1)) : .lapsed(on: end)
    }

    public var renewalsUsed: Int { resolutions.filter { $0.status == .renewed }.count }
}
