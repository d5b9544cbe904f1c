import Foundation

/// How sure a source is.
public enum Confidence: String, Sendable, CaseIterable, Comparable {
    case low, medium, high
    public static func < (a: Confidence, b: Confidence) -> Bool { allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)! }
}

/// "This party (an armed group, or state forces) controlled this area from one day to another", with
/// its source and confidence. Assessments may overlap; a revision names the one it supersedes (the
/// journal keeps both; only the newest counts).
///
/// For example:
/// `{"type":"record-control","id":"m23-rubaya-2024","controller":"afc-m23","area":{"circle":{"latitude":"-1.5782","longitude":"28.8889","radiusKm":"8"}},"from":"2024-04-30","confidence":"high","sources":["https://…"]}`
public struct ControlAssessment: Sendable, Hashable {
    public var id: String
    public var controller: String
    public var area: Area
    public var period: Period
    public var confidence: Confidence
    /// URLs, or a citation when the source is not online.
    public var sources: [String]
    public var citation: String?
    public var supersedes: String?
    public var note: String?
    public var synthetic: Bool

    public init(id: String, controller: String, area: Area, period: Period, confidence: Confidence, sources: [String] = [],
                citation: String? = nil, supersedes: String? = nil, note: String? = nil, synthetic: Bool = false) {
        self.id = id; self.controller = controller; self.area = area; self.period = period; self.confidence = confidence
        self.sources = sources; self.citation = citation; self.supersedes = supersedes; self.note = note; self.synthetic = synthetic
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        controller = try o.id("controller")
        area = try Area(json: o.object("area"))
        guard let from = try o.optionalDay("from") else { throw DomainError(.missingField, field: o.path("from"), "is required") }
        period = try Period(from: from, until: o.optionalDay("until"), field: o.path("from"))
        confidence = try o.enumValue("confidence", Confidence.self)
        let p = try Provenance(from: o)
        sources = p.sources
        synthetic = p.synthetic
        citation = try o.optionalString("citation", maxLength: 2000)
        if sources.isEmpty, citation == nil {
            throw DomainError(.missingField, field: o.path("sources"), "give the source: URLs in sources, or a citation")
        }
        supersedes = try o.optionalID("supersedes")
        note = try o.optionalString("note", maxLength: 4000)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["id": .string(id), "controller": .string(controller), "area": area.json,
                                      "from": .string(period.from?.iso ?? ""), "confidence": .string(confidence.rawValue)]
        if let u = period.until { m["until"] = .string(u.iso) }
        if let citation { m["citation"] = .string(citation) }
        if let supersedes { m["supersedes"] = .string(supersedes) }
        if let note { m["note"] = .string(note) }
        Provenance(sources: sources, synthetic: synthetic).write(into: &m)
        return m
    }
}

/// Whether the party controlling ground is a non-state armed group or the state's own forces.
public enum ControllerKind: String, Sendable, CaseIterable {
    case nonState = "non-state"
    case state
}

/// A site's operating status from a day on (`halted`: capacity offline until a later `operating`).
public struct SiteStatus: Sendable, Hashable {
    public enum Status: String, Sendable, CaseIterable { case operating, halted }
    public var site: String
    public var date: Day
    public var status: Status
    public var reason: String?
    public var sources: [String]

    public init(site: String, date: Day, status: Status, reason: String? = nil, sources: [String] = []) {
        self.site = site; self.date = date; self.status = status; self.reason = reason; self.sources = sources
    }

    public init(json o: JSONObject) throws(DomainError) {
        site = try o.id("site")
        date = try o.day("date")
        status = try o.enumValue("status", Status.self)
        reason = try o.optionalString("reason", maxLength: 2000)
        sources = try Provenance(from: o).sources
    }

    public var key: String { "status:\(site):\(date.iso)" }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["site": .string(site), "date": .string(date.iso), "status": .string(status.rawValue)]
        if let reason { m["reason"] = .string(reason) }
        Provenance(sources: sources).write(into: &m)
        return m
    }
}
