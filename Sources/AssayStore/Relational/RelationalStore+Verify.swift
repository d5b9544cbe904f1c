import AssayDomain
import Foundation
import GRDB
import TransparencyLog

/// What `assay verify` checked.
public struct VerificationReport: Sendable {
    public var entries: Int
    public var tiles: Int
    public var checkpoints: Int
    public var checkpointSize: Int
    public var root: TreeHash
    public var projectionRows: Int
    /// Signed roots of the verifiable index checked against the index rebuilt from the journal.
    public var indexRoots: Int = 0
}

/// The first thing `assay verify` found that does not match: which entry, tile, checkpoint or row.
public struct VerificationFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

extension RelationalStore {
    /// Recomputes every hash from the journal's entries, checks every stored tile and checkpoint (and
    /// the checkpoints' signatures with `verifier`), then replays the journal into fresh projections
    /// in memory and compares them row by row with the stored ones.
    /// - Throws: ``VerificationFailure`` naming the first entry, tile, checkpoint or row that differs.
    public func verify(with verifier: any NoteVerifier) async throws -> VerificationReport {
        let geography = self.geography
        return try await engine.read { db in try RelationalStore.verify(db, geography: geography, verifier: verifier) }
    }

    /// ``verify(with:)`` on any connection to an Assay database: the live store's, or a backup's opened read-only.
    static func verify(_ db: any SQLConnection, geography: Geography, verifier: any NoteVerifier) throws -> VerificationReport {
        // 1. Entries: contiguous, readable, canonical; their leaf hashes.
        var fresh = MemoryHashStore()
        var commands: [(Int64, JournalEntry)] = []
        var expected: Int64 = 1
        // The verifiable index, rebuilt from the entries: every signed index root stored must be its root at that size.
        var index = VerifiableIndex()
        var indexRoots: [Int64: String] = [:]
        // (A backup taken before index roots were kept has no such table: nothing to compare.)
        for row in (try? db.rows("SELECT size, root FROM index_checkpoint")) ?? [] { indexRoots[try row["size"]] = try row["root"] }
        var indexChecked = 0
        try db.forEachJournalEntry { seq, bytes in
            guard seq == expected else { throw VerificationFailure(message: "entry \(expected): missing from the journal (next is \(seq))") }
            let entry: JournalEntry
            do {
                guard CanonicalJSON.encode(try JSONParser.parse(bytes)) == bytes else {
                    throw VerificationFailure(message: "entry \(seq): its bytes are not in canonical form")
                }
                entry = try RelationalStore.decodeEntry(bytes, db: db)
            } catch let f as VerificationFailure { throw f } catch {
                throw VerificationFailure(message: "entry \(seq): unreadable (\(error))")
            }
            guard entry.sequence == seq else { throw VerificationFailure(message: "entry \(seq): its bytes say sequence \(entry.sequence)") }
            fresh.append(MerkleHasher.leaf(bytes))
            commands.append((seq, entry))
            index.add(entry: bytes)
            if let stored = indexRoots[index.size] {
                let root = index.root().base64
                guard root == stored else {
                    throw VerificationFailure(message: "index root at size \(index.size): the stored signed root \(stored) is not the index rebuilt from the journal (\(root))")
                }
                indexChecked += 1
            }
            expected += 1
        }
        if let beyond = indexRoots.keys.first(where: { $0 > index.size }) {
            throw VerificationFailure(message: "index root at size \(beyond): beyond the journal (\(index.size) entries)")
        }
        let size = fresh.size

        // 2. Checkpoints: signed by the key the journal names for their size (the first key, then
        // each `rotate-log-key` entry's), the first one covering a rotation by the key before it as
        // well; their roots are the roots of the entries. The given verifier must be one of the keys.
        let first = try db.value(String.self, "SELECT value FROM meta WHERE key = 'first_vkey'") ?? ""
        let schedule = LogKeySchedule(first: first, rotations: commands.compactMap { seq, entry in
            guard case .rotateLogKey(let r) = entry.command else { return nil }
            return LogKeySchedule.Rotation(sequence: seq, key: r.key, transitionUntil: r.transitionUntil)
        })
        var verifiers: [String: any NoteVerifier] = [:]
        for k in schedule.keys {
            // A database from before key rotations has no first key recorded: the given key stands for it.
            if k.isEmpty { verifiers[k] = verifier; continue }
            do { verifiers[k] = try Ed25519NoteVerifier(verifierKey: k) } catch {
                throw VerificationFailure(message: "log key \(k): \(error)")
            }
        }
        guard verifiers.values.contains(where: { $0.name == verifier.name && $0.keyID == verifier.keyID }) else {
            throw VerificationFailure(message: "the verifier key given is not one this log has signed with (its keys: \(schedule.keys.joined(separator: ", ")))")
        }
        var endorsed = Set<Int64>()
        var checkpointCount = 0, latest = 0
        var latestRoot = MerkleHasher.empty
        for row in try db.rows("SELECT size, note FROM log_checkpoint ORDER BY size") {
            let cpSize: Int = try row[0]
            let note: SignedNote
            do {
                note = try SignedNote(row[1] as String)
                _ = try note.verify(with: Array(verifiers.values))
            } catch {
                throw VerificationFailure(message: "checkpoint at size \(cpSize): \(error)")
            }
            func signed(by key: String) -> Bool {
                guard let v = verifiers[key] else { return false }
                return note.signatures.contains { $0.name == v.name && $0.keyID == v.keyID }
            }
            let (current, previous) = schedule.keys(atSize: cpSize)
            guard signed(by: current) else {
                throw VerificationFailure(message: "checkpoint at size \(cpSize): not signed by \(current), the key the journal names for this size")
            }
            if let rotation = schedule.rotations.last(where: { $0.sequence <= Int64(cpSize) }), !endorsed.contains(rotation.sequence) {
                guard let previous, signed(by: previous) else {
                    throw VerificationFailure(message: "checkpoint at size \(cpSize): the first to cover the rotation at entry \(rotation.sequence) is not signed by the key before it")
                }
                endorsed.insert(rotation.sequence)
            }
            let cp = try Checkpoint(body: note.text)
            guard cp.size == cpSize, cp.origin == verifier.name else {
                throw VerificationFailure(message: "checkpoint at size \(cpSize): says size \(cp.size), origin \(cp.origin)")
            }
            guard cpSize <= size else {
                throw VerificationFailure(message: "checkpoint at size \(cpSize): the journal has only \(size) entries")
            }
            let root = try MerkleTree.rootHash(size: cpSize, reader: fresh)
            if root != cp.root {
                // The signed root is authoritative: find the first entry whose hash the tiles contradict.
                let stored = try SQLTileStorage.leafHashes(db)
                for i in 0..<min(cpSize, stored.count) where try fresh.hash(level: 0, index: i) != stored[i] {
                    throw VerificationFailure(message: "entry \(i + 1): its bytes no longer hash to what checkpoint \(cpSize) signed")
                }
                throw VerificationFailure(message: "checkpoint at size \(cpSize): entries 1…\(cpSize) do not hash to its signed root")
            }
            checkpointCount += 1
            latest = cpSize
            latestRoot = root
        }
        guard latest == size else {
            throw VerificationFailure(message: "the latest checkpoint covers \(latest) entries, the journal holds \(size)")
        }

        // 3. Tiles: each stored tile holds the hashes recomputed from the entries.
        var tileCount = 0
        for row in try db.rows("SELECT level, idx, width, data FROM log_tile WHERE level >= 0 ORDER BY level, idx, width") {
            let tile = Tile(level: try row[0], index: try row[1], width: try row[2])
            let data = [UInt8](try row[3] as Data)
            let want: [UInt8]
            do { want = try tile.hashes(reader: fresh) } catch {
                throw VerificationFailure(message: "tile \(tile.path): covers hashes the entries do not have")
            }
            if data != want {
                let at = zip(data, want).enumerated().first { $0.element.0 != $0.element.1 }?.offset ?? min(data.count, want.count)
                throw VerificationFailure(message: "tile \(tile.path): hash \(at / 32) differs from the hash of the entries")
            }
            tileCount += 1
        }

        // 4. Projections: replay the journal into a fresh in-memory database and compare row by row.
        // The scratch database is SQLite whatever the backend (the statements are the same): the
        // replay runs in memory and never touches the store being checked.
        let scratch = try DatabaseQueue()
        try SQLiteSchema.migrator.migrate(scratch)
        let validator = CommandValidator(geography: geography)
        try scratch.write { grdb in
            let sdb = GRDBConnection(db: grdb)
            let cache = LookupCache()
            let lookup = ProjectionLookup(db: sdb, cache: cache)
            let projector = Projector(db: sdb, geography: geography, cache: cache)
            for (seq, entry) in commands {
                let v: ValidatedCommand
                do { v = try validator.validate(entry.command, at: entry.time, against: lookup) } catch {
                    throw VerificationFailure(message: "entry \(seq): does not validate on replay (\(error))")
                }
                try projector.apply(v, sequence: seq, commandJSON: CanonicalJSON.string(entry.command.json))
            }
        }
        var rows = 0
        for table in SQLiteSchema.projectionTables {
            let order = SQLiteSchema.snapshotOrder[table] ?? "id"
            let stored = try db.rows("SELECT * FROM \(table) ORDER BY \(order)")
            let replayed = try scratch.read { try GRDBConnection(db: $0).rows("SELECT * FROM \(table) ORDER BY \(order)") }
            // Rows as column → value, so the two backends' column order does not matter.
            func keyed(_ rows: [SQLRow]) throws -> [(String, [String: SQLValue])] {
                try rows.map { r in
                    let values = Dictionary(zip(r.columns.names, r.values), uniquingKeysWith: { a, _ in a })
                    let key = try order.split(separator: ",").map { name -> String in
                        let v: SQLValue = try r[String(name).trimmingCharacters(in: .whitespaces)]
                        if case .text(let t) = v { return "\"\(t)\"" }
                        return v.rendered
                    }.joined(separator: ", ")
                    return (key, values)
                }
            }
            let replayedKeyed = try keyed(replayed)
            let replayedByKey = Dictionary(replayedKeyed, uniquingKeysWith: { a, _ in a })
            let storedKeyed = try keyed(stored)
            let storedKeys = Set(storedKeyed.map(\.0))
            var problems: [(String, String)] = []
            for (key, row) in storedKeyed {
                guard let other = replayedByKey[key] else { problems.append((key, "is not in the journal")); continue }
                if other != row { problems.append((key, "differs from the journal's replay")) }
            }
            for (key, _) in replayedKeyed where !storedKeys.contains(key) { problems.append((key, "is missing")) }
            if let first = problems.min(by: { $0.0 < $1.0 }) {
                throw VerificationFailure(message: "projection \(table) row \(first.0) \(first.1)")
            }
            rows += stored.count
        }
        return VerificationReport(entries: size, tiles: tileCount, checkpoints: checkpointCount, checkpointSize: latest,
                                  root: latestRoot, projectionRows: rows, indexRoots: indexChecked)
    }
}
