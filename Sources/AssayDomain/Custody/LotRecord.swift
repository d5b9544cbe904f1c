/// A share of a lot's mass that came from one origin site (and the title covering it, when one did).
public struct OriginShare: Sendable, Hashable {
    public var site: String
    /// The title in force at the site when the material was extracted; nil when none was registered
    /// (an untraced origin).
    public var concession: String?
    /// 0…1; a lot's shares add up to 1.
    public var share: Double

    public init(site: String, concession: String?, share: Double) { self.site = site; self.concession = concession; self.share = share }

    /// Mixes the origins of several inputs in proportion to the mass each contributes, merging equal
    /// (site, title) pairs; the result is sorted by share, largest first, then by site.
    public static func mix(_ parts: [(origins: [OriginShare], weight: Double)]) -> [OriginShare] {
        let total = parts.reduce(0) { $0 + $1.weight }
        guard total > 0 else { return [] }
        var acc: [String: OriginShare] = [:]
        for part in parts {
            for o in part.origins {
                let key = o.site + "\u{0}" + (o.concession ?? "")
                acc[key, default: OriginShare(site: o.site, concession: o.concession, share: 0)].share += o.share * part.weight / total
            }
        }
        return acc.values.sorted { $0.share != $1.share ? $0.share > $1.share : ($0.site, $0.concession ?? "") < ($1.site, $1.concession ?? "") }
    }
}

/// A lot as the projections hold it: what it is, who holds it, where it is and where it came from.
public struct LotRecord: Sendable, Hashable {
    public var id: String
    public var mineral: Mineral
    public var form: ProductForm
    public var mass: Mass
    public var grade: Percent?
    public var moisture: Percent?
    public var holder: String
    /// A transfer or export waiting for the receiver: who must accept, and the event offering it.
    public var pendingTo: String?
    public var pendingEvent: String?
    /// The event that used the lot up (processing, split, blend).
    public var consumedBy: String?
    /// The site where the lot is.
    public var location: String?
    /// Still at its extraction site with the royalty not yet due.
    public var atOrigin: Bool
    public var exportedTo: String?
    public var received: Bool
    public var createdBy: String
    public var created: Timestamp
    /// The latest event time along the lot.
    public var lastTime: Timestamp
    public var origins: [OriginShare]

    public init(id: String, mineral: Mineral, form: ProductForm, mass: Mass, grade: Percent? = nil, moisture: Percent? = nil,
                holder: String, pendingTo: String? = nil, pendingEvent: String? = nil, consumedBy: String? = nil,
                location: String? = nil, atOrigin: Bool = false, exportedTo: String? = nil, received: Bool = false,
                createdBy: String, created: Timestamp, lastTime: Timestamp, origins: [OriginShare]) {
        self.id = id; self.mineral = mineral; self.form = form; self.mass = mass; self.grade = grade; self.moisture = moisture
        self.holder = holder; self.pendingTo = pendingTo; self.pendingEvent = pendingEvent; self.consumedBy = consumedBy
        self.location = location; self.atOrigin = atOrigin; self.exportedTo = exportedTo; self.received = received
        self.createdBy = createdBy; self.created = created; self.lastTime = lastTime; self.origins = origins
    }

    /// The metal the lot contains: its mass times its grade, or its whole mass when no grade is declared.
    public var containedGrams: Int64 {
        guard let grade else { return mass.grams }
        return mass.grams * grade.basisPoints / 10_000
    }

    public var status: String {
        if consumedBy != nil { return "consumed" }
        if received { return "received" }
        if exportedTo != nil { return "exported" }
        if pendingTo != nil { return "in-transfer" }
        return "held"
    }

    public var json: JSONValue {
        var m: [String: JSONValue] = [
            "id": .string(id), "mineral": .string(mineral.rawValue), "form": .string(form.rawValue), "massKg": .string(mass.kilogramText),
            "holder": .string(holder), "status": .string(status), "atOrigin": .bool(atOrigin), "createdBy": .string(createdBy),
            "created": .string(created.iso), "lastTime": .string(lastTime.iso),
        ]
        if let grade { m["grade"] = .string(grade.text) }
        if let moisture { m["moisture"] = .string(moisture.text) }
        if let pendingTo { m["pendingTo"] = .string(pendingTo) }
        if let pendingEvent { m["pendingEvent"] = .string(pendingEvent) }
        if let consumedBy { m["consumedBy"] = .string(consumedBy) }
        if let location { m["location"] = .string(location) }
        if let exportedTo { m["exportedTo"] = .string(exportedTo) }
        return .object(m)
    }
}

/// How severe a flag is.
public enum FlagSeverity: String, Sendable, CaseIterable, Comparable {
    case low, medium, high
    public static func < (a: FlagSeverity, b: FlagSeverity) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// Something accepted but wrong-looking: a stable rule id, the lot and event it concerns, the evidence
/// (the numbers the rule compared) and a sentence saying what was found.
public struct CustodyFlag: Sendable, Hashable {
    /// Stable rule ids; documented in the README.
    public enum Rule: String, Sendable, CaseIterable {
        case massGain = "custody.mass-gain"
        case siteOverCapacity = "custody.site-over-capacity"
        case exportExceedsReceipts = "custody.export-exceeds-receipts"
        case timeOutOfOrder = "custody.time-out-of-order"
        case untraceableExportToNeighbour = "custody.untraceable-export-to-neighbour"
        case mineralNotListedAtSite = "custody.mineral-not-listed-at-site"

        public var severity: FlagSeverity {
            switch self {
            case .massGain, .siteOverCapacity, .exportExceedsReceipts, .untraceableExportToNeighbour: .high
            case .mineralNotListedAtSite: .medium
            case .timeOutOfOrder: .low
            }
        }
    }

    public var rule: Rule
    public var lot: String
    public var event: String
    public var time: Timestamp
    public var explanation: String
    public var evidence: [String: String]

    public init(rule: Rule, lot: String, event: String, time: Timestamp, explanation: String, evidence: [String: String]) {
        self.rule = rule; self.lot = lot; self.event = event; self.time = time; self.explanation = explanation; self.evidence = evidence
    }

    public var json: JSONValue {
        .object(["rule": .string(rule.rawValue), "severity": .string(rule.severity.rawValue), "lot": .string(lot), "event": .string(event),
                 "time": .string(time.iso), "explanation": .string(explanation),
                 "evidence": .object(evidence.mapValues { .string($0) })])
    }
}

/// What a royalty is computed on: a lot leaving its extraction site (Mining Code art. 241), with who
/// owes it, from where, and the metal it contains.
public struct RoyaltyBasis: Sendable, Hashable {
    public var lot: String
    public var event: String
    public var day: Day
    public var payer: String
    public var site: String
    public var concession: String?
    public var mineral: Mineral
    public var containedGrams: Int64

    public init(lot: String, event: String, day: Day, payer: String, site: String, concession: String?, mineral: Mineral, containedGrams: Int64) {
        self.lot = lot; self.event = event; self.day = day; self.payer = payer; self.site = site; self.concession = concession
        self.mineral = mineral; self.containedGrams = containedGrams
    }
}

/// Everything a validated custody event changes, worked out by the validator so the store only writes it.
public struct CustodyEffect: Sendable {
    public var event: SignedCustodyEvent
    /// SHA-256 (hex) of the event's canonical bytes: what makes a resubmission identical.
    public var eventHash = ""
    /// The lots as they stand after the event: new ones and changed ones.
    public var lots: [LotRecord] = []
    public var newLotIDs: Set<String> = []
    public var edges: [(parent: String, child: String, grams: Int64)] = []
    public var tags: [(tag: String, lot: String)] = []
    public var royalties: [RoyaltyBasis] = []
    public var siteOutput: (site: String, mineral: Mineral, year: Int, mass: Mass)?
    public var flows: [(party: String, mineral: Mineral, received: Mass, exported: Mass)] = []
    public var flags: [CustodyFlag] = []

    public init(event: SignedCustodyEvent) { self.event = event }
}
