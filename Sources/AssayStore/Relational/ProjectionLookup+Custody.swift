import AssayDomain
import Foundation

extension ProjectionLookup {
    func site(_ id: String) throws -> Site? {
        if let memo = cache.batch, let hit = memo.sites[id] { return hit }
        let site = try readSite(id)
        cache.batch?.sites[id] = .some(site)
        return site
    }

    private func readSite(_ id: String) throws -> Site? {
        // Sites can be updated: the cached parse is used only while the row's text is the one parsed.
        guard let json = try db.value(String.self, "SELECT json FROM site WHERE id = ?", [id]) else { return nil }
        if let hit = cache.shared.sites.withLock({ $0[id] }), hit.json == json { return hit.site }
        let site = try Site(json: JSONObject(JSONParser.parse(json), path: ""))
        cache.shared.remember(cache.shared.sites, id, (json, site))
        return site
    }

    func titles(atSite site: String) throws -> [TitleAtSite] {
        if let hit = cache.batch?.titles[site] { return hit }
        let titles = try readTitles(atSite: site)
        cache.batch?.titles[site] = titles
        return titles
    }

    private func readTitles(atSite site: String) throws -> [TitleAtSite] {
        // Only status and dates: read with SQLite's JSON functions, not by parsing the whole title (its cells).
        let s = ("""
            SELECT c.id, c.status, \(db.dialect.jsonText("c.json", "granted")), \(db.dialect.jsonText("c.json", "expires"))
            FROM title_site t JOIN concession c ON c.id = t.concession WHERE t.site = ? ORDER BY c.id
            """)
        return try db.rows(s, [site]).map { r in
            let id: String = try r[0]
            guard let status = ConcessionStatus(rawValue: try r[1]) else { throw StoreCorruption(table: "concession", key: id, reason: "unknown status") }
            let granted: String? = try r[2], expires: String? = try r[3]
            return TitleAtSite(id: id, status: status, granted: try granted.map { try Day(iso: $0) }, expires: try expires.map { try Day(iso: $0) })
        }
    }

    func operatorKey(_ id: String) throws -> OperatorKey? {
        if let memo = cache.batch, let hit = memo.keys[id] { return hit }
        let key = try readOperatorKey(id)
        cache.batch?.keys[id] = .some(key)
        return key
    }

    private func readOperatorKey(_ id: String) throws -> OperatorKey? {
        guard let row = try db.row("SELECT seq, revoked FROM operator_key WHERE id = ?", [id]) else { return nil }
        let seq: Int64 = try row[0], revoked: String? = try row[1]
        if let hit = cache.shared.keys.withLock({ $0[id] }), hit.seq == seq, hit.revoked == revoked { return hit.key }
        guard let json = try db.value(String.self, "SELECT json FROM operator_key WHERE id = ?", [id]) else { return nil }
        var k = try OperatorKey(json: JSONObject(JSONParser.parse(json), path: ""))
        if let revoked { k.revokedAt = try Timestamp(iso: revoked, field: "revoked") }
        cache.shared.remember(cache.shared.keys, id, (seq, revoked, k))
        return k
    }

    func lot(_ id: String) throws -> LotRecord? {
        if let memo = cache.batch, let hit = memo.lots[id] { return hit }
        return try db.row("SELECT \(ProjectionLookup.lotColumns) FROM lot WHERE id = ?", [id]).map(ProjectionLookup.lotRecord)
    }

    func tagOwner(_ tag: String) throws -> String? {
        if let memo = cache.batch, let lot = memo.lots[tag] {
            if lot != nil { return tag }
            if let owner = memo.tags[tag] { return owner }
        }
        if try db.value(String.self, "SELECT id FROM lot WHERE id = ?", [tag]) != nil { return tag }
        return try db.value(String.self, "SELECT lot FROM lot_tag WHERE tag = ?", [tag])
    }

    func custodyEvent(_ id: String) throws -> (sequence: Int64, hash: String)? {
        if let memo = cache.batch, let hit = memo.events[id] { return hit }
        return try db.row("SELECT seq, hash FROM custody_event WHERE id = ?", [id]).map { (try $0[0], try $0[1]) }
    }

    func siteOutput(site: String, mineral: Mineral, year: Int) throws -> Mass {
        let key = BatchMemo.SiteYear(site: site, mineral: mineral, year: year)
        if let memo = cache.batch, memo.overlay, let grams = memo.siteOutput[key] { return Mass(grams: grams) }
        let grams = try db.value(Int64.self, "SELECT grams FROM site_output WHERE site = ? AND mineral = ? AND year = ?", [site, mineral.rawValue, year]) ?? 0
        if let memo = cache.batch, memo.overlay { memo.siteOutput[key] = grams }
        return Mass(grams: grams)
    }

    func partyFlow(party: String, mineral: Mineral) throws -> (received: Mass, exported: Mass) {
        let key = BatchMemo.PartyMineral(party: party, mineral: mineral)
        if let memo = cache.batch, memo.overlay, let f = memo.flows[key] { return (Mass(grams: f.received), Mass(grams: f.exported)) }
        var flow: (received: Int64, exported: Int64) = (0, 0)
        if let row = try db.row("SELECT received_g, exported_g FROM party_flow WHERE party = ? AND mineral = ?", [party, mineral.rawValue]) {
            flow = (try row[0], try row[1])
        }
        if let memo = cache.batch, memo.overlay { memo.flows[key] = flow }
        return (Mass(grams: flow.received), Mass(grams: flow.exported))
    }

    func custodyPolicy() throws -> CustodyPolicy {
        if let cached = cache.policy ?? cache.batch?.policy { return cached }
        let policy = try readCustodyPolicy()
        cache.batch?.policy = policy
        return policy
    }

    private func readCustodyPolicy() throws -> CustodyPolicy {
        if let cached = cache.policy { return cached }
        guard let seq = try db.value(Int64.self, "SELECT seq FROM custody_policy WHERE id = 1") else {
            cache.policy = .default
            return .default
        }
        if let hit = cache.shared.policy.withLock({ $0 }), hit.seq == seq { cache.policy = hit.policy; return hit.policy }
        let p = try db.value(String.self, "SELECT json FROM custody_policy WHERE id = 1")
            .map { try CustodyPolicy(json: JSONObject(JSONParser.parse($0), path: "")) } ?? .default
        cache.shared.policy.withLock { $0 = (seq, p) }
        cache.policy = p
        return p
    }

    func priceRecorded(mineral: Mineral, day: Day) throws -> Bool {
        try db.value(Int.self, "SELECT 1 FROM price WHERE mineral = ? AND day = ?", [mineral.rawValue, day.ordinal]) != nil
    }

    func paymentRecorded(_ id: String) throws -> Bool {
        try db.value(Int.self, "SELECT 1 FROM payment WHERE id = ?", [id]) != nil
    }

    func partyKind(_ id: String) throws -> PartyKind? {
        try db.value(String.self, "SELECT kind FROM party WHERE id = ?", [id]).flatMap(PartyKind.init(rawValue:))
    }

    func controlAssessment(_ id: String) throws -> (controller: String, supersededBy: String?)? {
        try db.row("SELECT controller, superseded_by FROM control_assessment WHERE id = ?", [id])
            .map { (try $0[0], try $0[1]) }
    }

    func siteVisitRecorded(_ id: String) throws -> Bool {
        try db.value(Int.self, "SELECT 1 FROM site_visit WHERE id = ?", [id]) != nil
    }

    func conflictEventRecorded(_ id: String) throws -> Bool {
        try db.value(Int.self, "SELECT 1 FROM conflict_event WHERE id = ?", [id]) != nil
    }

    func siteStatusRecorded(site: String, day: Day) throws -> Bool {
        try db.value(Int.self, "SELECT 1 FROM site_status WHERE site = ? AND day = ?", [site, day.ordinal]) != nil
    }

    static let lotColumns = """
        id, mineral, form, mass_g, grade_bp, moisture_bp, holder, pending_to, pending_event, consumed_by, location, at_origin,
        exported_to, received, created_by, created, last_time, origins
        """

    /// Reads a lot row selected with ``lotColumns`` (by position).
    static func lotRecord(_ row: SQLRow) throws -> LotRecord {
        let id: String = try row[0]
        guard let mineral = Mineral(rawValue: try row[1]), let form = ProductForm(rawValue: try row[2]) else {
            throw StoreCorruption(table: "lot", key: id, reason: "unreadable mineral or form")
        }
        let grade: Int64? = try row[4], moisture: Int64? = try row[5]
        return LotRecord(id: id, mineral: mineral, form: form, mass: Mass(grams: try row[3]), grade: grade.map(Percent.init(basisPoints:)),
                         moisture: moisture.map(Percent.init(basisPoints:)), holder: try row[6], pendingTo: try row[7], pendingEvent: try row[8],
                         consumedBy: try row[9], location: try row[10], atOrigin: (try row[11] as Int64) != 0, exportedTo: try row[12],
                         received: (try row[13] as Int64) != 0, createdBy: try row[14], created: Timestamp(milliseconds: try row[15]),
                         lastTime: Timestamp(milliseconds: try row[16]), origins: decodeOrigins(try row[17]))
    }

    /// Origins as `site|title|share;…` (ids never hold `|` or `;`): compact, and the same text on replay.
    static func encodeOrigins(_ origins: [OriginShare]) -> String {
        // Double's description is the shortest text that reads back to the same value: exact and repeatable.
        origins.map { "\($0.site)|\($0.concession ?? "")|\($0.share.description)" }.joined(separator: ";")
    }

    static func decodeOrigins(_ text: String) -> [OriginShare] {
        text.split(separator: ";").compactMap { part in
            let f = part.split(separator: "|", omittingEmptySubsequences: false)
            guard f.count == 3, let share = Double(f[2]) else { return nil }
            return OriginShare(site: String(f[0]), concession: f[1].isEmpty ? nil : String(f[1]), share: share)
        }
    }
}

extension Projector {
    /// Writes what a custody event changes.
    func applyCustody(_ fx: CustodyEffect, sequence seq: Int64, commandJSON: String) throws {
        func exec(_ sql: String, _ args: SQLArguments) throws { try db.execute(sql, args) }
        let e = fx.event.event
        let hash = fx.eventHash.isEmpty ? SHA256Hex.of(fx.event.signedBytes) : fx.eventHash
        defer { cache.batch?.wrote(fx, sequence: seq, hash: hash) }
        try exec("INSERT INTO custody_event(id, seq, kind, time, party, key, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 [e.id, seq, e.kind.rawValue, e.time.iso, e.party, e.key, hash])
        // Each lot row keeps the entries of the events along it (`events`), appended on every event.
        let upsert = ("""
            INSERT INTO lot(\(ProjectionLookup.lotColumns), events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT(id) DO UPDATE SET mass_g = excluded.mass_g, grade_bp = excluded.grade_bp, moisture_bp = excluded.moisture_bp,
                holder = excluded.holder, pending_to = excluded.pending_to, pending_event = excluded.pending_event,
                consumed_by = excluded.consumed_by, location = excluded.location, at_origin = excluded.at_origin,
                exported_to = excluded.exported_to, received = excluded.received, last_time = excluded.last_time,
                events = lot.events || ',' || excluded.events
            """)
        for lot in fx.lots {
            try db.execute(upsert, [lot.id, lot.mineral.rawValue, lot.form.rawValue, lot.mass.grams, lot.grade?.basisPoints,
                                           lot.moisture?.basisPoints, lot.holder, lot.pendingTo, lot.pendingEvent, lot.consumedBy,
                                           lot.location, lot.atOrigin ? 1 : 0, lot.exportedTo, lot.received ? 1 : 0, lot.createdBy,
                                           lot.created.milliseconds, lot.lastTime.milliseconds, ProjectionLookup.encodeOrigins(lot.origins), String(seq)])
        }
        // Where lots passed, for route screening: transport destinations, export crossings, receipt sites.
        switch e.body {
        case .transport(let lot, _, let to): try exec("INSERT INTO lot_route(lot, seq, site, time) VALUES (?, ?, ?, ?)", [lot, seq, to, e.time.milliseconds])
        case .export(let lot, let crossing, _, _, _, _):
            try exec("INSERT INTO lot_route(lot, seq, site, time) VALUES (?, ?, ?, ?)", [lot, seq, crossing, e.time.milliseconds])
        case .receipt(let lot, let site?): try exec("INSERT INTO lot_route(lot, seq, site, time) VALUES (?, ?, ?, ?)", [lot, seq, site, e.time.milliseconds])
        default: break
        }
        for t in fx.tags where t.tag != t.lot { try exec("INSERT INTO lot_tag(tag, lot) VALUES (?, ?)", [t.tag, t.lot]) }
        for edge in fx.edges { try exec("INSERT INTO lot_edge(parent, child, event, grams) VALUES (?, ?, ?, ?)", [edge.parent, edge.child, e.id, edge.grams]) }
        for f in fx.flags {
            try exec("INSERT INTO custody_flag(event, lot, rule, severity, time, explanation, evidence) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     [f.event, f.lot, f.rule.rawValue, f.rule.severity.rawValue, f.time.iso, f.explanation,
                      CanonicalJSON.string(.object(f.evidence.mapValues { .string($0) }))])
        }
        for r in fx.royalties {
            try exec("INSERT INTO royalty_basis(lot, event, day, payer, site, concession, mineral, contained_g) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                     [r.lot, r.event, r.day.ordinal, r.payer, r.site, r.concession, r.mineral.rawValue, r.containedGrams])
        }
        if let o = fx.siteOutput {
            try exec("""
                INSERT INTO site_output(site, mineral, year, grams) VALUES (?, ?, ?, ?)
                ON CONFLICT(site, mineral, year) DO UPDATE SET grams = site_output.grams + excluded.grams
                """, [o.site, o.mineral.rawValue, o.year, o.mass.grams])
        }
        for f in fx.flows {
            try exec("""
                INSERT INTO party_flow(party, mineral, received_g, exported_g) VALUES (?, ?, ?, ?)
                ON CONFLICT(party, mineral) DO UPDATE SET received_g = party_flow.received_g + excluded.received_g, exported_g = party_flow.exported_g + excluded.exported_g
                """, [f.party, f.mineral.rawValue, f.received.grams, f.exported.grams])
        }
    }
}
