import AssayDomain
import Foundation

extension RelationalStore {
    static func flags(_ db: any SQLConnection, event: String) throws -> [CustodyFlag] {
        try db.rows("SELECT event, lot, rule, time, explanation, evidence FROM custody_flag WHERE event = ? ORDER BY lot, rule", [event]).map(flag)
    }

    static func flag(_ row: SQLRow) throws -> CustodyFlag {
        guard let rule = CustodyFlag.Rule(rawValue: try row[2]) else { throw StoreCorruption(table: "custody_flag", key: try row[0], reason: "unknown rule") }
        var evidence: [String: String] = [:]
        if case .object(let m) = try JSONParser.parse(row[5] as String) {
            for (k, v) in m { if case .string(let s) = v { evidence[k] = s } }
        }
        return CustodyFlag(rule: rule, lot: try row[1], event: try row[0], time: try Timestamp(iso: row[3], field: "time"), explanation: try row[4], evidence: evidence)
    }

    /// The lot with this id (or this extra tag).
    public func lot(_ idOrTag: String) async throws -> LotRecord? {
        try await engine.read { db in
            let lookup = ProjectionLookup(db: db)
            guard let id = try lookup.tagOwner(idOrTag) else { return nil }
            return try lookup.lot(id)
        }
    }

    /// Lots by id after `cursor`, optionally only those a party holds or of one mineral.
    public func lots(after cursor: String?, limit: Int, holder: String? = nil, mineral: Mineral? = nil) async throws -> [LotRecord] {
        try await engine.read { db in
            var sql = "SELECT \(ProjectionLookup.lotColumns) FROM lot WHERE id > ?"
            var args: SQLArguments = [cursor ?? ""]
            if let holder { sql += " AND holder = ?"; args += [holder] }
            if let mineral { sql += " AND mineral = ?"; args += [mineral.rawValue] }
            sql += " ORDER BY id LIMIT ?"
            args += [limit]
            return try db.rows(sql, args).map(ProjectionLookup.lotRecord)
        }
    }

    /// Ancestor and descendant lot ids with their distance, up to `maxDepth` steps away (the lineage
    /// query alone, as the benchmark measures it).
    public func lineage(_ id: String, maxDepth: Int = 64) async throws -> (ancestors: [(String, Int)], descendants: [(String, Int)]) {
        try await engine.read { db in try RelationalStore.lineage(db, id, maxDepth: maxDepth) }
    }

    static func lineage(_ db: any SQLConnection, _ id: String, maxDepth: Int) throws -> (ancestors: [(String, Int)], descendants: [(String, Int)]) {
        let up = ("""
            WITH RECURSIVE a(id, depth) AS (
                SELECT ?, 0 UNION SELECT e.parent, a.depth + 1 FROM lot_edge e JOIN a ON e.child = a.id WHERE a.depth < ?)
            SELECT id, MIN(depth) FROM a WHERE depth > 0 GROUP BY id ORDER BY MIN(depth), id
            """)
        let down = ("""
            WITH RECURSIVE d(id, depth) AS (
                SELECT ?, 0 UNION SELECT e.child, d.depth + 1 FROM lot_edge e JOIN d ON e.parent = d.id WHERE d.depth < ?)
            SELECT id, MIN(depth) FROM d WHERE depth > 0 GROUP BY id ORDER BY MIN(depth), id
            """)
        let ancestors = try db.rows(up, [id, maxDepth]).map { (try $0[0] as String, try $0[1] as Int) }
        let descendants = try db.rows(down, [id, maxDepth]).map { (try $0[0] as String, try $0[1] as Int) }
        return (ancestors, descendants)
    }

    /// The origin breakdown of a lot: shares of its mass by origin site and title, with their names.
    public func origins(_ id: String) async throws -> (lot: LotRecord, names: [String: String])? {
        try await engine.read { db in
            guard let lot = try ProjectionLookup(db: db).lot(id) else { return nil }
            return (lot, try RelationalStore.names(db, ids: Set(lot.origins.flatMap { [$0.site] + ($0.concession.map { [$0] } ?? []) })))
        }
    }

    static func names(_ db: any SQLConnection, ids: Set<String>) throws -> [String: String] {
        var out: [String: String] = [:]
        let site = ("SELECT name FROM site WHERE id = ?")
        let title = ("SELECT code FROM concession WHERE id = ?")
        let party = ("SELECT name FROM party WHERE id = ?")
        for id in ids {
            if let n = try db.value(String.self, site, [id]) ?? db.value(String.self, title, [id]) ?? db.value(String.self, party, [id]) {
                out[id] = n
            }
        }
        return out
    }

    /// The whole trace of a lot: lineage, origins, the custody chain with every signature checked again
    /// against the registered key, and the flags.
    public func trace(_ idOrTag: String) async throws -> LotTrace? {
        try await engine.read { db in
            let lookup = ProjectionLookup(db: db)
            guard let id = try lookup.tagOwner(idOrTag), let lot = try lookup.lot(id) else { return nil }
            let (up, down) = try RelationalStore.lineage(db, id, maxDepth: 64)
            let ancestors = try up.compactMap { a in try lookup.lot(a.0).map { (lot: $0, depth: a.1) } }
            let descendants = try down.compactMap { d in try lookup.lot(d.0).map { (lot: $0, depth: d.1) } }
            let family = [id] + up.map(\.0) + down.map(\.0)
            let familySet = Set(family)
            var edges: [(parent: String, child: String, event: String, grams: Int64)] = []
            let edgeStmt = ("SELECT parent, child, event, grams FROM lot_edge WHERE child = ?")
            for l in family {
                for r in try db.rows(edgeStmt, [l]) where familySet.contains(try r[0] as String) {
                    edges.append((try r[0], try r[1], try r[2], try r[3]))
                }
            }
            // The custody chain: the events on the lot and its ancestors, from the entries each lot row lists.
            var seqs = Set<Int64>()
            let eventsOf = ("SELECT events FROM lot WHERE id = ?")
            for l in [id] + up.map(\.0) {
                for part in (try db.value(String.self, eventsOf, [l]) ?? "").split(separator: ",") { if let n = Int64(part) { seqs.insert(n) } }
            }
            let bytesOf = ("SELECT bytes FROM journal WHERE seq = ?")
            var events: [TracedEvent] = []
            var keys: [String: OperatorKey?] = [:]
            for seq in seqs.sorted() {
                // The event as the journal holds it (custody events are never sealed).
                guard let bytes = try db.value(Data.self, bytesOf, [seq]),
                      case .custodyEvent(let signed) = try JournalEntry(bytes: [UInt8](bytes)).command else { continue }
                let key: OperatorKey?
                if let k = keys[signed.event.key] { key = k } else { key = try lookup.operatorKey(signed.event.key); keys[signed.event.key] = key }
                let verified = key.map { $0.party == signed.event.party && $0.verifies(signed.signature, of: signed.signedBytes) } ?? false
                let touched = (signed.event.inputLots + signed.event.outputLots.map(\.id)).sorted()
                events.append(TracedEvent(sequence: seq, signed: signed, keyParty: key?.party,
                                          publicKey: key.map { Data($0.publicKey).base64EncodedString() }, verified: verified, lots: touched))
            }
            events.sort { ($0.signed.event.time, $0.sequence) < ($1.signed.event.time, $1.sequence) }
            var flags: [CustodyFlag] = []
            let flagStmt = ("SELECT event, lot, rule, time, explanation, evidence FROM custody_flag WHERE lot = ?")
            for l in family { flags += try db.rows(flagStmt, [l]).map(RelationalStore.flag) }
            flags.sort { ($0.time, $0.lot, $0.rule.rawValue) < ($1.time, $1.lot, $1.rule.rawValue) }
            var ids = Set(lot.origins.flatMap { [$0.site] + ($0.concession.map { [$0] } ?? []) })
            for e in events { ids.insert(e.signed.event.party) }
            return LotTrace(lot: lot, ancestors: ancestors, descendants: descendants, edges: edges, events: events, flags: flags,
                            names: try RelationalStore.names(db, ids: ids))
        }
    }

    /// Every flag, newest first, optionally for one lot's holder or one rule.
    public func custodyFlags(party: String? = nil, limit: Int = 1000) async throws -> [CustodyFlag] {
        try await engine.read { db in
            var sql = "SELECT f.event, f.lot, f.rule, f.time, f.explanation, f.evidence FROM custody_flag f"
            var args: SQLArguments = []
            if let party { sql += " WHERE (SELECT party FROM custody_event e WHERE e.id = f.event) = ?"; args += [party] }
            sql += " ORDER BY f.time DESC, f.lot LIMIT ?"
            args += [limit]
            return try db.rows(sql, args).map(RelationalStore.flag)
        }
    }

    /// What royalties are computed on, the reference prices and the declared payments.
    public func royaltyInputs() async throws -> (bases: [RoyaltyBasis], prices: [PriceQuote], payments: [Payment]) {
        try await engine.read { db in
            let bases = try db.rows("SELECT lot, event, day, payer, site, concession, mineral, contained_g FROM royalty_basis ORDER BY day, lot").map { r in
                RoyaltyBasis(lot: try r[0], event: try r[1], day: Day(ordinal: try r[2]), payer: try r[3], site: try r[4], concession: try r[5],
                             mineral: Mineral(rawValue: try r[6]) ?? .tin, containedGrams: try r[7])
            }
            let prices = try db.values(String.self, "SELECT json FROM price ORDER BY mineral, day").map { try PriceQuote(json: JSONObject(JSONParser.parse($0), path: "")) }
            let payments = try db.values(String.self, "SELECT json FROM payment ORDER BY id").map { try Payment(json: JSONObject(JSONParser.parse($0), path: "")) }
            return (bases, prices, payments)
        }
    }

    /// The registered keys, optionally of one party.
    public func operatorKeys(party: String? = nil) async throws -> [OperatorKey] {
        try await engine.read { db in
            let lookup = ProjectionLookup(db: db)
            let ids = party == nil ? try db.values(String.self, "SELECT id FROM operator_key ORDER BY id")
                : try db.values(String.self, "SELECT id FROM operator_key WHERE party = ? ORDER BY id", [party])
            return try ids.compactMap { try lookup.operatorKey($0) }
        }
    }

    /// The journal sequence of a custody event.
    public func custodyEventSequence(_ id: String) async throws -> Int64? {
        try await engine.read { db in try ProjectionLookup(db: db).custodyEvent(id)?.sequence }
    }
}

/// What became of one command of a bulk ingest: its receipt, or why it was refused.
public enum IngestOutcome: Sendable {
    case accepted(AppendReceipt)
    case refused(DomainError)
}

extension RelationalStore {
    /// Appends each command on its own, in order, in one durable transaction: a refused command is
    /// skipped (and reported) without stopping the others; each accepted one sees those before it.
    /// For bulk ingest (`assay ingest`, `POST /api/v1/batch`).
    public func appendEach(_ commands: [Command], author: String) async throws -> [IngestOutcome] {
        let requests = try await preverify(commands).map { AppendRequest(commands: [$0], author: author, progress: nil) }
        let results = await appender.writeBatch(requests)
        return try results.map { r in
            switch r {
            case .success(let receipts): return .accepted(receipts[0])
            case .failure(let e as BatchRejected): return .refused(e.errors[0].error)
            case .failure(let e): throw e
            }
        }
    }
}

extension RelationalStore {
    /// Benchmark only (`assay bench custody`): writes `chains` synthetic lineages of `depth` processing
    /// steps straight into the lineage projections (`lot_edge`, and `lot` rows for each chain's last lot
    /// with three origin sites), bypassing the journal, to measure lineage and origin queries at a scale
    /// the journal would take hours to reach. A database filled this way does not verify; use a scratch file.
    @_spi(Benchmarks) public func benchFillLineage(chains: Int, depth: Int) async throws {
        try await engine.write { db in
            let edge = ("INSERT INTO lot_edge(parent, child, event, grams) VALUES (?, ?, ?, ?)")
            let lot = ("""
                INSERT INTO lot(\(ProjectionLookup.lotColumns), events) VALUES (?, 'cobalt', 'hydroxide', 1000000, 3000, NULL, 'bench', NULL, NULL, NULL, NULL, 0,
                NULL, 0, ?, 0, 0, ?, '')
                """)
            let origins = ProjectionLookup.encodeOrigins([OriginShare(site: "bench-site-a", concession: "bench-title-a", share: 0.5),
                                                      OriginShare(site: "bench-site-b", concession: nil, share: 0.3),
                                                      OriginShare(site: "bench-site-c", concession: "bench-title-c", share: 0.2)])
            for c in 0..<chains {
                let prefix = "c\(c)-"
                for l in 0..<depth {
                    try db.execute(edge, [prefix + String(l), prefix + String(l + 1), "e\(c)-\(l)", 1_000_000])
                }
                try db.execute(lot, [prefix + String(depth), "e\(c)-\(depth - 1)", origins])
            }
        }
    }
}
