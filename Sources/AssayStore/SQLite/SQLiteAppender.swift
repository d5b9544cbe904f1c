import AssayDomain
import Foundation
import GRDB
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
}

/// Writes batches of appends: each request in its own savepoint (so one caller's refusal does not undo
/// another's commands), then one log integration and one signed checkpoint for the whole batch, in
/// one durable transaction.
final class SQLiteAppender: Sendable {
    let pool: DatabasePool
    let validator: CommandValidator
    let geography: Geography
    let writer: LogWriter
    let log: LogBox
    let keys: LogKeyRing
    let clock: @Sendable () -> Timestamp
    /// Parsed sites, keys and policy kept across transactions (checked against their rows on use).
    let shared = SharedLookupCache()

    init(pool: DatabasePool, validator: CommandValidator, geography: Geography, writer: LogWriter, log: LogBox, keys: LogKeyRing,
         clock: @escaping @Sendable () -> Timestamp) {
        self.pool = pool; self.validator = validator; self.geography = geography; self.writer = writer; self.log = log; self.keys = keys
        self.clock = clock
    }

    func writeBatch(_ requests: [AppendRequest]) async -> [Result<[AppendReceipt], any Error>] {
        let time = clock()
        // Batches are written one at a time (the group committer has one flusher), so the log's size
        // now is the size to return to if this transaction does not commit.
        let sizeBefore = log.withLock { $0.hashes.size }
        do {
            let (results, note) = try await pool.write { db -> ([Result<[AppendReceipt], any Error>], (note: SignedNote, size: Int)?) in
                var results: [Result<[AppendReceipt], any Error>] = []
                var entries: [[UInt8]] = []
                for r in requests {
                    do {
                        var out: ([AppendReceipt], [[UInt8]]) = ([], [])
                        try db.inSavepoint {
                            out = try self.appendInTransaction(db, r.commands, author: r.author, time: time, progress: r.progress)
                            return .commit
                        }
                        results.append(.success(out.0))
                        entries += out.1
                    } catch let e as BatchRejected {
                        results.append(.failure(e))
                    }
                }
                var note: (note: SignedNote, size: Int)?
                if !entries.isEmpty {
                    let signed = try self.integrate(entries, db: db, time: time)
                    note = (signed, self.log.withLock { $0.hashes.size })
                    for i in results.indices {
                        if case .success(var receipts) = results[i] {
                            for k in receipts.indices { receipts[k].checkpoint = signed }
                            results[i] = .success(receipts)
                        }
                    }
                }
                return (results, note)
            }
            // A committed key rotation changes which keys sign from now on.
            if requests.contains(where: { $0.commands.contains { $0.kind == .rotateLogKey } }),
               let schedule = try? await pool.read({ try SQLiteStore.keySchedule($0) }) {
                keys.update(schedule)
            }
            // Committed (and synced: `synchronous = FULL`): only now is the checkpoint published.
            if let (note, size) = note {
                log.withLock { state in
                    if size > state.publishedSize { state.published = note; state.publishedSize = size }
                }
            }
            return results
        } catch {
            // The transaction did not commit (a refused COMMIT — disk full, I/O error — or any other
            // failure): the entries it held are in no journal, so the in-memory tree forgets them and
            // the checkpoint signed inside it is dropped unpublished. Nothing is acknowledged.
            log.withLock { $0.hashes.truncate(to: sizeBefore) }
            let failure = StorageFailure(error) ?? error
            return requests.map { _ in .failure(failure) }
        }
    }

    /// Adds `entries` to the log inside the current transaction: hashes and tiles computed under the
    /// lock (no I/O), then tiles and a signed checkpoint written. The caller publishes the checkpoint
    /// once the transaction has committed and truncates the in-memory hashes back if it did not
    /// (``writeBatch(_:)``): a COMMIT refused by SQLite (disk full, I/O error) is not always reported
    /// to transaction observers as a rollback, so the outcome of `pool.write` is what decides.
    func integrate(_ entries: [[UInt8]], db: Database, time: Timestamp) throws -> SignedNote {
        let writer = self.writer
        let update = try log.withLock { state in try writer.prepare(entries, hashes: &state.hashes) }
        // The keys named by the journal as it stands in this transaction (a rotation in this batch counts).
        let schedule = try SQLiteStore.keySchedule(db)
        let signers = try schedule.signingKeys(size: update.checkpoint.size, time: time).map { vkey in
            guard let s = keys.signer(vkey) else {
                throw StoreCorruption(table: "log_key", key: vkey, reason: "the checkpoint must be signed with \(vkey), whose private key is not loaded (--key)")
            }
            return s
        }
        return try writer.commit(update, storage: SQLiteTileStorage(db: db), signers: signers)
    }

    /// What only the store can check of a key rotation: the key is this log's, new, and held (so the
    /// log can sign with it), and the previous rotation is already covered by a published checkpoint
    /// (so each rotation is endorsed by the key before it).
    func checkRotation(_ r: LogKeyRotation, db: Database) throws {
        let schedule = try SQLiteStore.keySchedule(db)
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
    func appendInTransaction(_ db: Database, _ commands: [Command], author: String, time: Timestamp,
                             progress: (@Sendable (Int) -> Void)?) throws -> ([AppendReceipt], [[UInt8]]) {
        let validator = self.validator, geography = self.geography
        // A cache per request: a refused request's savepoint is rolled back, and so must be what it cached.
        let cache = LookupCache(shared: shared)
        let lookup = SQLiteLookup(db: db, cache: cache)
        let projector = SQLiteProjector(db: db, geography: geography, cache: cache)
        var seq = try Int64.fetchOne(db.cachedStatement(sql: "SELECT COALESCE(MAX(seq), 0) FROM journal")) ?? 0
        var receipts: [AppendReceipt] = []
        receipts.reserveCapacity(commands.count)
        var entries: [[UInt8]] = []
        entries.reserveCapacity(commands.count)
        var errors: [(Int, DomainError)] = []
        let insert = try db.cachedStatement(sql: "INSERT INTO journal(seq, time, author, type, subject, bytes) VALUES (?, ?, ?, ?, ?, ?)")
        let timeText = time.iso
        for (i, command) in commands.enumerated() {
            let validated: ValidatedCommand
            do {
                if case .rotateLogKey(let r) = command { try checkRotation(r, db: db) }
                validated = try validator.validate(command, at: time, against: lookup)
            } catch let e as DomainError where e.code == .alreadyRecorded {
                // Idempotent resubmission: the first receipt again, nothing written.
                if errors.isEmpty, let original = e.sequence {
                    let flags = try SQLiteStore.flags(db, event: command.subjectID)
                    receipts.append(AppendReceipt(sequence: original, subject: command.subjectID, collisions: [], flags: flags, replayed: true))
                }
                continue
            } catch let e as DomainError {
                errors.append((i, e))
                continue
            }
            if !errors.isEmpty { continue }  // keep validating to report every error; write nothing more
            seq += 1
            let commandJSON = command.json
            var journalJSON = commandJSON
            var sealed = false
            // Confidential details go to sealed_detail; the public entry keeps only their hash.
            if let keys = try Sealing.keys(for: command, obligationIsConfidential: { try lookup.obligation($0)?.confidential ?? false }),
               case .object(let members) = commandJSON {
                let (pub, details, hash) = Sealing.seal(members, keys: keys)
                try db.execute(sql: "INSERT INTO sealed_detail(hash, json) VALUES (?, ?)", arguments: [hash, CanonicalJSON.string(details)])
                journalJSON = .object(pub)
                sealed = true
            }
            let commandBytes = CanonicalJSON.encode(journalJSON)
            let entryBytes = JournalEntry.bytes(sequence: seq, time: time, author: author, commandBytes: commandBytes)
            try insert.execute(arguments: [seq, timeText, author, command.kind.rawValue, command.subjectID, Data(entryBytes)])
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
