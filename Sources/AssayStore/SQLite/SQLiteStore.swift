import AssayDomain
import Foundation
import GRDB
import Synchronization
import TransparencyLog

/// The embedded store: the journal and projections in one SQLite file (WAL, `synchronous = FULL`),
/// through GRDB.
///
/// For example:
/// ```swift
/// let store = try SQLiteStore(path: "assay.sqlite", geography: geography)
/// let receipts = try await store.append([.registerParty(party)], author: "registrar")
/// ```
public final class SQLiteStore: RegistryStore {
    let pool: DatabasePool
    public let geography: Geography
    let validator: CommandValidator
    let clock: @Sendable () -> Timestamp
    let writer: LogWriter
    /// The log's hashes in memory and the latest published checkpoint.
    let log: LogBox
    /// The checkpoint keys held and the schedule of which sign when.
    let keys: LogKeyRing
    let appender: SQLiteAppender
    /// Entity records by id with the published size they were read at; cleared past 10,000 and on rebuild.
    let recordCache = Mutex<[String: (size: Int, record: EntityRecord)]>([:])
    /// Full tiles recently served (immutable, so never stale); cleared when it grows past 4,096.
    let tileCache = Mutex<[Tile: [UInt8]]>([:])
    let committer: GroupCommitter<AppendRequest, [AppendReceipt]>
    /// The control map and screening context, rebuilt when the published log size changes.
    let riskCache = Mutex<RiskInputs?>(nil)
    /// Checkpoints the WAL off the writer's path.
    let checkpointer: WALCheckpointer
    /// The minute each token's last use was written (so it is written at most once a minute).
    let tokenUse = Mutex<[String: Int64]>([:])

    /// Opens (creating and migrating when needed) the database at `path`.
    /// - Parameters:
    ///   - signer: the log's checkpoint key; its name is the log's origin, fixed when the log is created.
    ///   - clock: the time written into entries; the system clock unless a test fixes it.
    public convenience init(path: String, geography: Geography, signer: Ed25519NoteSigner,
                            clock: @escaping @Sendable () -> Timestamp = SQLiteStore.systemClock) throws {
        try self.init(path: path, geography: geography, signers: [signer], clock: clock)
    }

    /// Opens the database with every checkpoint key the operator holds (a key file may hold several
    /// during a rotation). The first creates a new log; an existing log signs with the keys its journal
    /// names (``LogKeySchedule``), and refuses to open without the current one.
    public init(path: String, geography: Geography, signers: [Ed25519NoteSigner],
                clock: @escaping @Sendable () -> Timestamp = SQLiteStore.systemClock) throws {
        guard let signer = signers.first else { throw StoreCorruption(table: "meta", key: "key", reason: "no signing key given") }
        var config = Configuration()
        config.busyMode = .timeout(10)
        pool = try DatabasePool(path: path, configuration: config)
        // GRDB sets synchronous = NORMAL on pools after prepareDatabase; durability needs FULL (STYLE.md).
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        try SQLiteSchema.migrator.migrate(pool)
        // No checkpoint inside commits: the checkpointer's own connection does it (see WALCheckpointer).
        try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA wal_autocheckpoint = 0; PRAGMA journal_size_limit = 67108864") }
        checkpointer = try WALCheckpointer(path: path)
        // Refuse to run without durable commits: every connection in WAL mode, the writer (and the
        // checkpointer) syncing with `synchronous = FULL`, so an acknowledged append is on disk.
        for setting in try SQLiteStore.durabilitySettings(pool: pool, checkpointer: checkpointer) where !setting.isDurable {
            throw StoreCorruption(table: "pragma", key: setting.connection,
                                  reason: "journal_mode \(setting.journalMode), synchronous \(setting.synchronous): commits would not be durable")
        }
        self.geography = geography
        self.validator = CommandValidator(geography: geography)
        self.clock = clock
        self.writer = LogWriter(signer: signer, writesBundles: false)
        let (state, origin, schedule) = try pool.write { db -> (LogState, String, LogKeySchedule) in
            let stored = try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'origin'")
            if stored == nil { try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('origin', ?)", arguments: [signer.name]) }
            // The key the log was created with (logs made before rotations existed: the key they open with).
            if try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'first_vkey'") == nil {
                try db.execute(sql: "INSERT INTO meta(key, value) VALUES ('first_vkey', ?)", arguments: [signer.verifierKey])
            }
            let schedule = try SQLiteStore.keySchedule(db)
            var state = LogState()
            let leaves = try SQLiteTileStorage.leafHashes(db)
            state.hashes.reserve(leaves.count)
            for h in leaves { state.hashes.append(h) }
            let journal = try Int.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM journal") ?? 0
            guard journal == leaves.count else {
                throw StoreCorruption(table: "log_tile", key: "0", reason: "the tiles hold \(leaves.count) entries but the journal \(journal); run `assay verify`")
            }
            if let row = try Row.fetchOne(db, sql: "SELECT size, note FROM log_checkpoint ORDER BY size DESC LIMIT 1") {
                state.published = try SignedNote(row["note"] as String)
                state.publishedSize = row["size"]
            }
            return (state, stored ?? signer.name, schedule)
        }
        for s in signers where s.name != origin {
            throw StoreCorruption(table: "meta", key: "origin", reason: "this log's origin is \(origin), but the signing key is for \(s.name)")
        }
        let ring = LogKeyRing(signers: signers, schedule: schedule)
        guard ring.signer(schedule.current) != nil else {
            throw StoreCorruption(table: "log_key", key: schedule.current,
                                  reason: "the log signs with \(schedule.current), whose private key is not among the keys given (--key)")
        }
        keys = ring
        log = LogBox(state)
        appender = SQLiteAppender(pool: pool, validator: validator, geography: geography, writer: writer, log: log, keys: ring, clock: clock)
        let appender = self.appender
        committer = GroupCommitter(maxBatch: 65_536) { batch in await appender.writeBatch(batch) }
    }

    /// WAL checkpoints that failed since the store opened (each is logged; see ``WALCheckpointer``).
    public var walCheckpointFailures: Int { checkpointer.failures }

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

    public func append(_ commands: [Command], author: String, progress: (@Sendable (Int) -> Void)?) async throws -> [AppendReceipt] {
        let checked = try await preverify(commands)
        return try await committer.submit(AppendRequest(commands: checked, author: author, progress: progress), weight: max(1, checked.count))
    }

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
            keys = try await pool.read { db in
                try keyIDs.reduce(into: [String: [UInt8]]()) { out, id in
                    if let k = try SQLiteLookup(db: db, cache: LookupCache(shared: shared)).operatorKey(id) { out[id] = k.publicKey }
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
        let cores = ProcessInfo.processInfo.activeProcessorCount
        guard commands.count >= 256, cores > 1 else { return commands.map(check) }
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
        return try await pool.read { db in
            let cells = try grant.area.resolve(in: validator.geography)
            let claim = Claim(grant: grant, cells: cells)
            let lookup = SQLiteLookup(db: db)
            let excluding = try lookup.agreement(grant.agreement)?.supersedes
            let collisions = try validator.findCollisions(claim, lookup: lookup, excludingAgreement: excluding)
            return DryRunResult(collisions: collisions, cellCount: cells.count, hectares: cells.hectares, boundingBox: cells.boundingBox)
        }
    }

    public func rebuild() async throws -> RebuildStats {
        recordCache.withLock { $0.removeAll() }
        let validator = self.validator, geography = self.geography
        let start = ContinuousClock.now
        let count = try await pool.write { db -> Int64 in
            for table in SQLiteSchema.projectionTables { try db.execute(sql: "DELETE FROM \(table)") }
            let cache = LookupCache()
            let lookup = SQLiteLookup(db: db, cache: cache)
            let projector = SQLiteProjector(db: db, geography: geography, cache: cache)
            var n: Int64 = 0
            let cursor = try Row.fetchCursor(db, sql: "SELECT seq, bytes FROM journal ORDER BY seq")
            var expected: Int64 = 1
            while let row = try cursor.next() {
                let seq: Int64 = row["seq"]
                let data: Data = row["bytes"]
                guard seq == expected else { throw StoreCorruption(table: "journal", key: String(expected), reason: "entry missing (next is \(seq))") }
                let entry: JournalEntry
                do { entry = try SQLiteStore.decodeEntry([UInt8](data), db: db) } catch {
                    throw StoreCorruption(table: "journal", key: String(seq), reason: "unreadable entry: \(error)")
                }
                guard entry.sequence == seq else { throw StoreCorruption(table: "journal", key: String(seq), reason: "entry says seq \(entry.sequence)") }
                let validated: ValidatedCommand
                do { validated = try validator.validate(entry.command, at: entry.time, against: lookup) } catch {
                    throw StoreCorruption(table: "journal", key: String(seq), reason: "entry no longer validates on replay: \(error)")
                }
                try projector.apply(validated, sequence: seq, commandJSON: CanonicalJSON.string(entry.command.json))
                n += 1
                expected += 1
            }
            return n
        }
        let d = ContinuousClock.now - start
        return RebuildStats(entries: count, seconds: Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18)
    }

    /// Reads a stored entry, putting back any sealed details (which must hash to what the entry logged).
    static func decodeEntry(_ bytes: [UInt8], db: Database) throws -> JournalEntry {
        let value = try JSONParser.parse(bytes)
        guard case .object(var m) = value, case .object(let command)? = m["command"], command["sealed"] != nil else {
            return try JournalEntry(value: value)
        }
        if case .string(let hash)? = command["sealed"] {
            let details = try String.fetchOne(db.cachedStatement(sql: "SELECT json FROM sealed_detail WHERE hash = ?"), arguments: [hash])
            m["command"] = .object(try Sealing.unseal(command, details: details))
        }
        return try JournalEntry(value: .object(m))
    }

    /// One journal entry with its sealed details put back, and its stored (public) bytes.
    public func entry(_ sequence: Int64) async throws -> (entry: JournalEntry, bytes: [UInt8])? {
        try await pool.read { db in
            guard let data = try Data.fetchOne(db, sql: "SELECT bytes FROM journal WHERE seq = ?", arguments: [sequence]) else { return nil }
            let bytes = [UInt8](data)
            return (try SQLiteStore.decodeEntry(bytes, db: db), bytes)
        }
    }

    public func journalSize() async throws -> Int64 {
        try await pool.read { try Int64.fetchOne($0, sql: "SELECT COALESCE(MAX(seq), 0) FROM journal") ?? 0 }
    }

    public func entries(_ range: ClosedRange<Int64>) async throws -> [StoredEntry] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, bytes FROM journal WHERE seq BETWEEN ? AND ? ORDER BY seq",
                             arguments: [range.lowerBound, range.upperBound])
                .map { StoredEntry(sequence: $0["seq"], bytes: [UInt8]($0["bytes"] as Data)) }
        }
    }

    public func projectionSnapshot() async throws -> [String: [String]] {
        try await pool.read { db in
            var out: [String: [String]] = [:]
            for table in SQLiteSchema.projectionTables {
                let order = SQLiteSchema.snapshotOrder[table] ?? "id"
                out[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)").map { $0.description }
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
        let record = try await pool.read { db in try SQLiteStore.record(db, id: id) }
        if let record {
            recordCache.withLock { cache in
                if cache.count >= 10_000 { cache.removeAll(keepingCapacity: true) }
                cache[id] = (size, record)
            }
        }
        return record
    }

    static func record(_ db: Database, id: String) throws -> EntityRecord? {
        guard let row = try Row.fetchOne(db, sql: "SELECT kind, seq FROM entity WHERE id = ?", arguments: [id]),
              let kind = EntityKind(rawValue: row["kind"]) else { return nil }
        let json = try String.fetchOne(db, sql: "SELECT json FROM \(table(kind)) WHERE id = ?", arguments: [id]) ?? "{}"
        return EntityRecord(id: id, kind: kind, sequence: row["seq"], json: try JSONParser.parse(json))
    }

    public func list(_ kind: EntityKind, after cursor: String?, limit: Int) async throws -> [EntityRecord] {
        try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT e.id, e.seq, t.json FROM entity e JOIN \(SQLiteStore.table(kind)) t ON t.id = e.id
                WHERE e.kind = ? AND e.id > ? ORDER BY e.id LIMIT ?
                """, arguments: [kind.rawValue, cursor ?? "", limit])
            return try rows.map { EntityRecord(id: $0["id"], kind: kind, sequence: $0["seq"], json: try JSONParser.parse($0["json"] as String)) }
        }
    }

    static func table(_ kind: EntityKind) -> String {
        kind == .grant ? "grant_right" : kind.rawValue
    }

    public func registry() async throws -> RegistrySnapshot {
        try await pool.read { db in
            func all<T>(_ table: String, _ make: (JSONObject) throws -> T) throws -> [T] {
                try String.fetchAll(db, sql: "SELECT json FROM \(table) ORDER BY id").map { try make(JSONObject(JSONParser.parse($0), path: "")) }
            }
            let superseded = try Row.fetchAll(db, sql: "SELECT id, superseded_by FROM agreement WHERE superseded_by IS NOT NULL")
            let collisions = try Row.fetchAll(db, sql: "SELECT claim, json FROM claim_collision ORDER BY claim, other").map { row in
                (claim: row["claim"] as String, collision: try SQLiteStore.collision(JSONParser.parse(row["json"] as String)))
            }
            return RegistrySnapshot(
                parties: try all("party", Party.init(json:)),
                ownerships: try all("ownership", Ownership.init(json:)),
                sites: try all("site", Site.init(json:)),
                concessions: try all("concession", Concession.init(json:)),
                agreements: try all("agreement", Agreement.init(json:)),
                supersededBy: Dictionary(uniqueKeysWithValues: superseded.map { ($0["id"] as String, $0["superseded_by"] as String) }),
                grants: try all("grant_right", Grant.init(json:)),
                obligations: try all("obligation", Obligation.init(json:)),
                deliveries: try all("delivery", Delivery.init(json:)),
                contestedCollisions: collisions,
                journalSize: try Int64.fetchOne(db, sql: "SELECT COALESCE(MAX(seq), 0) FROM journal") ?? 0)
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
