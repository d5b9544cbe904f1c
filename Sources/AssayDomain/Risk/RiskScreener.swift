import Foundation

/// The OECD's response to a red flag (Due Diligence Guidance, Annex II).
public enum OECDResponse: String, Sendable, CaseIterable {
    case disengage, suspend, mitigate
}

/// A red flag made checkable from the OECD Due Diligence Guidance Annex II: a stable rule id, its
/// severity and the OECD response, the subject (a lot or a site), the evidence, the time window it
/// concerns, and what caused it (an assessment, a visit, an event) with the day the registry learnt it —
/// so a flag that appeared because of new information says so.
public struct RiskFlag: Sendable, Hashable {
    public enum Rule: String, Sendable, CaseIterable {
        case originNonStateControl = "oecd.origin-nonstate-control"
        case originArmedInterference = "oecd.origin-armed-interference"
        case stateForcesIllegalTaxation = "oecd.state-forces-illegal-taxation"
        case routeNonStateControl = "oecd.route-nonstate-control"
        case worstFormsOfLabour = "oecd.worst-forms-of-labour"
        case conflictNearSite = "risk.conflict-near-site"

        public var severity: FlagSeverity {
            switch self {
            case .originNonStateControl, .originArmedInterference, .routeNonStateControl, .worstFormsOfLabour: .high
            case .stateForcesIllegalTaxation, .conflictNearSite: .medium
            }
        }

        public var response: OECDResponse {
            switch self {
            case .originNonStateControl, .originArmedInterference, .worstFormsOfLabour: .disengage
            case .routeNonStateControl: .suspend
            case .stateForcesIllegalTaxation, .conflictNearSite: .mitigate
            }
        }
    }

    public var rule: Rule
    public var subject: String
    public var explanation: String
    public var evidence: [String: String]
    public var window: Period?
    /// The assessment, visit or conflict event that raised it.
    public var cause: String?
    /// The day the registry recorded that cause: the flag exists from then on (retroactive screening).
    public var since: Day?

    public init(rule: Rule, subject: String, explanation: String, evidence: [String: String], window: Period?, cause: String?, since: Day?) {
        self.rule = rule; self.subject = subject; self.explanation = explanation; self.evidence = evidence; self.window = window
        self.cause = cause; self.since = since
    }

    public var json: JSONValue {
        var m: [String: JSONValue] = ["rule": .string(rule.rawValue), "severity": .string(rule.severity.rawValue),
                                      "response": .string(rule.response.rawValue), "subject": .string(subject),
                                      "explanation": .string(explanation), "evidence": .object(evidence.mapValues { .string($0) })]
        if let w = window { m["window"] = .object(["from": w.from.map { .string($0.iso) } ?? .null, "until": w.until.map { .string($0.iso) } ?? .null]) }
        if let cause { m["cause"] = .string(cause) }
        if let since { m["since"] = .string(since.iso) }
        return .object(m)
    }
}

/// Where a lot came from and passed, for screening: origin sites with the day of extraction, and route
/// points (transport destinations, export crossings) with the day it was there.
public struct ScreenLot: Sendable {
    public var lot: String
    public var origins: [(site: String, cell: UInt32, day: Day)]
    public var route: [(site: String, cell: UInt32, day: Day)]

    public init(lot: String, origins: [(site: String, cell: UInt32, day: Day)], route: [(site: String, cell: UInt32, day: Day)]) {
        self.lot = lot; self.origins = origins; self.route = route
    }
}

/// Everything screening reads besides the control map: visits by site (sorted by date) and conflict
/// events bucketed by grid block.
public struct RiskContext: Sendable {
    public var visits: [String: [SiteVisit]]
    public var conflicts: [ConflictEvent]
    /// How far and how long before a conflict event raises a site's risk.
    public var conflictRadiusKm: Double = 10
    public var conflictDays: Int = 90

    public init(visits: [String: [SiteVisit]] = [:], conflicts: [ConflictEvent] = []) {
        self.visits = visits.mapValues { $0.sorted { $0.date < $1.date } }
        self.conflicts = conflicts
    }

    /// The latest visit to `site` on or before `day`.
    public func latestVisit(_ site: String, onOrBefore day: Day) -> SiteVisit? {
        visits[site]?.last { $0.date <= day }
    }
}

/// Screens lots and sites against the OECD Annex II red flags (pure: the same inputs give the same flags).
public enum RiskScreener {
    /// Flags of one lot: its origins' control, armed presence and labour at the time of extraction,
    /// conflict near its origins, and its route through ground held by non-state armed groups.
    public static func screen(_ lot: ScreenLot, map: ControlMap, context: RiskContext) -> [RiskFlag] {
        var out: [RiskFlag] = []
        for o in lot.origins {
            if let e = map.nonStateHolder(cell: o.cell, on: o.day) {
                out.append(controlFlag(.originNonStateControl, subject: lot.lot, site: o.site, day: o.day, entry: e,
                                       what: "its origin site \(o.site) was on ground held by \(e.controller) when it was extracted (\(o.day.iso))"))
            }
            out += visitFlags(subject: lot.lot, site: o.site, day: o.day, context: context)
            out += conflictFlags(subject: lot.lot, site: o.site, cell: o.cell, day: o.day, context: context)
        }
        for r in lot.route {
            if let e = map.nonStateHolder(cell: r.cell, on: r.day) {
                out.append(controlFlag(.routeNonStateControl, subject: lot.lot, site: r.site, day: r.day, entry: e,
                                       what: "it passed \(r.site) on \(r.day.iso), ground held by \(e.controller)"))
            }
        }
        return out
    }

    /// Only the control rules (the re-screening hot path): how many origin and route points are on
    /// ground held by a non-state armed group.
    public static func controlHits(_ lot: ScreenLot, map: ControlMap) -> Int {
        var n = 0
        for o in lot.origins where map.nonStateHolder(cell: o.cell, on: o.day) != nil { n += 1 }
        for r in lot.route where map.nonStateHolder(cell: r.cell, on: r.day) != nil { n += 1 }
        return n
    }

    static func controlFlag(_ rule: RiskFlag.Rule, subject: String, site: String, day: Day, entry e: ControlEntry, what: String) -> RiskFlag {
        RiskFlag(rule: rule, subject: subject, explanation: "\(what) — assessment \(e.id) (\(e.confidence.rawValue) confidence)",
                 evidence: ["site": site, "day": day.iso, "controller": e.controller, "assessment": e.id, "confidence": e.confidence.rawValue,
                            "source": e.sourceText],
                 window: e.period, cause: e.id, since: e.recordedDay)
    }

    /// Flags from the latest IPIS visit to a site on or before `day`.
    public static func visitFlags(subject: String, site: String, day: Day, context: RiskContext) -> [RiskFlag] {
        guard let v = context.latestVisit(site, onOrBefore: day) else { return [] }
        var out: [RiskFlag] = []
        let interfering: Set<ArmedActivity> = [.taxation, .commerceTaxation, .entranceTaxation, .digging, .buyingMinerals, .monopoly, .pitOwnership]
        for a in v.armed where a.isNonState && !a.activities.isDisjoint(with: interfering) {
            out.append(RiskFlag(rule: .originArmedInterference, subject: subject,
                                explanation: "the visit of \(v.date.iso) to \(site) found \(a.name) (\(a.type)) \(a.activities.intersection(interfering).map(\.rawValue).sorted().joined(separator: ", ")) there",
                                evidence: ["site": site, "visit": v.id, "visitDate": v.date.iso, "actor": a.name, "actorType": a.type,
                                           "activities": a.activities.map(\.rawValue).sorted().joined(separator: ",")],
                                window: nil, cause: v.id, since: nil))
        }
        let taxes: Set<ArmedActivity> = [.taxation, .commerceTaxation, .entranceTaxation]
        for a in v.armed where a.isStateForces && !a.activities.isDisjoint(with: taxes) {
            out.append(RiskFlag(rule: .stateForcesIllegalTaxation, subject: subject,
                                explanation: "the visit of \(v.date.iso) to \(site) found \(a.name) (\(a.type)) levying \(a.activities.intersection(taxes).map(\.rawValue).sorted().joined(separator: ", "))",
                                evidence: ["site": site, "visit": v.id, "visitDate": v.date.iso, "actor": a.name, "actorType": a.type],
                                window: nil, cause: v.id, since: nil))
        }
        let forced = v.armed.filter { $0.activities.contains(.forcedLabour) }
        if !forced.isEmpty || v.childLabour == true {
            var what: [String] = []
            if !forced.isEmpty { what.append("forced labour by \(forced.map(\.name).joined(separator: ", "))") }
            if v.childLabour == true { what.append("children under 15 working") }
            out.append(RiskFlag(rule: .worstFormsOfLabour, subject: subject,
                                explanation: "the visit of \(v.date.iso) to \(site) reported \(what.joined(separator: " and "))",
                                evidence: ["site": site, "visit": v.id, "visitDate": v.date.iso], window: nil, cause: v.id, since: nil))
        }
        return out
    }

    /// Battles and violence within the context's radius of a site in the days before `day`.
    public static func conflictFlags(subject: String, site: String, cell: UInt32, day: Day, context: RiskContext) -> [RiskFlag] {
        let (lat, lon) = CellGrid.centre(cell)
        let from = day + (-context.conflictDays)
        var out: [RiskFlag] = []
        for c in context.conflicts where c.isViolent && c.date <= day && c.date >= from {
            let d = distanceKm(lat, lon, c.latitudeDegrees, c.longitudeDegrees)
            guard d <= context.conflictRadiusKm else { continue }
            out.append(RiskFlag(rule: .conflictNearSite, subject: subject,
                                explanation: "\(c.type) (\(c.subType)) \(String(format: "%.0f", d)) km from \(site) on \(c.date.iso), \(c.fatalities) fatalities",
                                evidence: ["site": site, "event": c.id, "eventDate": c.date.iso, "distanceKm": String(format: "%.1f", d)],
                                window: try? Period(from: c.date, until: c.date + context.conflictDays), cause: c.id, since: nil))
        }
        return out
    }

    public static func distanceKm(_ lat1: Double, _ lon1: Double, _ lat2: Double, _ lon2: Double) -> Double {
        let r = 6371.0, p = Double.pi / 180
        let dLat = (lat2 - lat1) * p, dLon = (lon2 - lon1) * p
        let a = sin(dLat / 2) * sin(dLat / 2) + cos(lat1 * p) * cos(lat2 * p) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * r * asin(min(1, a.squareRoot()))
    }
}
