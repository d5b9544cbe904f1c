import AssayDomain
import Foundation
import Synchronization
import TransparencyLog

/// The log's in-memory state: every subtree hash, and the latest checkpoint published (committed).
struct LogState: Sendable {
    var hashes = MemoryHashStore()
    var published: SignedNote?
    var publishedSize = 0
}

/// The lock around ``LogState``. Changed only inside write transactions (serialised by GRDB), read by
/// proofs; the lock is only ever held for computation, never across I/O.
final class LogBox: Sendable {
    private let state: Mutex<LogState>
    init(_ s: LogState) { state = Mutex(s) }
    func withLock<R>(_ body: (inout LogState) throws -> R) rethrows -> R { try state.withLock { try body(&$0) } }
}

/// One caller's append: all of its commands are written, or none.
struct AppendRequest: Sendable {
    var commands: [Command]
    var author: String
    var progress: (@Sendable (Int) -> Void)?
    /// For a streamed import: the commands come from here a chunk at a time (nil at the end), inside the
    /// writer's transaction, and `commands` is empty. See ``RelationalStore/appendStream(author:progress:next:)``.
    var stream: (@Sendable () throws -> [Command]?)? = nil
}

/// Writes batches of appends: each request in its own savepoint (so one caller's refusal does not undo
/// another's commands), then one log integration and one signed checkpoint for the whole batch, in
/// one durable transaction.
final class LogAppender: Sendable {
    let engine: any SQLEngine
    let validator: CommandValidator
    let geography: Geography
    let writer: LogWriter
    let log: LogBox
    let keys: LogKeyRing
    let clock: @Sendable () -> Timestamp
    /// Parsed sites, keys and policy kept across transactions (checked against their rows on use).
    let shared = SharedLookupCache()
    /// What batches of signed events read of keys, policy, parties, sites and titles, while still true
    /// (``BatchMemo/Carried``). Only the batch writer touches it, one batch at a time.
    let carried = Mutex<BatchMemo.Carried?>(nil)

    init(engine: any SQLEngine, validator: CommandValidator, geography: Geography, writer: LogWriter, log: LogBox, keys: LogKeyRing,
         clock: @escaping @Sendable () -> Timestamp) {
        self.engine = engine; self.validator = validator; self.geography = geography; self.writer = writer; self.log = log; self.keys = keys
        self.clock = clock
    }

    func writeBatch(_ requests: [AppendRequest]) async -> [Result<[AppendReceipt], any Error>] {
        let time = clock()
        let engine = self.engine
        // Batches are written one at a time in this process (the group committer has one flusher), so
        // the log's size now is the size to return to if this transaction does not commit.
        let sizeBefore = log.withLock { $0.hashes.size }
        var committedSize: Int?
        do {
            let (written, note, size, carry) = try await engine.write { connection -> ([Result<[AppendReceipt], any Error>], SignedNote?, Int, BatchMemo.Carried?) in
                // On a backend where each statement is a round trip, rows are held and sent a table at a time.
                let deferred = engine.defersWrites ? DeferredWrites(connection) : nil
                let db: any SQLConnection = deferred ?? connection
                // Order writers across processes, then take in what others committed since we last looked.
                let head = try engine.lockLog(db, tail: self.log.withLock { $0.hashes.size })
                let caught = try self.catchUp(db, head: head)
                var results: [Result<[AppendReceipt], any Error>] = []
                var entries: [[UInt8]] = []
                // What earlier batches read stays true if every entry appended since leaves it as it is.
                var carried = self.carried.withLock { c -> BatchMemo.Carried? in
                    defer { c = nil }  // taken; put back (updated) only after this batch commits
                    guard let kept = c, kept.size <= caught.from, !caught.cut, caught.kinds.allSatisfy(BatchMemo.leavesMemoAsIs) else { return nil }
                    return kept
                }
                // Entries the follower took into the tree between batches: asked about by kind, once.
                if let kept = carried, kept.size < caught.from {
                    let other = try db.value(Int.self, """
                        SELECT 1 FROM journal WHERE seq > ? AND seq <= ? AND type NOT IN (\(BatchMemo.harmlessKinds)) LIMIT 1
                        """, [kept.size, caught.from])
                    if other != nil { carried = nil }
                }
                let memo = BatchMemo.make(for: requests, carried: carried)
                // The key schedule the checkpoint is signed with after the commit: read once, then carried
                // with the memo (a batch it applies to holds no rotation, and any rotation ends it).
                if let memo, memo.schedule == nil, engine.signsAfterCommit { memo.schedule = try RelationalStore.keySchedule(db) }
                try memo?.prefetch(requests, db: db)
                // The journal's last entry, read once for the batch and advanced by each request that is written.
                var last: Int64? = nil
                // Whether entries were integrated (their tiles written) without a checkpoint yet: a stream's.
                var integratedUnsigned = false
                for r in requests {
                    do {
                        if let next = r.stream {
                            // Earlier requests' entries first, so the tree keeps the journal's order.
                            if !entries.isEmpty {
                                _ = try self.integrate(entries, db: db, time: time, sign: false)
                                entries = []
                                integratedUnsigned = true
                            }
                            let treeBefore = self.log.withLock { $0.hashes.size }
                            last = nil  // the stream's entries go into the tree as it goes
                            do {
                                let receipts = try db.savepoint { try self.appendStream(db, next: next, author: r.author, time: time, progress: r.progress) }
                                if !receipts.isEmpty { integratedUnsigned = true }
                                results.append(.success(receipts))
                            } catch {
                                // The stream's savepoint was rolled back, and with it every entry its chunks put in the
                                // journal: so go the hashes they put in the tree (else a checkpoint would be signed over
                                // entries that are not stored).
                                self.log.withLock { $0.hashes.truncate(to: treeBefore) }
                                throw error
                            }
                            continue
                        }
                        // After the catch-up the tree holds exactly the committed journal, and this batch's
                        // entries are counted in `last` until they are integrated at its end.
                        let before = last ?? Int64(self.log.withLock { $0.hashes.size })
                        let append = { try self.appendInTransaction(db, r.commands, after: before, author: r.author, time: time, progress: r.progress, memo: memo) }
                        // One command that is refused writes nothing (it is refused before its first write), so
                        // needs no savepoint: a round trip less per request on PostgreSQL. Several need one.
                        let out = r.commands.count == 1 ? try append() : try db.savepoint(append)
                        last = before + Int64(out.1.count)
                        results.append(.success(out.0))
                        entries += out.1
                    } catch let e as BatchRejected {
                        results.append(.failure(e))
                    }
                }
                var note: SignedNote?
                if !entries.isEmpty || integratedUnsigned {
                    note = try self.integrate(entries, db: db, time: time, sign: !engine.signsAfterCommit)
                    if engine.isShared {
                        let head = "UPDATE log_head SET size = ? WHERE id = 1", size: SQLArguments = [self.log.withLock { $0.hashes.size }]
                        if let deferred { try deferred.flush(then: head, size) } else { try db.execute(head, size) }
                    }
                }
                try deferred?.flush()
                let size = self.log.withLock { $0.hashes.size }
                return (results, note, size, memo?.carry(size: size))
            }
            committedSize = size
            // Committed: what this batch's memo read is true at the new size.
            self.carried.withLock { $0 = carry }
            var results = written
            var signed = note
            if engine.signsAfterCommit, size > sizeBefore {
                // The entries are committed — on PostgreSQL with a synchronous standby, replicated — so
                // only now is a checkpoint over them signed; it is stored in a transaction of its own.
                signed = try await signAndStore(size: size, time: time, schedule: carry?.schedule)
            }
            if let signed {
                for i in results.indices {
                    if case .success(var receipts) = results[i] {
                        for k in receipts.indices { receipts[k].checkpoint = signed }
                        results[i] = .success(receipts)
                    }
                }
            }
            // A committed key rotation changes which keys sign from now on.
            if requests.contains(where: { $0.commands.contains { $0.kind == .rotateLogKey } }),
               let schedule = try? await engine.read({ try RelationalStore.keySchedule($0) }) {
                keys.update(schedule)
            }
            // Committed (and durable): only now is the checkpoint published.
            if let signed {
                log.withLock { state in
                    if size > state.publishedSize { state.published = signed; state.publishedSize = size }
                }
            }
            return results
        } catch {
            if committedSize == nil {
                // The transaction did not commit (a refused COMMIT — disk full, I/O error, a lost
                // connection — or any other failure): the entries it held are in no journal, so the
                // in-memory tree forgets them and any checkpoint signed inside it is dropped unpublished.
                // (After a lost connection the COMMIT may yet have happened; the next batch's catch-up
                // then reads the entries back from the journal.) Nothing is acknowledged.
                // (Never below the published size: ``RelationalStore/follow()`` may have taken in
                // entries other servers committed and signed while this transaction ran.)
                log.withLock { state in
                    let keep = max(sizeBefore, state.publishedSize)
                    state.hashes.truncate(to: keep)
                }
            }
            let failure = StorageFailure(error) ?? error
            return requests.map { _ in .failure(failure) }
        }
    }

    /// Brings the in-memory tree to the journal as committed (inside the log's lock): entries other
    /// servers appended are hashed in; entries this process holds that the journal lacks (a batch whose
    /// COMMIT was lost, or a failover that dropped an unconfirmed transaction) are forgotten — unless a
    /// published checkpoint covers them, which would mean the database lost signed entries.
    ///
    /// Entries a failover dropped can also have been replaced by others at the same positions: a
    /// primary shows a commit to everyone before its standby confirmed it, so this process may have
    /// taken in (or written) entries that the promoted standby never had, while other servers have
    /// since appended different ones there. So the last entry both the tree and the journal hold is
    /// compared (one row, read with the journal's size); where they differ, the tree is cut back to the
    /// last entry they share (never below the published size: those entries were confirmed).
    /// The in-memory leaf hash of journal entry `seq` (nil beyond the tree).
    func leaf(_ seq: Int) -> TreeHash? {
        log.withLock { try? $0.hashes.hash(level: 0, index: seq - 1) }
    }

    /// Runs ``catchUp(_:head:)`` in a write transaction of its own under the log's lock: repairs a tree that
    /// ``RelationalStore/follow()`` found out of step with the journal (after a failover).
    func resync() async throws {
        let engine = self.engine
        try await engine.write { db in
            let head = try engine.lockLog(db, tail: self.log.withLock { $0.hashes.size })
            try self.catchUp(db, head: head)
        }
    }

    /// What ``catchUp(_:head:)`` found: the tree's size before it, whether the tree was cut back, and the kinds
    /// of the entries other writers had appended (taken in).
    struct CaughtUp {
        var from: Int
        var cut = false
        var kinds: Set<Command.Kind> = []
    }

    /// - Parameter head: what ``SQLEngine/lockLog(_:tail:)`` read with the lock: when the head's size is the
    ///   tree's and the journal's last entry is the tree's last leaf, nobody wrote since and nothing was
    ///   lost, so nothing more is read. Anything else (another writer, a head row a migration left behind,
    ///   an entry the lock's snapshot did not see) takes the full path below.
    @discardableResult
    func catchUp(_ db: any SQLConnection, head: (size: Int, bytes: [UInt8]?)? = nil) throws -> CaughtUp {
        var (have, published) = log.withLock { ($0.hashes.size, $0.publishedSize) }
        var caught = CaughtUp(from: have)
        if let head, head.size == have, have > 0, let bytes = head.bytes, leaf(have) == MerkleHasher.leaf(bytes) { return caught }
        var committed = 0
        var lastShared: (seq: Int, bytes: [UInt8])?
        for row in try db.rows("SELECT seq, bytes FROM journal WHERE seq = ? OR seq = (SELECT MAX(seq) FROM journal)", [have]) {
            let seq: Int = try row[0]
            committed = max(committed, seq)
            if seq <= have, seq > (lastShared?.seq ?? 0) { lastShared = (seq, try row[1]) }
        }
        if let shared = lastShared, shared.seq <= published, leaf(shared.seq) != MerkleHasher.leaf(shared.bytes) {
            throw StoreCorruption(table: "journal", key: String(shared.seq),
                                  reason: "this entry is not the one a published checkpoint covers; the database was restored from another copy or changed")
        }
        if let shared = lastShared, shared.seq > published, leaf(shared.seq) != MerkleHasher.leaf(shared.bytes) {
            // Find the last position where they agree (everything at or below `published` does).
            var agree = published
            for row in try db.rows("SELECT seq, bytes FROM journal WHERE seq > ? AND seq <= ? ORDER BY seq", [published, shared.seq]) {
                let seq: Int = try row[0]
                let bytes: [UInt8] = try row[1]
                guard seq == agree + 1, leaf(seq) == MerkleHasher.leaf(bytes) else { break }
                agree = seq
            }
            log.withLock { $0.hashes.truncate(to: agree) }
            have = agree
            caught.cut = true
        }
        if committed == have { return caught }
        if committed < have {
            guard committed >= published else {
                throw StoreCorruption(table: "journal", key: String(committed),
                                      reason: "the database holds \(committed) entries but a checkpoint at size \(published) was published; it was restored from an older copy or lost confirmed commits")
            }
            log.withLock { $0.hashes.truncate(to: committed) }
            caught.cut = true
            return caught
        }
        var leaves: [TreeHash] = []
        leaves.reserveCapacity(committed - have)
        for row in try db.rows("SELECT seq, bytes, type FROM journal WHERE seq > ? ORDER BY seq", [have]) {
            guard try row[0] as Int == have + leaves.count + 1 else {
                throw StoreCorruption(table: "journal", key: String(have + leaves.count + 1), reason: "entry missing")
            }
            leaves.append(MerkleHasher.leaf(try row[1] as [UInt8]))
            // An unknown kind counts as one that changes everything.
            caught.kinds.insert(Command.Kind(rawValue: try row[2]) ?? .rotateLogKey)
        }
        log.withLock { state in
            // ``RelationalStore/follow()`` may have taken in some of them meanwhile (committed entries,
            // the same leaves): add only the rest.
            let now = state.hashes.size
            if now >= have, now < committed { for h in leaves[(now - have)...] { state.hashes.append(h) } }
        }
        return caught
    }

    /// Covers with a signed checkpoint any entries committed but not yet signed — a writer that died
    /// between its entries' commit and its checkpoint (PostgreSQL signs after the commit). The entries are
    /// taken in and a write transaction of our own commits first: its commit record follows theirs in the
    /// WAL, so once it is confirmed by the synchronous standby, theirs are too. Returns the new checkpoint.
    func signCommitted() async throws -> SignedNote? {
        let engine = self.engine
        let size = try await engine.write { db -> Int in
            let head = try engine.lockLog(db, tail: self.log.withLock { $0.hashes.size })
            try self.catchUp(db, head: head)
            let n = self.log.withLock { $0.hashes.size }
            try db.execute("UPDATE log_head SET size = ? WHERE id = 1", [n])
            return n
        }
        guard size > log.withLock({ $0.publishedSize }) else { return nil }
        let note = try await signAndStore(size: size, time: clock())
        log.withLock { state in
            if size > state.publishedSize { state.published = note; state.publishedSize = size }
        }
        return note
    }

    /// Signs the checkpoint at `size` (whose entries are committed) and stores it; a checkpoint already
    /// stored at that size (there can be only one root per size) is kept and returned.
    /// - Parameter schedule: the key schedule, when the caller knows it is the journal's at `size`.
    func signAndStore(size: Int, time: Timestamp, schedule: LogKeySchedule? = nil) async throws -> SignedNote {
        let checkpoint = try log.withLock { state in
            Checkpoint(origin: writer.origin, size: size, root: try MerkleTree.rootHash(size: size, reader: state.hashes))
        }
        // Statement by statement (no transaction): the key schedule for a committed size does not change,
        // and storing the note or reading the one stored first is one statement (on PostgreSQL; two on SQLite).
        return try await engine.writeEachStatement { db in
            let note = try self.writer.sign(checkpoint, signers: try self.signers(db, size: size, time: time, schedule: schedule))
            let stored: String?
            if db.dialect == .postgres {
                // The insert's row when it stored this note, else the row stored before. A row another server
                // committed after this statement's snapshot stops the insert but is not in the snapshot: then
                // the next statement (a new snapshot) reads it.
                stored = try db.value(String.self, """
                    WITH stored AS (INSERT INTO log_checkpoint(size, note) VALUES (?, ?) ON CONFLICT (size) DO NOTHING RETURNING note)
                    SELECT note FROM stored UNION ALL SELECT note FROM log_checkpoint WHERE size = ?
                    """, [size, note.serialized, size])
                    ?? db.value(String.self, "SELECT note FROM log_checkpoint WHERE size = ?", [size])
            } else {
                try db.execute("INSERT INTO log_checkpoint(size, note) VALUES (?, ?) ON CONFLICT (size) DO NOTHING", [size, note.serialized])
                stored = try db.value(String.self, "SELECT note FROM log_checkpoint WHERE size = ?", [size])
            }
            guard let stored else {
                throw StoreCorruption(table: "log_checkpoint", key: String(size), reason: "not stored")
            }
            let kept = try SignedNote(stored)
            guard try Checkpoint(body: kept.text).root == checkpoint.root else {
                throw StoreCorruption(table: "log_checkpoint", key: String(size), reason: "a different root is stored at this size: the log forked")
            }
            return kept
        }
    }

    /// Adds `entries` to the log inside the current transaction: hashes and tiles computed under the
    /// lock (no I/O), then tiles written and, when `sign`, a signed checkpoint. The caller publishes the
    /// checkpoint once the transaction has committed and truncates the in-memory hashes back if it did
    /// not (``writeBatch(_:)``): a COMMIT refused by SQLite (disk full, I/O error) is not always
    /// reported to transaction observers as a rollback, so the outcome of the write is what decides.
    func integrate(_ entries: [[UInt8]], db: any SQLConnection, time: Timestamp, sign: Bool) throws -> SignedNote? {
        let writer = self.writer
        let update = try log.withLock { state in try writer.prepare(entries, hashes: &state.hashes) }
        let storage = SQLTileStorage(db: db)
        guard sign else {
            try writer.writeTiles(update, storage: storage)
            return nil
        }
        return try writer.commit(update, storage: storage, signers: try signers(db, size: update.checkpoint.size, time: time))
    }

    /// The keys that sign the checkpoint at `size`, as the journal names them in the current transaction
    /// (a rotation in this batch counts).
    /// - Parameter schedule: the key schedule when known to be the journal's (else read in `db`).
    func signers(_ db: any SQLConnection, size: Int, time: Timestamp, schedule: LogKeySchedule? = nil) throws -> [Ed25519NoteSigner] {
        try (schedule ?? RelationalStore.keySchedule(db)).signingKeys(size: size, time: time).map { vkey in
            guard let s = keys.signer(vkey) else {
                throw StoreCorruption(table: "log_key", key: vkey, reason: "the checkpoint must be signed with \(vkey), whose private key is not loaded (--key)")
            }
            return s
        }
    }

    /// What only the store can check of a key rotation: the key is this log's, new, and held (so the
    /// log can sign with it), and the previous rotation is already covered by a published checkpoint
    /// (so each rotation is endorsed by the key before it).
    func checkRotation(_ r: LogKeyRotation, db: any SQLConnection) throws {
        let schedule = try RelationalStore.keySchedule(db)
        guard r.name == writer.origin else {
            throw DomainError(.invalidField, field: "key", "the key is named \(r.name); this log is \(writer.origin)")
        }
        guard !schedule.keys.contains(r.key) else {
            throw DomainError(.invalidField, field: "key", "this log has already signed with \(r.key); rotate to a new key")
        }
        guard keys.signer(r.key) != nil else {
            throw DomainError(.invalidField, field: "key", "the server does not hold this key's private half; add it to the key file first (`assay log rotate-key` does)")
        }
        let published = log.withLock { $0.publishedSize }
        if let last = schedule.rotations.last, last.sequence > Int64(published) {
            throw DomainError(.invalidField, field: "key", "the previous rotation (entry \(last.sequence)) is not yet covered by a published checkpoint")
        }
    }

    /// Validates and applies one caller's commands; throws ``BatchRejected`` listing every refusal.
    /// A streamed import inside the batch's transaction: each chunk is validated and written, and its
    /// entries integrated into the tree (tiles written, no checkpoint: the batch signs one at the end),
    /// so memory holds one chunk, not the whole file. After a refused command the remaining chunks are
    /// only validated, to report every refusal; then the whole stream is refused (its savepoint rolled
    /// back). Returns the first and last receipts (the entries between them are contiguous), or none.
    func appendStream(_ db: any SQLConnection, next: @Sendable () throws -> [Command]?, author: String, time: Timestamp,
                      progress: (@Sendable (Int) -> Void)?) throws -> [AppendReceipt] {
        var first: AppendReceipt?, last: AppendReceipt?
        var errors: [(index: Int, error: DomainError)] = []
        var done = 0
        while let chunk = try next() {
            do {
                // Earlier chunks (and requests) are in the tree: its size is the journal's last entry.
                let (receipts, entries) = try appendInTransaction(db, chunk, after: Int64(log.withLock { $0.hashes.size }), author: author, time: time, progress: nil, validateOnly: !errors.isEmpty)
                if errors.isEmpty, !entries.isEmpty {
                    _ = try integrate(entries, db: db, time: time, sign: false)
                    first = first ?? receipts.first
                    last = receipts.last ?? last
                }
            } catch let e as BatchRejected {
                errors += e.errors.map { ($0.index + done, $0.error) }
            }
            done += chunk.count
            progress?(done)
        }
        if !errors.isEmpty { throw BatchRejected(errors: errors) }
        return [first, last].compactMap { $0 }
    }

    /// - Parameters:
    ///   - validateOnly: check every command and report every refusal, writing nothing (the rest of a
    ///     stream after a refusal).
    ///   - memo: lookups shared by the whole batch (``BatchMemo``), when nothing in it can change them.
    ///   - after: the journal's last entry number.
    func appendInTransaction(_ db: any SQLConnection, _ commands: [Command], after: Int64, author: String, time: Timestamp,
                             progress: (@Sendable (Int) -> Void)?, validateOnly: Bool = false, memo: BatchMemo? = nil) throws -> ([AppendReceipt], [[UInt8]]) {
        let validator = self.validator, geography = self.geography
        // A cache per request: a refused request's savepoint is rolled back, and so must be what it cached
        // (the batch's memo holds only what no request in it can change).
        let cache = LookupCache(shared: shared)
        cache.batch = memo
        let lookup = ProjectionLookup(db: db, cache: cache)
        let projector = Projector(db: db, geography: geography, cache: cache)
        // Many commands where each query is a round trip: whether their ids are taken, asked at once.
        if engine.defersWrites, commands.count > 1 { try lookup.prefetchKinds(commands.map(\.subjectID)) }
        var seq = after
        var receipts: [AppendReceipt] = []
        receipts.reserveCapacity(commands.count)
        var entries: [[UInt8]] = []
        entries.reserveCapacity(commands.count)
        var errors: [(Int, DomainError)] = []
        let insert = ("INSERT INTO journal(seq, time, author, type, subject, bytes) VALUES (?, ?, ?, ?, ?, ?)")
        let timeText = time.iso
        for (i, command) in commands.enumerated() {
            let validated: ValidatedCommand
            do {
                if case .rotateLogKey(let r) = command { try checkRotation(r, db: db) }
                validated = try validator.validate(command, at: time, against: lookup)
            } catch let e as DomainError where e.code == .alreadyRecorded {
                // Idempotent resubmission: the first receipt again, nothing written.
                if errors.isEmpty, let original = e.sequence {
                    let flags = try RelationalStore.flags(db, event: command.subjectID)
                    receipts.append(AppendReceipt(sequence: original, subject: command.subjectID, collisions: [], flags: flags, replayed: true))
                }
                continue
            } catch let e as DomainError {
                errors.append((i, e))
                continue
            }
            if validateOnly || !errors.isEmpty { continue }  // keep validating to report every error; write nothing more
            seq += 1
            let commandJSON = command.json
            var journalJSON = commandJSON
            var sealed = false
            // Confidential details go to sealed_detail; the public entry keeps only their hash.
            if let keys = try Sealing.keys(for: command, obligationIsConfidential: { try lookup.obligation($0)?.confidential ?? false }),
               case .object(let members) = commandJSON {
                let (pub, details, hash) = Sealing.seal(members, keys: keys)
                try db.execute("INSERT INTO sealed_detail(hash, json) VALUES (?, ?)", [hash, CanonicalJSON.string(details)])
                journalJSON = .object(pub)
                sealed = true
            }
            // An offer of a confidential reserve's asset reveals it, with the salt of its commitment; any
            // `reveal` a caller sent is replaced (or dropped, for an open reserve).
            if case .offerAsset(let o) = command, case .object(var m) = journalJSON {
                m["reveal"] = try RelationalStore.reveal(offer: o, db: db)
                journalJSON = .object(m)
            }
            let commandBytes = CanonicalJSON.encode(journalJSON)
            let entryBytes = JournalEntry.bytes(sequence: seq, time: time, author: author, commandBytes: commandBytes)
            try db.execute(insert, [seq, timeText, author, command.kind.rawValue, command.subjectID, Data(entryBytes)])
            // Unsealed, the journal's command bytes are the command's canonical JSON: encode it once.
            try projector.apply(validated, sequence: seq,
                                commandJSON: sealed ? CanonicalJSON.string(commandJSON) : String(decoding: commandBytes, as: UTF8.self))
            entries.append(entryBytes)
            receipts.append(AppendReceipt(sequence: seq, subject: command.subjectID, collisions: validated.collisions,
                                          flags: validated.custody?.flags ?? []))
            if let progress, i % 1000 == 999 { progress(i + 1) }
        }
        if !errors.isEmpty { throw BatchRejected(errors: errors) }
        return (receipts, entries)
    }
}
