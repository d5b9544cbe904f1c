import AssayDomain
import TransparencyLog

/// Lookups a whole write batch shares when it holds only custody events, prices and payments: then no
/// entity, operator key, custody policy, site or title changes inside it, so what one request read stays
/// true for the next, and a request whose savepoint is rolled back cannot have changed any of it. (Each
/// custody event read its key, the policy, its party's kind and its site's titles again: a fifth of the
/// writer's time.) Lives inside one write transaction on its thread, like ``LookupCache``.
///
/// When every request in the batch is a single command (signed events posted one by one), the memo
/// also holds what the batch's own events change — their lots, tags, event ids, site output and party
/// flows (the ``overlay``) — read for the whole batch in a few queries before the first event
/// (``prefetch(_:db:)``) and kept up to date by the projector as each event is written. A single command
/// that is refused writes nothing, so the overlay never holds a rolled-back write. Each entry, once
/// known, is exactly what the database holds (or will hold once held writes are sent); an id the memo
/// does not know is read from the database. This is what lets ``DeferredWrites`` hold a batch's rows
/// until its end on PostgreSQL: no event needs to read what the one before it wrote.
final class BatchMemo {
    var kinds: [String: EntityKind?] = [:]
    var keys: [String: OperatorKey?] = [:]
    var titles: [String: [TitleAtSite]] = [:]
    var sites: [String: Site?] = [:]
    var policy: CustodyPolicy?
    /// The log's key schedule (rotations are entries no memo batch holds).
    var schedule: LogKeySchedule?
    /// Whether the overlay below is kept (every request one command).
    let overlay: Bool
    var events: [String: (sequence: Int64, hash: String)?] = [:]
    var lots: [String: LotRecord?] = [:]
    var tags: [String: String?] = [:]
    var siteOutput: [SiteYear: Int64] = [:]
    var flows: [PartyMineral: (received: Int64, exported: Int64)] = [:]

    struct SiteYear: Hashable { var site: String; var mineral: Mineral; var year: Int }
    struct PartyMineral: Hashable { var party: String; var mineral: Mineral }

    init(overlay: Bool, carried: Carried? = nil) {
        self.overlay = overlay
        if let carried {
            kinds = carried.kinds; keys = carried.keys; titles = carried.titles; sites = carried.sites; policy = carried.policy
            schedule = carried.schedule
        }
    }

    /// The kinds of entry that change nothing the memo holds.
    static func leavesMemoAsIs(_ kind: Command.Kind) -> Bool {
        switch kind {
        case .custodyEvent, .recordPrice, .recordPayment: true
        default: false
        }
    }

    /// ``leavesMemoAsIs(_:)`` as a SQL list of the journal's `type` values.
    static let harmlessKinds = Command.Kind.allCases.filter(leavesMemoAsIs).map { "'\($0.rawValue)'" }.joined(separator: ", ")

    /// Whether a batch of these requests leaves the memo as it is.
    static func applies(to requests: [AppendRequest]) -> Bool {
        requests.allSatisfy { r in r.stream == nil && r.commands.allSatisfy { leavesMemoAsIs($0.kind) } }
    }

    /// A memo for this batch, or nil when something in it can change what the memo holds; it starts
    /// from what earlier batches read (`carried`), when that is still true.
    static func make(for requests: [AppendRequest], carried: Carried? = nil) -> BatchMemo? {
        guard applies(to: requests) else { return nil }
        return BatchMemo(overlay: requests.allSatisfy { $0.commands.count == 1 }, carried: carried)
    }

    /// What a memo read that stays true from batch to batch while the journal takes in only entries that
    /// leave it as it is (``leavesMemoAsIs(_:)``), by this process or another: kept by the appender with
    /// the journal size it is true at, and dropped as soon as any other kind of entry is appended (or the
    /// tree is cut back after a failover). Spares every batch of signed events the reads of its key,
    /// policy, party, site and titles — five round trips on PostgreSQL.
    struct Carried {
        var kinds: [String: EntityKind?]
        var keys: [String: OperatorKey?]
        var titles: [String: [TitleAtSite]]
        var sites: [String: Site?]
        var policy: CustodyPolicy?
        var schedule: LogKeySchedule?
        /// The journal size this is true at.
        var size: Int
    }

    /// What of this memo may be carried to the next batch once this one committed at journal `size`
    /// (bounded: a registry with many keys or sites starts again rather than grow without end).
    func carry(size: Int) -> Carried? {
        guard kinds.count + keys.count + titles.count + sites.count < 50_000 else { return nil }
        return Carried(kinds: kinds, keys: keys, titles: titles, sites: sites, policy: policy, schedule: schedule, size: size)
    }

    /// Reads, in a few queries, the rows the batch's custody events will look up one by one: their ids
    /// among recorded events, and the lots and tags they name or create.
    func prefetch(_ requests: [AppendRequest], db: any SQLConnection) throws {
        guard overlay else { return }
        var eventIDs: [String] = [], lotIDs = Set<String>(), tagIDs = Set<String>()
        for r in requests {
            for case .custodyEvent(let signed) in r.commands {
                let e = signed.event
                eventIDs.append(e.id)
                for l in e.inputLots { lotIDs.insert(l) }
                for out in e.outputLots { lotIDs.insert(out.id); tagIDs.insert(out.id) }
                if case .tagging(_, let tag) = e.body { lotIDs.insert(tag); tagIDs.insert(tag) }
            }
        }
        for id in eventIDs where events[id] == nil { events[id] = .some(nil) }
        for r in try db.rows(forEachOf: eventIDs, { "SELECT id, seq, hash FROM custody_event WHERE id IN (\($0))" }) {
            events[try r[0] as String] = .some((try r[1], try r[2]))
        }
        for id in lotIDs { lots[id] = .some(nil) }
        for r in try db.rows(forEachOf: lotIDs, { "SELECT \(ProjectionLookup.lotColumns) FROM lot WHERE id IN (\($0))" }) {
            let lot = try ProjectionLookup.lotRecord(r)
            lots[lot.id] = .some(lot)
        }
        for id in tagIDs { tags[id] = .some(nil) }
        for r in try db.rows(forEachOf: tagIDs, { "SELECT tag, lot FROM lot_tag WHERE tag IN (\($0))" }) {
            tags[try r[0] as String] = .some(try r[1])
        }
    }

    /// What the projector wrote for a custody event, so later events in the batch read it from here.
    func wrote(_ fx: CustodyEffect, sequence: Int64, hash: String) {
        guard overlay else { return }
        events[fx.event.event.id] = .some((sequence, hash))
        for lot in fx.lots {
            switch lots[lot.id] {
            case .some(.some(let old)):
                // The upsert keeps what a lot is born with; the rest is the new state.
                var now = lot
                now.mineral = old.mineral; now.form = old.form; now.createdBy = old.createdBy; now.created = old.created; now.origins = old.origins
                lots[lot.id] = .some(now)
            case .some(.none): lots[lot.id] = .some(lot)
            case .none: break  // not known: read from the database when asked
            }
        }
        for t in fx.tags where t.tag != t.lot { tags[t.tag] = .some(t.lot) }
        if let o = fx.siteOutput {
            let k = SiteYear(site: o.site, mineral: o.mineral, year: o.year)
            if let v = siteOutput[k] { siteOutput[k] = v + o.mass.grams }
        }
        for f in fx.flows {
            let k = PartyMineral(party: f.party, mineral: f.mineral)
            if let v = flows[k] { flows[k] = (v.received + f.received.grams, v.exported + f.exported.grams) }
        }
    }


}
