import AssayDomain
import Foundation

/// What risk screening reads, as of one published log size.
public struct RiskInputs: Sendable {
    public var size: Int
    public var map: ControlMap
    public var context: RiskContext
    public var siteCells: [String: UInt32]
    public var statuses: [String: [SiteStatus]]
}

extension RelationalStore {
    /// The current control map (unsuperseded assessments), visits, conflict events, site cells and
    /// statuses; cached until the log grows, so re-screening after a new assessment is automatic.
    public func riskInputs() async throws -> RiskInputs {
        let size = log.withLock { $0.publishedSize }
        // Kept while no published entry changes what risk reads (see ``viewGenerations()``).
        let generation = try await viewGenerations().risk
        let task = riskCache.withLock { cache -> Task<RiskInputs, any Error> in
            if let cache, cache.generation == generation { return cache.task }
            let t = Task { try await self.loadRiskInputs(size: size) }
            cache = (generation, t)
            return t
        }
        do { return try await task.value } catch {
            riskCache.withLock { cache in if cache?.task == task { cache = nil } }
            throw error
        }
    }

    func loadRiskInputs(size: Int) async throws -> RiskInputs {
        let engine = self.engine
        return try await engine.read { db -> RiskInputs in
            var entries: [ControlEntry] = []
            for r in try db.rows("""
                SELECT c.id, c.controller, c.kind, c.from_day, c.until_day, c.confidence, c.cells, c.seq, c.json, j.time
                FROM control_assessment c JOIN journal j ON j.seq = c.seq WHERE c.superseded_by IS NULL ORDER BY c.id
                """) {
                let id: String = try r[0]
                guard let kind = ControllerKind(rawValue: try r[2]), let conf = Confidence(rawValue: try r[5]), let cells = CellSet(blob: try r[6] as Data) else {
                    throw StoreCorruption(table: "control_assessment", key: id, reason: "unreadable row")
                }
                let a = try ControlAssessment(json: JSONObject(JSONParser.parse(r[8] as String), path: ""))
                let from: Int32 = try r[3], until: Int32? = try r[4]
                let recorded = try Timestamp(iso: r[9], field: "time").day
                entries.append(ControlEntry(id: id, controller: try r[1], kind: kind,
                                            period: try Period(from: Day(ordinal: from), until: until.map(Day.init(ordinal:))),
                                            confidence: conf, sources: a.sources, citation: a.citation, recordedSequence: try r[7],
                                            recordedDay: recorded, cells: cells))
            }
            var visits: [String: [SiteVisit]] = [:]
            for json in try db.values(String.self, "SELECT json FROM site_visit ORDER BY site, day") {
                let v = try SiteVisit(json: JSONObject(JSONParser.parse(json), path: ""))
                visits[v.site, default: []].append(v)
            }
            let conflicts = try db.values(String.self, "SELECT json FROM conflict_event ORDER BY day, id").map {
                try ConflictEvent(json: JSONObject(JSONParser.parse($0), path: ""))
            }
            var cells: [String: UInt32] = [:]
            for r in try db.rows("SELECT id, cell FROM site") { cells[try r[0]] = UInt32(try r[1] as Int64) }
            var statuses: [String: [SiteStatus]] = [:]
            for json in try db.values(String.self, "SELECT json FROM site_status ORDER BY site, day") {
                let st = try SiteStatus(json: JSONObject(JSONParser.parse(json), path: ""))
                statuses[st.site, default: []].append(st)
            }
            return RiskInputs(size: size, map: ControlMap(entries), context: RiskContext(visits: visits, conflicts: conflicts),
                              siteCells: cells, statuses: statuses)
        }
    }

    /// Who held a cell on a day, by the current assessments.
    public func control(cell: UInt32, on day: Day) async throws -> [ControlEntry] {
        try await riskInputs().map.holders(cell: cell, on: day)
    }

    /// What screening needs of a lot: its origin extractions (site, day) and route points, through
    /// every ancestor.
    public func screenLot(_ idOrTag: String) async throws -> ScreenLot? {
        let inputs = try await riskInputs()
        return try await engine.read { db in try RelationalStore.screenLot(db, idOrTag, inputs: inputs) }
    }

    /// The red flags of each of these lots (ids or tags), screened now, read in one transaction (one
    /// read a lot, each on its own trip to the database, was most of a page of the all-lots report).
    public func lotRisks(_ ids: [String]) async throws -> [(lot: String, flags: [RiskFlag])] {
        let inputs = try await riskInputs()
        let screens = try await engine.read { db in try RelationalStore.screenLots(db, ids, inputs: inputs) }
        return screens.map { ($0.lot, RiskScreener.screen($0, map: inputs.map, context: inputs.context)) }
    }

    static func screenLot(_ db: any SQLConnection, _ idOrTag: String, inputs: RiskInputs) throws -> ScreenLot? {
        guard let id = try ProjectionLookup(db: db).tagOwner(idOrTag) else { return nil }
        return try screenLots(db, [id], inputs: inputs).first
    }

    /// What risk screening needs of each lot (ids, not tags; unknown ids are left out): the sites and
    /// days where it and its ancestors (up to 64 steps, nearest first, then by id) were extracted, and
    /// the route they took. Read for all the lots at once, a few queries a level of ancestry rather than
    /// several a lot (a page of 100 lots took 600 queries).
    static func screenLots(_ db: any SQLConnection, _ ids: [String], inputs: RiskInputs) throws -> [ScreenLot] {
        var lots: [String: LotRecord] = [:]
        func load(_ wanted: [String]) throws {
            for r in try db.rows(forEachOf: wanted.filter({ lots[$0] == nil }), { "SELECT \(ProjectionLookup.lotColumns) FROM lot WHERE id IN (\($0))" }) {
                let lot = try ProjectionLookup.lotRecord(r)
                lots[lot.id] = lot
            }
        }
        try load(Array(Set(ids)))
        let roots = ids.filter { lots[$0] != nil }
        // Ancestors level by level for every lot at once (breadth first: each at its nearest depth).
        var ancestors: [String: [String]] = [:]
        var seen: [String: Set<String>] = Dictionary(roots.map { ($0, [$0]) }, uniquingKeysWith: { a, _ in a })
        var frontier: [String: Set<String>] = Dictionary(roots.map { ($0, [$0]) }, uniquingKeysWith: { a, b in a.union(b) })
        for _ in 1...64 where !frontier.isEmpty {
            var next: [String: Set<String>] = [:]
            var found: [String: Set<String>] = [:]
            for r in try db.rows(forEachOf: frontier.keys, { "SELECT child, parent FROM lot_edge WHERE child IN (\($0))" }) {
                let child: String = try r[0], parent: String = try r[1]
                for root in frontier[child] ?? [] where !(seen[root]?.contains(parent) ?? true) {
                    found[root, default: []].insert(parent)
                    next[parent, default: []].insert(root)
                }
            }
            for (root, parents) in found {
                seen[root, default: []].formUnion(parents)
                ancestors[root, default: []] += parents.sorted()
            }
            frontier = next
        }
        let family = Set(roots).union(ancestors.values.joined())
        try load(Array(family))
        var kinds: [String: String] = [:]
        for r in try db.rows(forEachOf: Set(family.compactMap { lots[$0]?.createdBy }), { "SELECT id, kind FROM custody_event WHERE id IN (\($0))" }) {
            kinds[try r[0]] = try r[1]
        }
        var routes: [String: [(site: String, time: Int64)]] = [:]
        for r in try db.rows(forEachOf: family, { "SELECT lot, site, time FROM lot_route WHERE lot IN (\($0)) ORDER BY lot, seq" }) {
            routes[try r[0], default: []].append((try r[1], try r[2]))
        }
        return roots.map { id in
            var origins: [(site: String, cell: UInt32, day: Day)] = []
            var route: [(site: String, cell: UInt32, day: Day)] = []
            for l in [id] + (ancestors[id] ?? []) {
                guard let lot = lots[l] else { continue }
                if kinds[lot.createdBy] == CustodyEventKind.extraction.rawValue, let site = lot.origins.first?.site, let cell = inputs.siteCells[site] {
                    origins.append((site, cell, lot.created.day))
                }
                for r in routes[l] ?? [] {
                    if let cell = inputs.siteCells[r.site] { route.append((r.site, cell, Timestamp(milliseconds: r.time).day)) }
                }
            }
            return ScreenLot(lot: id, origins: origins, route: route)
        }
    }

    /// The OECD red flags of a lot, screened now against everything the registry knows.
    public func lotRisk(_ idOrTag: String) async throws -> [RiskFlag]? {
        guard let s = try await screenLot(idOrTag) else { return nil }
        let inputs = try await riskInputs()
        return RiskScreener.screen(s, map: inputs.map, context: inputs.context)
    }

    /// A site's red flags on `day`: who held its ground, what its latest visit found, conflict nearby;
    /// and every non-state control period over its ground (its timeline).
    public func siteRisk(_ site: String, on day: Day) async throws -> (flags: [RiskFlag], timeline: [ControlEntry])? {
        let inputs = try await riskInputs()
        guard let cell = inputs.siteCells[site] else { return nil }
        var flags: [RiskFlag] = []
        if let e = inputs.map.nonStateHolder(cell: cell, on: day) {
            flags.append(RiskFlag(rule: .originNonStateControl, subject: site,
                                  explanation: "\(site) is on ground held by \(e.controller) on \(day.iso) — assessment \(e.id) (\(e.confidence.rawValue) confidence)",
                                  evidence: ["site": site, "day": day.iso, "controller": e.controller, "assessment": e.id, "confidence": e.confidence.rawValue, "source": e.sourceText], window: e.period, cause: e.id, since: e.recordedDay))
        }
        flags += RiskScreener.visitFlags(subject: site, site: site, day: day, context: inputs.context)
        flags += RiskScreener.conflictFlags(subject: site, site: site, cell: cell, day: day, context: inputs.context)
        let timeline = inputs.map.entries(covering: cell).sorted { ($0.period.from ?? Day(ordinal: 0)) < ($1.period.from ?? Day(ordinal: 0)) }
        return (flags, timeline)
    }

    /// The control changes ACLED-format events propose, for review.
    public func controlProposals() async throws -> [JSONValue] {
        try await engine.read { db in
            try db.rows("SELECT event, kind, day, actor, latitude, longitude, location FROM control_proposal ORDER BY day, event").map { r in
                var m: [String: JSONValue] = ["event": .string(try r[0]), "kind": .string(try r[1]), "date": .string(Day(ordinal: try r[2]).iso),
                                              "actor": .string(try r[3]), "latitude": .string(try r[4]), "longitude": .string(try r[5]), "status": "proposed"]
                if let loc: String = try r[6] { m["location"] = .string(loc) }
                return .object(m)
            }
        }
    }

    /// Supply at risk per mineral by month, from `from` for `months` months.
    public func supplyRisk(from: Day, months: Int) async throws -> [Mineral: [SupplyPoint]] {
        let inputs = try await riskInputs()
        let sites = try await registry().sites.compactMap { s -> SupplySite? in
            guard !s.capacities.isEmpty, let cell = inputs.siteCells[s.id] else { return nil }
            return SupplySite(id: s.id, cell: cell, capacities: s.capacities.mapValues { NSDecimalNumber(decimal: $0).doubleValue })
        }
        return SupplyRisk.monthly(sites: sites, statuses: inputs.statuses, map: inputs.map, from: from, months: months)
    }
}

extension RelationalStore {
    /// Registered sites by their outside key (IPIS `pcode`), lower-cased.
    public func sitesByExternalID() async throws -> [String: String] {
        try await engine.read { db in
            try db.rows("SELECT id, \(db.dialect.jsonText("json", "externalId")) FROM site WHERE \(db.dialect.jsonText("json", "externalId")) IS NOT NULL")
                .reduce(into: [String: String]()) { $0[(try $1[1] as String).lowercased()] = try $1[0] }
        }
    }

    public func recordedVisitIDs() async throws -> Set<String> {
        try await engine.read { db in Set(try db.values(String.self, "SELECT id FROM site_visit")) }
    }

    public func recordedConflictIDs() async throws -> Set<String> {
        try await engine.read { db in Set(try db.values(String.self, "SELECT id FROM conflict_event")) }
    }
}
