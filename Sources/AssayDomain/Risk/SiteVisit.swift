import Foundation

/// What an armed actor was seen doing at a site (IPIS's per-group columns).
public enum ArmedActivity: String, Sendable, CaseIterable {
    case taxation, commerceTaxation = "commerce-taxation", entranceTaxation = "entrance-taxation", monopoly
    case buyingMinerals = "buying-minerals", digging, forcedLabour = "forced-labour", pillaging, pitOwnership = "pit-ownership"

    /// The IPIS column prefix for this activity (`taxation_armed_group1`, …).
    public var ipisPrefix: String {
        switch self {
        case .taxation: "taxation_"; case .commerceTaxation: "commerce_taxation_"; case .entranceTaxation: "entrance_taxation_"
        case .monopoly: "monopoly_"; case .buyingMinerals: "buying_minerals_"; case .digging: "digging_"
        case .forcedLabour: "forced_labour_"; case .pillaging: "pillaging_"; case .pitOwnership: "pit_ownership_"
        }
    }
}

/// An armed actor present at a site on a visit: its name, its type as IPIS writes it ("Groupe armé
/// local", "FARDC - Éléments indisciplinés", …) and what it did there.
public struct ArmedPresence: Sendable, Hashable {
    public var name: String
    public var type: String
    public var activities: Set<ArmedActivity>

    public init(name: String, type: String, activities: Set<ArmedActivity>) { self.name = name; self.type = type; self.activities = activities }

    /// IPIS types that name a non-state armed group.
    public var isNonState: Bool {
        let t = type.lowercased()
        return t.hasPrefix("groupe armé") || t.hasPrefix("groupe arme") || t.contains("non-state")
    }

    /// State forces (army, police) as IPIS types them.
    public var isStateForces: Bool {
        let t = type.lowercased() + " " + name.lowercased()
        return t.contains("fardc") || t.contains("police") || t.contains("pnc")
    }

    var json: JSONValue {
        var m: [String: JSONValue] = ["name": .string(name), "activities": .array(activities.map(\.rawValue).sorted().map { .string($0) })]
        // No type is written as none: `"type":""` would not read back (an empty string is refused).
        if !type.isEmpty { m["type"] = .string(type) }
        return .object(m)
    }

    init(json o: JSONObject) throws(DomainError) {
        name = try o.string("name", maxLength: 200)
        type = try o.optionalString("type", maxLength: 200) ?? ""
        var acts = Set<ArmedActivity>()
        for (v, p) in try o.array("activities", maxCount: 20) {
            guard case .string(let s) = v, let a = ArmedActivity(rawValue: s) else {
                throw DomainError(.invalidField, field: p, "expected one of: \(ArmedActivity.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            acts.insert(a)
        }
        activities = acts
        try o.rejectUnknown()
    }
}

/// One visit to a site (an IPIS row): minerals, workers, armed actors present and what they did, child
/// labour, mercury, the traceability scheme and the qualification (vert/jaune/rouge).
public struct SiteVisit: Sendable, Hashable {
    public var id: String
    public var site: String
    public var date: Day
    public var source: String?
    public var minerals: MineralSet
    public var workers: Int64?
    public var armed: [ArmedPresence]
    public var childLabour: Bool?
    public var mercury: Bool?
    public var traceability: String?
    public var qualification: String?

    public init(id: String, site: String, date: Day, source: String? = nil, minerals: MineralSet = MineralSet([]), workers: Int64? = nil,
                armed: [ArmedPresence] = [], childLabour: Bool? = nil, mercury: Bool? = nil, traceability: String? = nil, qualification: String? = nil) {
        self.id = id; self.site = site; self.date = date; self.source = source; self.minerals = minerals; self.workers = workers
        self.armed = armed; self.childLabour = childLabour; self.mercury = mercury; self.traceability = traceability; self.qualification = qualification
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        site = try o.id("site")
        date = try o.day("date")
        source = try o.optionalString("source", maxLength: 500)
        minerals = try MineralSet(from: o, "minerals", required: false)
        workers = try o.optionalInt("workers")
        if let w = workers, w < 0 { throw DomainError(.invalidField, field: o.path("workers"), "must not be negative") }
        var armed: [ArmedPresence] = []
        for (v, p) in try o.array("armed", maxCount: 10) { armed.append(try ArmedPresence(json: JSONObject(v, path: p))) }
        self.armed = armed
        childLabour = try o.optionalBool("childLabour")
        mercury = try o.optionalBool("mercury")
        traceability = try o.optionalString("traceability", maxLength: 200)
        qualification = try o.optionalString("qualification", maxLength: 50)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["id": .string(id), "site": .string(site), "date": .string(date.iso)]
        if let source { m["source"] = .string(source) }
        if !minerals.isEmpty { m["minerals"] = minerals.json }
        if let workers { m["workers"] = .int(workers) }
        if !armed.isEmpty { m["armed"] = .array(armed.map(\.json)) }
        if let childLabour { m["childLabour"] = .bool(childLabour) }
        if let mercury { m["mercury"] = .bool(mercury) }
        if let traceability { m["traceability"] = .string(traceability) }
        if let qualification { m["qualification"] = .string(qualification) }
        return m
    }

    /// A non-state armed group is named among the actors present.
    public var nonStateArmed: Bool { armed.contains(where: \.isNonState) }
}

/// A conflict event in ACLED's format (user-supplied: ACLED's licence forbids redistributing its data).
public struct ConflictEvent: Sendable, Hashable {
    public var id: String
    public var date: Day
    public var type: String
    public var subType: String
    public var actor1: String
    public var actor2: String?
    public var admin1: String?
    public var location: String?
    public var latitude: Decimal
    public var longitude: Decimal
    public var geoPrecision: Int64?
    public var fatalities: Int64
    public var source: String?
    public var notes: String?

    public init(id: String, date: Day, type: String, subType: String, actor1: String, actor2: String? = nil, admin1: String? = nil,
                location: String? = nil, latitude: Decimal, longitude: Decimal, geoPrecision: Int64? = nil, fatalities: Int64 = 0,
                source: String? = nil, notes: String? = nil) {
        self.id = id; self.date = date; self.type = type; self.subType = subType; self.actor1 = actor1; self.actor2 = actor2
        self.admin1 = admin1; self.location = location; self.latitude = latitude; self.longitude = longitude
        self.geoPrecision = geoPrecision; self.fatalities = fatalities; self.source = source; self.notes = notes
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.string("id", maxLength: 100)
        date = try o.day("date")
        type = try o.string("eventType", maxLength: 200)
        subType = try o.string("subEventType", maxLength: 200)
        actor1 = try o.string("actor1", maxLength: 300)
        actor2 = try o.optionalString("actor2", maxLength: 300)
        admin1 = try o.optionalString("admin1", maxLength: 200)
        location = try o.optionalString("location", maxLength: 300)
        latitude = try o.decimal("latitude")
        longitude = try o.decimal("longitude")
        guard latitude >= -90, latitude <= 90 else { throw DomainError(.invalidField, field: o.path("latitude"), "must be between -90 and 90") }
        guard longitude >= -180, longitude <= 180 else { throw DomainError(.invalidField, field: o.path("longitude"), "must be between -180 and 180") }
        geoPrecision = try o.optionalInt("geoPrecision")
        fatalities = try o.optionalInt("fatalities") ?? 0
        if fatalities < 0 { throw DomainError(.invalidField, field: o.path("fatalities"), "must not be negative") }
        source = try o.optionalString("source", maxLength: 2000)
        notes = try o.optionalString("notes", maxLength: 8000)
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["id": .string(id), "date": .string(date.iso), "eventType": .string(type), "subEventType": .string(subType),
                                      "actor1": .string(actor1), "latitude": .string(DecimalText.canonical(latitude)),
                                      "longitude": .string(DecimalText.canonical(longitude)), "fatalities": .int(fatalities)]
        if let actor2 { m["actor2"] = .string(actor2) }
        if let admin1 { m["admin1"] = .string(admin1) }
        if let location { m["location"] = .string(location) }
        if let geoPrecision { m["geoPrecision"] = .int(geoPrecision) }
        if let source { m["source"] = .string(source) }
        if let notes { m["notes"] = .string(notes) }
        return m
    }

    /// ACLED's territory sub-events become proposed control changes for review.
    public var proposedControlChange: ControllerKind? {
        switch subType.lowercased() {
        case "non-state actor overtakes territory": .nonState
        case "government regains territory": .state
        default: nil
        }
    }

    /// Battles and violence that raise a nearby site's risk.
    public var isViolent: Bool {
        let t = type.lowercased()
        return t == "battles" || t == "violence against civilians" || t == "explosions/remote violence"
    }

    public var latitudeDegrees: Double { NSDecimalNumber(decimal: latitude).doubleValue }
    public var longitudeDegrees: Double { NSDecimalNumber(decimal: longitude).doubleValue }
}
