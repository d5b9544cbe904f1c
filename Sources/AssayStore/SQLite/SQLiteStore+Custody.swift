import AssayDomain
import Foundation
import GRDB

extension SQLiteStore {
    static func flags(_ db: Database, event: String) throws -> [CustodyFlag] {
        try Row.fetchAll(db.cachedStatement(sql: "SELECT event, lot, rule, time, explanation, evidence FROM custody_flag WHERE event = ? ORDER BY lot, rule"),
                         arguments: [event]).map(flag)
    }

    static func flag(_ row: Row) throws -> CustodyFlag {
        guard let rule = CustodyFlag.Rule(rawValue: row[2]) else { throw StoreCorruption(table: "custody_flag", key: row[0], reason: "unknown rule") }
        var evidence: [String: String] = [:]
        if case .object(let m) = try JSONParser.parse(row[5] as String) {
            for (k, v) in m { if case .string(let s) = v { evidence[k] = s } }
        }
        return CustodyFlag(rule: rule, lot: row[1], event: row[0], time: try Timestamp(iso: row[3], field: "time"), explanation: row[4], evidence: evidence)
    }

    /// The lot with this id (or this extra tag).
    public func lot(_ idOrTag: String) async throws -> LotRecord? {
        try await pool.read { db in
            let lookup = SQLiteLookup(db: db)
            guard let id = try lookup.tagOwner(idOrTag) else { return nil }
            return try lookup.lot(id)
        }
    }

    /// Lots by id after `cursor`, optionally only those a party holds or of one mineral.
    public func lots(after cursor: String?, limit: Int, holder: String? = nil, mineral: Mineral? = nil) async throws -> [LotRecord] {
        try await pool.read { db in
            var sql = "SELECT \(SQLiteLookup.lotColumns) FROM lot WHERE id > ?"
            var args: StatementArguments = [cursor ?? ""]
            if let holder { sql += " AND holder = ?"; args += [holder] }
            if let mineral { sql += " AND mineral = ?"; args += [mineral.rawValue] }
            sql += " ORDER BY id LIMIT ?"
            args += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: args).map(SQLiteLookup.lotRecord)
        }
    }

    /// Ancestor and descendant lot ids with their distance, up to `maxDepth` steps away (the lineage
    /// query alone, as the benchmark measures it).
    public func lineage(_ id: String, maxDepth: Int = 64) async throws -> (ancestors: [(String, Int)], descendants: [(String, Int)]) {
        try await pool.read { db in try SQLiteStore.lineage(db, id, maxDepth: maxDepth) }
    }

    static func lineage(_ db: Database, _ id: String, maxDepth: Int) throws -> (ancestors: [(String, Int)], descendants: [(String, Int)]) {
        let up = try db.cachedStatement(sql: """
            WITH RECURSIVE a(id, depth) AS (
                SELECT ?, 0 UNION SELECT e.parent, a.depth + 1 FROM lot_edge e JOIN a ON e.child = a.id WHERE a.depth < ?)
            SELECT id, MIN(depth) FROM a WHERE depth > 0 GROUP BY id ORDER BY MIN(depth), id
            """)
        let down = try db.cachedStatement(sql: """
            WITH RECURSIVE d(id, depth) AS (
                SELECT ?, 0 UNION SELECT e.child, d.depth + 1 FROM lot_edge e JOIN d ON e.parent = d.id WHERE d.depth < ?)
            SELECT id, MIN(depth) FROM d WHERE depth > 0 GROUP BY id ORDER BY MIN(depth), id
            """)
        let ancestors = try Row.fetchAll(up, arguments: [id, maxDepth]).map { ($0[0] as String, $0[1] as Int) }
        let descendants = try Row.fetchAll(down, arguments: [id, maxDepth]).map { ($0[0] as String, $0[1] as Int) }
        return (ancestors, descendants)
    }

    /// The origin breakdown of a lot: shares of its mass by origin site and title, with their names.
    public func origins(_ id: String) async throws -> (lot: LotRecord, names: [String: String])? {
        try await pool.read { db in
            guard let lot = try SQLiteLookup(db: db).lot(id) else { return nil }
            return (lot, try SQLiteStore.names(db, ids: Set(lot.origins.flatMap { [$0.site] + ($0.concession.map { [$0] } ?? []) })))
        }
    }

    static func names(_ db: Database, ids: Set<String>) throws -> [String: String] {
        var out: [String: String] = [:]
        let site = try db.cachedStatement(sql: "SELECT name FROM site WHERE id = ?")
        let title = try db.cachedStatement(sql: "SELECT code FROM concession WHERE id = ?")
        let party = try db.cachedStatement(sql: "SELECT name FROM party WHERE id = ?")
        for id in ids {
            if let n = try String.fetchOne(site, arguments: [id]) ?? String.fetchOne(title, arguments: [id]) ?? String.fetchOne(party, arguments: [id]) {
                out[id] = n
            }
        }
        return out
    }

    /// The whole trace of a lot: lineage, origins, the custody chain with every signature checked again
    /// against the registered key, and the flags.
    public func trace(_ idOrTag: String) async throws -> LotTrace? {
        try await pool.read { db in
            let lookup = SQLiteLookup(db: db)
            guard let id = try lookup.tagOwner(idOrTag), let lot = try lookup.lot(id) else { return nil }
            let (up, down) = try SQLiteStore.lineage(db, id, maxDepth: 64)
            let ancestors = try up.compactMap { a in try lookup.lot(a.0).map { (lot: $0, depth: a.1) } }
            let descendants = try down.compactMap { d in try lookup.lot(d.0).map { (lot: $0, depth: d.1) } }
            let family = [id] + up.map(\.0) + down.map(\.0)
            let familySet = Set(family)
            var edges: [(parent: String, child: String, event: String, grams: Int64)] = []
            let edgeStmt = try db.cachedStatement(sql: "SELECT parent, child, event, grams FROM lot_edge WHERE child = ?")
            for l in family {
                for r in try Row.fetchAll(edgeStmt, arguments: [l]) where familySet.contains(r[0] as String) {
                    edges.append((r[0], r[1], r[2], r[3]))
                }
            }
            // The custody chain: the events on the lot and its ancestors, from the entries each lot row lists.
            var seqs = Set<Int64>()
            let eventsOf = try db.cachedStatement(sql: "SELECT events FROM lot WHERE id = ?")
            for l in [id] + up.map(\.0) {
                for part in (try String.fetchOne(eventsOf, arguments: [l]) ?? "").split(separator: ",") { if let n = Int64(part) { seqs.insert(n) } }
            }
            let bytesOf = try db.cachedStatement(sql: "SELECT bytes FROM journal WHERE seq = ?")
            var events: [TracedEvent] = []
            var keys: [String: OperatorKey?] = [:]
            for seq in seqs.sorted() {
                // The event as the journal holds it (custody events are never sealed).
                guard let bytes = try Data.fetchOne(bytesOf, arguments: [seq]),
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
            let flagStmt = try db.cachedStatement(sql: "SELECT event, lot, rule, time, explanation, evidence FROM custody_flag WHERE lot = ?")
            for l in family { flags += try Row.fetchAll(flagStmt, arguments: [l]).map(SQLiteStore.flag) }
            flags.sort { ($0.time, $0.lot, $0.rule.rawValue) < ($1.time, $1.lot, $1.rule.rawValue) }
            var ids = Set(lot.origins.flatMap { [$0.site] + ($0.concession.map { [$0] } ?? []) })
            for e in events { ids.insert(e.signed.event.party) }
            return LotTrace(lot: lot, ancestors: ancestors, descendants: descendants, edges: edges, events: events, flags: flags,
                            names: try SQLiteStore.names(db, ids: ids))
        }
    }

    /// Every flag, newest first, optionally for one lot's holder or one rule.
    public func custodyFlags(party: String? = nil, limit: Int = 1000) async throws -> [CustodyFlag] {
        try await pool.read { db in
            var sql = "SELECT f.event, f.lot, f.rule, f.time, f.explanation, f.evidence FROM custody_flag f"
            var args: StatementArguments = []
            if let party { sql += " WHERE (SELECT party FROM custody_event e WHERE e.id = f.event) = ?"; args += [party] }
            sql += " ORDER BY f.time DESC, f.lot LIMIT ?"
            args += [limit]
            return try Row.fetchAll(db, sql: sql, arguments: args).map(SQLiteStore.flag)
        }
    }

    /// What royalties are computed on, the reference prices and the declared payments.
    public func royaltyInputs() async throws -> (bases: [RoyaltyBasis], prices: [PriceQuote], payments: [Payment]) {
        try await pool.read { db in
            let bases = try Row.fetchAll(db, sql: "SELECT lot, event, day, payer, site, concession, mineral, contained_g FROM royalty_basis ORDER BY day, lot").map { r in
                RoyaltyBasis(lot: r[0], event: r[1], day: Day(ordinal: r[2]), payer: r[3], site: r[4], concession: r[5],
                             mineral: Mineral(rawValue: r[6]) ?? .tin, containedGrams: r[7])
            }
            let prices = try String.fetchAll(db, sql: "SELECT json FROM price ORDER BY mineral, day").map { try PriceQuote(json: JSONObject(JSONParser.parse($0), path: "")) }
            let payments = try String.fetchAll(db, sql: "SELECT json FROM payment ORDER BY id").map { try Payment(json: JSONObject(JSONParser.parse($0), path: "")) }
            return (bases, prices, payments)
        }
    }

    /// The registered keys, optionally of one party.
    public func operatorKeys(party: String? = nil) async throws -> [OperatorKey] {
        try await pool.read { db in
            let lookup = SQLiteLookup(db: db)
            let ids = party == nil ? try String.fetchAll(db, sql: "SELECT id FROM operator_key ORDER BY id")
                : try String.fetchAll(db, sql: "SELECT id FROM operator_key WHERE party = ? ORDER BY id", arguments: [party])
            return try ids.compactMap { try lookup.operatorKey($0) }
        }
    }

    /// The journal sequence of a custody event.
    public func custodyEventSequence(_ id: String) async throws -> Int64? {
        try await pool.read { db in try SQLiteLookup(db: db).custodyEvent(id)?.sequence }
    }
}

/// What became of one command of a bulk ingest: its receipt, or why it was refused.
public enum IngestOutcome: Sendable {
    case accepted(AppendReceipt)
    case refused(DomainError)
}

extension SQLiteStore {
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

extension SQLiteStore {
    /// Benchmark only (`assay bench custody`): writes `chains` synthetic lineages of `depth` processing
    /// steps straight into the lineage projections (`lot_edge`, and `lot` rows for each chain's last lot
    /// with three origin sites), bypassing the journal, to measure lineage and origin queries at a scale
    /// the journal would take hours to reach. A database filled this way does not verify; use a scratch file.
    public func benchFillLineage(chains: Int, depth: Int) async throws {
        try await pool.write { db in
            let edge = try db.cachedStatement(sql: "INSERT INTO lot_edge(parent, child, event, grams) VALUES (?, ?, ?, ?)")
            let lot = try db.cachedStatement(sql: """
                INSERT INTO lot(\(SQLiteLookup.lotColumns), events) VALUES (?, 'cobalt', 'hydroxide', 1000000, 3000, NULL, 'bench', NULL, NULL, NULL, NULL, 0,
                NULL, 0, ?, 0, 0, ?, '')
                """)
            let origins = SQLiteLookup.encodeOrigins([OriginShare(site: "bench-site-a", concession: "bench-title-a", share: 0.5),
                                                      OriginShare(site: "bench-site-b", concession: nil, share: 0.3),
                                                      OriginShare(site: "bench-site-c", concession: "bench-title-c", share: 0.2)])
            for c in 0..<chains {
                let prefix = "c\(c)-"
                for l in 0..<depth {
                    try edge.execute(arguments: [prefix + String(l), prefix + String(l + 1), "e\(c)-\(l)", 1_000_000])
                }
                try lot.execute(arguments: [prefix + String(depth), "e\(c)-\(depth - 1)", origins])
            }
        }
    }
}
