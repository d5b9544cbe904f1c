import AssayDomain
import Foundation
import Synchronization

/// Answers ``RegistryLookup`` from the projection tables, inside the caller's transaction, so a
/// command sees every command applied before it in the same batch.
struct ProjectionLookup: RegistryLookup {
    let db: any SQLConnection
    /// Agreements read in this transaction; the projector drops an entry when it changes the agreement.
    let cache: LookupCache

    init(db: any SQLConnection, cache: LookupCache = LookupCache()) {
        self.db = db
        self.cache = cache
    }

    func kind(of id: String) throws -> EntityKind? {
        if let hit = cache.kinds[id] { return hit }
        if let memo = cache.batch, let hit = memo.kinds[id] { return hit }
        let s = ("SELECT kind FROM entity WHERE id = ?")
        let kind = try db.value(String.self, s, [id]).flatMap(EntityKind.init(rawValue:))
        cache.kinds[id] = .some(kind)
        cache.batch?.kinds[id] = .some(kind)
        return kind
    }

    /// Reads in a few queries whether each of `ids` names an entity, so a request of many commands
    /// checks its new ids without a query each (on PostgreSQL, without sending its held rows first).
    func prefetchKinds(_ ids: [String]) throws {
        let unknown = ids.filter { cache.kinds[$0] == nil }
        for id in unknown { cache.kinds[id] = .some(nil) }
        for r in try db.rows(forEachOf: unknown, { "SELECT id, kind FROM entity WHERE id IN (\($0))" }) {
            cache.kinds[try r[0] as String] = .some(EntityKind(rawValue: try r[1]))
        }
    }

    func agreement(_ id: String) throws -> Agreement? {
        if let cached = cache.agreements[id] { return cached }
        let s = ("SELECT json FROM agreement WHERE id = ?")
        let a = try db.value(String.self, s, [id]).map { try Agreement(json: JSONObject(JSONParser.parse($0), path: "")) }
        if let a { cache.agreements[id] = a }
        return a
    }

    func supersededBy(_ id: String) throws -> String? {
        let s = ("SELECT superseded_by FROM agreement WHERE id = ?")
        return try db.value(String.self, s, [id])
    }

    func nationalOutputRecorded(mineral: Mineral, year: Int) throws -> Bool {
        try db.value(Int64.self, "SELECT 1 FROM national_output WHERE mineral = ? AND year = ?", [mineral.rawValue, year]) != nil
    }

    func usedClaim(subject: String, field: String) throws -> String? {
        try db.value(String.self, "SELECT id FROM source_claim WHERE subject = ? AND field = ? AND used = 1", [subject, field])
    }

    func agreementLinks(_ agreement: String) throws -> [AgreementLink] {
        try db.values(String.self, "SELECT json FROM agreement_link WHERE agreement = ? OR linked = ? ORDER BY seq", [agreement, agreement])
            .map { try AgreementLink(json: JSONObject(JSONParser.parse($0), path: "")) }
    }

    func agreementSigners(_ agreement: String) throws -> [String] {
        try db.values(String.self, "SELECT party FROM agreement_signature WHERE agreement = ?", [agreement])
    }

    func reserve(_ id: String) throws -> Reserve? {
        try db.value(String.self, "SELECT json FROM reserve WHERE id = ?", [id]).map { try Reserve(json: JSONObject(JSONParser.parse($0), path: "")) }
    }

    func grant(_ id: String) throws -> Grant? {
        try db.value(String.self, "SELECT json FROM grant_right WHERE id = ?", [id]).map { try Grant(json: JSONObject(JSONParser.parse($0), path: "")) }
    }

    func offerWindow(_ id: String) throws -> OfferWindow? {
        try db.row("SELECT json, months FROM asset_offer WHERE id = ?", [id]).map(window)
    }

    func offerWindows(reserve: String, asset: String) throws -> [OfferWindow] {
        try db.rows("SELECT json, months FROM asset_offer WHERE reserve = ? AND asset = ? ORDER BY seq", [reserve, asset]).map(window)
    }

    func windows(near cells: CellSet, minerals: MineralSet, on day: Day) throws -> [AssetWindow] {
        // Few offers are ever open at once: the candidates by date, then minerals here; the rule checks cells.
        let rows = try db.rows("""
            SELECT o.json, o.months, a.cells, a.minerals FROM asset_offer o JOIN reserve_asset a ON a.reserve = o.reserve AND a.asset = o.asset
            WHERE o.status = 'open' AND o.opens <= ? AND o.closes > ?
            """, [Int64(day.ordinal), Int64(day.ordinal)])
        return try rows.compactMap { r in
            let m = MineralSet(mask: UInt64(bitPattern: try r[3] as Int64))
            guard !m.intersection(minerals).isEmpty, let c = CellSet(blob: [UInt8](try r[2] as Data)) else { return nil }
            return AssetWindow(window: try window(r), cells: c, minerals: m)
        }
    }

    /// An offer row (`json`, `months`) with its answers.
    func window(_ row: SQLRow) throws -> OfferWindow {
        let o = try AssetOffer(json: JSONObject(JSONParser.parse(row[0] as String), path: ""))
        let answers = try db.values(String.self, "SELECT json FROM offer_resolution WHERE offer = ? ORDER BY seq", [o.id])
            .map { try OfferResolution(json: JSONObject(JSONParser.parse($0), path: "")) }
        return OfferWindow(offer: o, months: Int(try row[1] as Int64), resolutions: answers)
    }

    func concession(_ id: String) throws -> Concession? {
        let s = ("SELECT json FROM concession WHERE id = ?")
        return try db.value(String.self, s, [id]).map { try Concession(json: JSONObject(JSONParser.parse($0), path: "")) }
    }

    func obligation(_ id: String) throws -> Obligation? {
        let s = ("SELECT json FROM obligation WHERE id = ?")
        return try db.value(String.self, s, [id]).map { try Obligation(json: JSONObject(JSONParser.parse($0), path: "")) }
    }

    func ownerships(of party: String) throws -> [Ownership] {
        let s = ("SELECT json FROM ownership WHERE subject = ?")
        return try db.values(String.self, s, [party]).map { try Ownership(json: JSONObject(JSONParser.parse($0), path: "")) }
    }

    func activeClaims(near cells: CellSet, minerals: MineralSet) throws -> [Claim] {
        // Candidates from the multi-level bucket index (its primary key), so the cost follows the
        // neighbourhood, not the size of the registry.
        let probe = ("SELECT claim FROM claim_bucket WHERE bucket BETWEEN ? AND ?")
        let levels = try usedLevels()
        var ids = Set<String>()
        for range in BucketIndex.probes(for: cells) where levels.contains(Int(range.lowerBound >> 40)) {
            for id in try db.values(String.self, probe, [range.lowerBound, range.upperBound]) { ids.insert(id) }
        }
        guard !ids.isEmpty else { return [] }
        let fetch = ("""
            SELECT id, kind, holder, agreement, minerals, from_day, until_day, cells, contested
            FROM claim WHERE id = ? AND active = 1 AND (minerals & ?) != 0
            """)
        let mask = Int64(bitPattern: minerals.mask)
        var out: [Claim] = []
        for id in ids.sorted() {
            if let row = try db.row(fetch, [id, mask]) { out.append(try ProjectionLookup.claim(row)) }
        }
        return out
    }

    /// The index levels that hold any claim, read once per transaction (most registries use two or three):
    /// probing only those saves a query per empty level on every check.
    func usedLevels() throws -> Set<Int> {
        if let known = cache.usedLevels { return known }
        let any = ("SELECT 1 FROM claim_bucket WHERE bucket BETWEEN ? AND ? LIMIT 1")
        var levels = Set<Int>()
        for level in 0..<BucketIndex.levels where try db.value(Int.self, any, [Int64(level) << 40, (Int64(level + 1) << 40) - 1]) != nil {
            levels.insert(level)
        }
        cache.usedLevels = levels
        return levels
    }

    /// Reads a claim row selected as `id, kind, holder, agreement, minerals, from_day, until_day, cells, contested`
    /// (by position: name lookups cost more than the rest of the decoding).
    static func claim(_ row: SQLRow) throws -> Claim {
        let id: String = try row[0]
        let cellsData: Data = try row[7]
        guard let kind = Claim.Kind(rawValue: try row[1]), let cells = CellSet(blob: cellsData) else {
            throw StoreCorruption(table: "claim", key: id, reason: "unreadable kind or cells")
        }
        let from: Int32? = try row[5], until: Int32? = try row[6]
        let mask: Int64 = try row[4]
        return Claim(id: id, kind: kind, holder: try row[2], agreement: try row[3],
                     minerals: MineralSet(mask: UInt64(bitPattern: mask)), cells: cells,
                     period: (try? Period(from: from.map(Day.init(ordinal:)), until: until.map(Day.init(ordinal:)))) ?? .always,
                     contested: try row[8])
    }
}

/// What a lookup remembers within one write transaction. A class so the lookup and the projector can
/// share it; it lives inside one `pool.write` closure and never crosses threads, so it needs no lock.
final class LookupCache {
    init(shared: SharedLookupCache = SharedLookupCache()) { self.shared = shared }
    /// Parsed records shared across transactions, each checked against its row's entry number on use.
    let shared: SharedLookupCache
    var agreements: [String: Agreement] = [:]
    /// Entity kinds known in this request — read, prefetched or written by it — so exact for it (an entity
    /// is only ever added, by the projector, which records it here).
    var kinds: [String: EntityKind?] = [:]
    /// Index levels holding claims; the projector adds a level when it indexes a claim there.
    var usedLevels: Set<Int>?
    /// The custody policy; the projector drops it when a new one is set.
    var policy: CustodyPolicy?
    /// What the whole batch may share, when nothing in it can change it (see ``BatchMemo``).
    var batch: BatchMemo?
}

/// Parsed sites, keys and the custody policy kept across transactions (parsing their JSON cost more than
/// the rest of a custody event's checks). Each is stored with what identifies its row's version (the
/// entry it came from, or for sites, which can be updated, the row's text) and used only while the row
/// still says so, so a version rolled back, replayed, updated or revoked since is never served stale.
final class SharedLookupCache: Sendable {
    let policy = Mutex<(seq: Int64, policy: CustodyPolicy)?>(nil)
    let sites = Mutex<[String: (json: String, site: Site)]>([:])
    let keys = Mutex<[String: (seq: Int64, revoked: String?, key: OperatorKey)]>([:])

    func remember<V: Sendable>(_ m: borrowing Mutex<[String: V]>, _ id: String, _ v: V) {
        m.withLock { d in
            if d.count > 10_000 { d.removeAll(keepingCapacity: true) }
            d[id] = v
        }
    }
}

/// A projection or journal row the store cannot read back: the database was changed outside Assay.
public struct StoreCorruption: Error, Sendable, CustomStringConvertible {
    public var table: String
    public var key: String
    public var reason: String
    public var description: String { "\(table) row \(key): \(reason) (the database was changed outside Assay; run `assay rebuild`)" }
}
