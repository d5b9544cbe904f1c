import AssayDomain
import Foundation
import GRDB
import Synchronization
import TransparencyLog

/// The registry's store: the journal (the truth), its projections and the verifiable log, in one SQL
/// database reached through an ``SQLEngine`` — SQLite (the embedded default, one file) or PostgreSQL
/// (several servers, replicas, failover). Both run the same statements, rules and log code.
///
/// For example:
/// ```swift
/// let store = try RelationalStore(path: "assay.sqlite", geography: geography, signer: signer)           // SQLite
/// let shared = try await RelationalStore.open(database: "postgres://assay@db1,db2/assay", geography: geography, signers: [signer])
/// let receipts = try await store.append([.registerParty(party)], author: "registrar")
/// ```
public final class RelationalStore: RegistryStore {
    let engine: any SQLEngine
    /// The SQLite pool and WAL checkpointer, when the backend is SQLite (backups, durability checks).
    let sqlite: (pool: DatabasePool, checkpointer: WALCheckpointer)?
    public let geography: Geography
    let validator: CommandValidator
    let clock: @Sendable () -> Timestamp
    let writer: LogWriter
    /// The log's hashes in memory and the latest published checkpoint.
    let log: LogBox
    /// The checkpoint keys held and the schedule of which sign when.
    let keys: LogKeyRing
    let appender: LogAppender
    /// Entity records by id with the published size they were read at; cleared past 10,000 and on rebuild.
    let recordCache = Mutex<[String: (size: Int, record: EntityRecord)]>([:])
    /// Full tiles recently served (immutable, so never stale); cleared when it grows past 4,096.
    let tileCache = Mutex<[Tile: [UInt8]]>([:])
    let committer: GroupCommitter<AppendRequest, [AppendReceipt]>
    /// The control map and screening context, rebuilt when the published log size changes.
    /// The registry as values at a published size (see ``registry()``); cleared by ``rebuild()``.
    let registryCache = Mutex<(generation: Int64, task: Task<RegistrySnapshot, any Error>)?>(nil)
    /// Concurrent misses share one read (single flight): a burst of page requests after a write loads it once.
    let riskCache = Mutex<(generation: Int64, task: Task<RiskInputs, any Error>)?>(nil)
    /// The published size the view generations were read up to, and what they were (``viewGenerations()``).
    let generationState = Mutex<(size: Int64, generations: ViewGenerations)>((0, ViewGenerations()))
    /// Reads of the view generations under way, by the published size they read up to (single flight).
    let generationReads = Mutex<[Int64: Task<ViewGenerations, any Error>]>([:])
    /// What the log's read API serves when reads go to replicas (see ``follow()``).
    let served = Mutex<ServedLog?>(nil)
    /// The verifiable index of the log (the map from keys to their entries), built in memory from the journal
    /// as lookups need it: anyone can rebuild it from the log, so it is never the truth, only a view.
    let verifiableIndex = Mutex(VerifiableIndex())
    /// The minute each token's last use was written (so it is written at most once a minute).
    let tokenUse = Mutex<[String: Int64]>([:])
    /// See ``royalties``.
    let royaltySchedule = Mutex<RoyaltySchedule?>(nil)
    /// Active tokens by their secret's SHA-256, each until a moment of the monotonic clock (see
    /// ``authenticate(_:)``): a request no longer reads the token table.
    let tokenCache = Mutex<[Data: (token: APIToken, until: ContinuousClock.Instant)]>([:])

    /// What opening reads of the log: its state, origin and key schedule.
    struct Opened: Sendable {
        var state: LogState
        var origin: String
        var schedule: LogKeySchedule
    }

    /// Claims the origin and first key on a new log, and loads the log's hashes and latest checkpoint.
    static func load(_ db: any SQLConnection, signer: Ed25519NoteSigner) throws -> Opened {
        let stored = try db.value(String.self, "SELECT value FROM meta WHERE key = 'origin'")
        if stored == nil { try db.execute("INSERT INTO meta(key, value) VALUES ('origin', ?)", [signer.name]) }
        // The key the log was created with (logs made before rotations existed: the key they open with).
        if try db.value(String.self, "SELECT value FROM meta WHERE key = 'first_vkey'") == nil {
            try db.execute("INSERT INTO meta(key, value) VALUES ('first_vkey', ?)", [signer.verifierKey])
        }
        let schedule = try RelationalStore.keySchedule(db)
        var state = LogState()
        let leaves = try SQLTileStorage.leafHashes(db)
        state.hashes.reserve(leaves.count)
        for h in leaves { state.hashes.append(h) }
        let journal = try db.value(Int.self, "SELECT COALESCE(MAX(seq), 0) FROM journal") ?? 0
        // Tiles are written in their entries' transaction, so they agree after any crash.
        guard journal == leaves.count else {
            throw StoreCorruption(table: "log_tile", key: "0", reason: "the tiles hold \(leaves.count) entries but the journal \(journal); run `assay verify`")
        }
        if let row = try db.row("SELECT size, note FROM log_checkpoint ORDER BY size DESC LIMIT 1") {
            state.published = try SignedNote(try row["note"] as String)
            state.publishedSize = try row["size"]
        }
        return Opened(state: state, origin: stored ?? signer.name, schedule: schedule)
    }

    /// Opens a store over `engine` whose log was loaded with ``load(_:signer:)``.
    init(engine: any SQLEngine, sqlite: (pool: DatabasePool, checkpointer: WALCheckpointer)?, opened: Opened,
         geography: Geography, signers: [Ed25519NoteSigner], clock: @escaping @Sendable () -> Timestamp) throws {
        guard let signer = signers.first else { throw StoreCorruption(table: "meta", key: "key", reason: "no signing key given") }
        for s in signers where s.name != opened.origin {
            throw StoreCorruption(table: "meta", key: "origin", reason: "this log's origin is \(opened.origin), but the signing key is for \(s.name)")
        }
        let ring = LogKeyRing(signers: signers, schedule: opened.schedule)
        guard ring.signer(opened.schedule.current) != nil else {
            throw StoreCorruption(table: "log_key", key: opened.schedule.current,
                                  reason: "the log signs with \(opened.schedule.current), whose private key is not among the keys given (--key)")
        }
        self.engine = engine
        self.sqlite = sqlite
        self.geography = geography
        self.validator = CommandValidator(geography: geography)
        self.clock = clock
        self.writer = LogWriter(signer: signer, writesBundles: false)
        keys = ring
        log = LogBox(opened.state)
        appender = LogAppender(engine: engine, validator: validator, geography: geography, writer: writer, log: log, keys: ring, clock: clock)
        let appender = self.appender
        committer = GroupCommitter(maxBatch: 65_536) { batch in await appender.writeBatch(batch) }
    }

    /// WAL checkpoints that failed since the store opened (each is logged; see ``WALCheckpointer``); 0 on PostgreSQL.
    public var walCheckpointFailures: Int { sqlite?.checkpointer.failures ?? 0 }

    /// The log's origin (its checkpoint key's name).
    public var origin: String { writer.origin }

    /// The verifier key anyone can use to check this log's newest checkpoints (after a rotation, the
    /// new key; ``keySchedule`` has them all).
    public var verifierKey: String { keys.schedule.current }

    /// Every key the log has signed with, and from which entry.
    public var keySchedule: LogKeySchedule { keys.schedule }

    public static let systemClock: @Sendable () -> Timestamp = {
        Timestamp(milliseconds: Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)))
    }

    /// Appends commands that `next` reads a chunk at a time (nil at the end), all in one transaction: all
    /// of them or, if any is refused (``BatchRejected``, indices counted from the first command) or `next`
    /// throws, none. Memory holds one chunk, not the whole import. `next` runs on the writer's thread,
    /// inside the transaction. Returns how many entries were written and the first and last sequence.
    public func appendStream(author: String, progress: (@Sendable (Int) -> Void)? = nil,
                             next: @escaping @Sendable () throws -> [Command]?) async throws -> (count: Int64, first: Int64, last: Int64) {
        let receipts = try await committer.submit(AppendRequest(commands: [], author: author, progress: progress, stream: next), weight: 1)
        guard let first = receipts.first, let last = receipts.last else { return (0, 0, 0) }
        return (last.sequence - first.sequence + 1, first.sequence, last.sequence)
    }

    public func append(_ commands: [Command], author: String, progress: (@Sendable (Int) -> Void)?) async throws -> [AppendReceipt] {
        let checked = try await preverify(commands)
        return try await committer.submit(AppendRequest(commands: checked, author: author, progress: progress), weight: max(1, checked.count))
    }

    /// The cores to verify signatures on. Read once: on Linux, Foundation reads the cgroup files on every
    /// call (an open, read and close that were 2.6% of a custody-ingest server's CPU when asked per append).
    static let cores = ProcessInfo.processInfo.activeProcessorCount

    /// Checks custody events' signatures before they reach the single writer, on the caller's core (in
    /// parallel for large batches), against the keys as registered now. A key's public bytes never
    /// change once registered, so the writer then only compares keys; it still checks the key's owner
    /// and validity at the event's time, and verifies itself any event whose key is not yet registered.
    func preverify(_ commands: [Command]) async throws -> [Command] {
        let keyIDs = Set(commands.compactMap { c -> String? in if case .custodyEvent(let s) = c { s.event.key } else { nil } })
        guard !keyIDs.isEmpty else { return commands }
        // Public keys already parsed by the writer need no read: a key id's bytes never change, and a
        // stale guess (a registration rolled back) only makes the writer verify the signature itself.
        var keys = appender.shared.keys.withLock { cached in
            keyIDs.reduce(into: [String: [UInt8]]()) { out, id in if let k = cached[id] { out[id] = k.key.publicKey } }
        }
        if keys.count < keyIDs.count {
            let shared = appender.shared
            keys = try await engine.read { db in
                try keyIDs.reduce(into: [String: [UInt8]]()) { out, id in
                    if let k = try ProjectionLookup(db: db, cache: LookupCache(shared: shared)).operatorKey(id) { out[id] = k.publicKey }
                }
            }
        }
        let known = keys
        @Sendable func check(_ c: Command) -> Command {
            guard case .custodyEvent(var s) = c, let pk = known[s.event.key] else { return c }
            let key = OperatorKey(id: s.event.key, party: "", publicKey: pk, validFrom: Timestamp(milliseconds: 0))
            if key.verifies(s.signature, of: s.signedBytes) { s.preverifiedKey = pk }
            return .custodyEvent(s)
        }
        guard commands.count >= 256, RelationalStore.cores > 1 else { return commands.map(check) }
        let cores = RelationalStore.cores
        let chunk = (commands.count + cores - 1) / cores
        return await withTaskGroup(of: (Int, [Command]).self) { g in
            for start in stride(from: 0, to: commands.count, by: chunk) {
                let part = Array(commands[start..<min(start + chunk, commands.count)])
                g.addTask { (start, part.map(check)) }
            }
            var parts: [(Int, [Command])] = []
            for await p in g { parts.append(p) }
            return parts.sorted { $0.0 < $1.0 }.flatMap(\.1)
        }
    }

    /// How many transactions the group committer has written, and how many appends they carried.
    public func groupCommitStats() async -> (batches: Int, requests: Int) {
        (await committer.batches, await committer.flushedRequests)
    }

    public func dryRun(_ grant: Grant) async throws -> DryRunResult {
        let validator = self.validator
        return try await engine.read { db in
            let cells = try grant.area.resolve(in: validator.geography)
            let claim = Claim(grant: grant, cells: cells)
            let lookup = ProjectionLookup(db: db)
            let excluding = try lookup.agreement(grant.agreement)?.supersedes
            let collisions = try validator.findCollisions(claim, lookup: lookup, excludingAgreement: excluding)
            return DryRunResult(collisions: collisions, cellCount: cells.count, hectares: cells.hectares, boundingBox: cells.boundingBox)
        }
    }

    public func rebuild() async throws -> RebuildStats {
        recordCache.withLock { $0.removeAll() }
        registryCache.withLock { $0 = nil }
        riskCache.withLock { $0 = nil }
        defer {
            registryCache.withLock { $0 = nil }
            riskCache.withLock { $0 = nil }
        }
        let validator = self.validator, geography = self.geography
        let start = ContinuousClock.now
        let defers = engine.defersWrites
        let count = try await engine.write { connection -> Int64 in
            // Rows held and sent a table at a time where each statement is a round trip (PostgreSQL); replay
            // reads little, and only what it reads of a table with held rows makes them go first.
            let deferred = defers ? DeferredWrites(connection) : nil
            let db: any SQLConnection = deferred ?? connection
            for table in SQLiteSchema.projectionTables { try db.execute("DELETE FROM \(table)") }
            let cache = LookupCache()
            let lookup = ProjectionLookup(db: db, cache: cache)
            let projector = Projector(db: db, geography: geography, cache: cache)
            var n: Int64 = 0
            var expected: Int64 = 1
            try db.forEachJournalEntry { seq, bytes in
                let data = Data(bytes)
                guard seq == expected else { throw StoreCorruption(table: "journal", key: String(expected), reason: "entry missing (next is \(seq))") }
                let entry: JournalEntry
                do { entry = try RelationalStore.decodeEntry([UInt8](data), db: db) } catch {
                    throw StoreCorruption(table: "journal", key: String(seq), reason: "unreadable entry: \(error)")
                }
                guard entry.sequence == seq else { throw StoreCorruption(table: "journal", key: String(seq), reason: "entry says seq \(entry.sequence)") }
                let validated: ValidatedCommand
                // Not validated again: it was when it was written, and `verify` replays with the full check.
                do { validated = try validator.replay(entry.command, at: entry.time, against: lookup) } catch {
                    throw StoreCorruption(table: "journal", key: String(seq), reason: "entry cannot be replayed: \(error)")
                }
                try projector.apply(validated, sequence: seq, commandJSON: CanonicalJSON.string(entry.command.json))
                n += 1
                expected += 1
            }
            try deferred?.flush()
            return n
        }
        let d = ContinuousClock.now - start
        return RebuildStats(entries: count, seconds: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    /// Reads a stored entry, putting back any sealed details (which must hash to what the entry logged).
    static func decodeEntry(_ bytes: [UInt8], db: any SQLConnection) throws -> JournalEntry {
        let value = try JSONParser.parse(bytes)
        guard case .object(var m) = value, case .object(let command)? = m["command"], command["sealed"] != nil else {
            return try JournalEntry(value: value)
        }
        if case .string(let hash)? = command["sealed"] {
            let details = try db.value(String.self, "SELECT json FROM sealed_detail WHERE hash = ?", [hash])
            m["command"] = .object(try Sealing.unseal(command, details: details))
        }
        return try JournalEntry(value: .object(m))
    }

    /// One journal entry with its sealed details put back, and its stored (public) bytes.
    public func entry(_ sequence: Int64) async throws -> (entry: JournalEntry, bytes: [UInt8])? {
        try await engine.read { db in
            guard let data = try db.value(Data.self, "SELECT bytes FROM journal WHERE seq = ?", [sequence]) else { return nil }
            let bytes = [UInt8](data)
            return (try RelationalStore.decodeEntry(bytes, db: db), bytes)
        }
    }

    public func journalSize() async throws -> Int64 {
        try await engine.read { try $0.value(Int64.self, "SELECT COALESCE(MAX(seq), 0) FROM journal") ?? 0 }
    }

    public func entries(_ range: ClosedRange<Int64>) async throws -> [StoredEntry] {
        try await engine.read { db in
            try db.rows("SELECT seq, bytes FROM journal WHERE seq BETWEEN ? AND ? ORDER BY seq",
                             [range.lowerBound, range.upperBound])
                .map { StoredEntry(sequence: try $0["seq"], bytes: [UInt8](try $0["bytes"] as Data)) }
        }
    }

    public func projectionSnapshot() async throws -> [String: [String]] {
        try await engine.read { db in
            var out: [String: [String]] = [:]
            for table in SQLiteSchema.projectionTables {
                let order = SQLiteSchema.snapshotOrder[table] ?? "id"
                out[table] = try db.rows("SELECT * FROM \(table) ORDER BY \(order)").map(\.rendered)
            }
            return out
        }
    }

    public func find(_ id: String) async throws -> EntityRecord? {
        // Records only change with a new entry, and every entry moves the published size: a record read
        // at size S stays right while the size is S. The size is read before the record, so a cached
        // record is never older than its key.
        let size = log.withLock { $0.publishedSize }
        if let hit = recordCache.withLock({ $0[id] }), hit.size == size { return hit.record }
        let record = try await engine.read { db in try RelationalStore.record(db, id: id) }
        if let record {
            recordCache.withLock { cache in
                if cache.count >= 10_000 { cache.removeAll(keepingCapacity: true) }
                cache[id] = (size, record)
            }
        }
        return record
    }

    static func record(_ db: any SQLConnection, id: String) throws -> EntityRecord? {
        guard let row = try db.row("SELECT kind, seq FROM entity WHERE id = ?", [id]),
              let kind = EntityKind(rawValue: try row["kind"]) else { return nil }
        let json = try db.value(String.self, "SELECT json FROM \(table(kind)) WHERE id = ?", [id]) ?? "{}"
        return EntityRecord(id: id, kind: kind, sequence: try row["seq"], json: try JSONParser.parse(json))
    }

    public func list(_ kind: EntityKind, after cursor: String?, limit: Int) async throws -> [EntityRecord] {
        try await engine.read { db in
            let rows = try db.rows("""
                SELECT e.id, e.seq, t.json FROM entity e JOIN \(RelationalStore.table(kind)) t ON t.id = e.id
                WHERE e.kind = ? AND e.id > ? ORDER BY e.id LIMIT ?
                """, [kind.rawValue, cursor ?? "", limit])
            return try rows.map { EntityRecord(id: try $0["id"], kind: kind, sequence: try $0["seq"], json: try JSONParser.parse($0["json"] as String)) }
        }
    }

    static func table(_ kind: EntityKind) -> String {
        switch kind {
        case .grant: "grant_right"
        case .offer: "asset_offer"
        case .event: "negotiation_event"
        case .claim: "source_claim"
        default: kind.rawValue
        }
    }

    /// Read once per published log size, however many ask at once (single flight): reports and pages
    /// asked for it on every request, and decoding every row's JSON was most of their time.
    public func registry() async throws -> RegistrySnapshot {
        // Kept while no published entry changes the registry's entities (custody events, risk records and
        // key rotations leave it as it is): see ``viewGenerations()``.
        let generation = try await viewGenerations().registry
        let task = registryCache.withLock { cache -> Task<RegistrySnapshot, any Error> in
            if let cache, cache.generation == generation { return cache.task }
            let t = Task { try await self.loadRegistry() }
            cache = (generation, t)
            return t
        }
        do { return try await task.value } catch {
            registryCache.withLock { cache in if cache?.task == task { cache = nil } }
            throw error
        }
    }

    func loadRegistry() async throws -> RegistrySnapshot {
        try await engine.read { db in
            func all<T>(_ table: String, _ make: (JSONObject) throws -> T) throws -> [T] {
                try db.values(String.self, "SELECT json FROM \(table) ORDER BY id").map { try make(JSONObject(JSONParser.parse($0), path: "")) }
            }
            let superseded = try db.rows("SELECT id, superseded_by FROM agreement WHERE superseded_by IS NOT NULL")
            let collisions = try db.rows("SELECT claim, json FROM claim_collision ORDER BY claim, other").map { row in
                (claim: try row["claim"] as String, collision: try RelationalStore.collision(JSONParser.parse(row["json"] as String)))
            }
            // Only the parties the registry's relations name (owners and owned, holders, operators, parties to
            // agreements, beneficiaries, obligors, payers): a registry may hold millions of parties, and
            // every view that needs any other one reads it by id (``party(_:as:)``, ``partyNames(_:)``).
            let named = """
                SELECT json FROM party WHERE id IN (
                  SELECT subject FROM ownership UNION SELECT interested FROM ownership UNION SELECT holder FROM concession
                  UNION SELECT operator FROM site WHERE operator IS NOT NULL UNION SELECT party FROM agreement_party
                  UNION SELECT beneficiary FROM grant_right UNION SELECT obligor FROM obligation
                  UNION SELECT \(db.dialect.jsonText("json", "beneficiary")) FROM obligation UNION SELECT payer FROM payment)
                ORDER BY id
                """
            return RegistrySnapshot(
                parties: try db.values(String.self, named).map { try Party(json: JSONObject(JSONParser.parse($0), path: "")) },
                ownerships: try all("ownership", Ownership.init(json:)),
                sites: try all("site", Site.init(json:)),
                concessions: try all("concession", Concession.init(json:)),
                agreements: try all("agreement", Agreement.init(json:)),
                supersededBy: Dictionary(uniqueKeysWithValues: try superseded.map { (try $0["id"] as String, try $0["superseded_by"] as String) }),
                grants: try all("grant_right", Grant.init(json:)),
                obligations: try all("obligation", Obligation.init(json:)),
                deliveries: try all("delivery", Delivery.init(json:)),
                contestedCollisions: collisions,
                journalSize: try db.value(Int64.self, "SELECT COALESCE(MAX(seq), 0) FROM journal") ?? 0,
                links: try db.values(String.self, "SELECT json FROM agreement_link ORDER BY seq").map { try AgreementLink(json: JSONObject(JSONParser.parse($0), path: "")) },
                nationalOutputs: try db.values(String.self, "SELECT json FROM national_output ORDER BY mineral, year").map { try NationalOutput(json: JSONObject(JSONParser.parse($0), path: "")) })
        }
    }

    static func collision(_ v: JSONValue) throws -> Collision {
        let o = try JSONObject(v, path: "collision")
        let box: BoundingBox? = try o.array("boundingBox").isEmpty ? nil : {
            let xs = try o.array("boundingBox").map { (v, p) throws -> Double in
                guard case .string(let s) = v, let d = Double(s) else { throw StoreCorruption(table: "claim_collision", key: p, reason: "bad box") }
                return d
            }
            return BoundingBox(south: xs[0], west: xs[1], north: xs[2], east: xs[3])
        }()
        return Collision(claimID: try o.string("claim"), claimKind: try o.enumValue("claimKind", Claim.Kind.self),
                         holder: try o.string("holder"), agreement: try o.optionalString("agreement"),
                         cellCount: Int(try o.optionalInt("cells") ?? 0), boundingBox: box,
                         minerals: try MineralSet(from: o, "minerals", required: false),
                         period: try Period(from: o.optionalDay("from"), until: o.optionalDay("until")),
                         contested: try o.optionalString("contested"))
    }
}
