import AssayDomain
import Synchronization
import TransparencyLog

/// The checkpoint keys the store holds (private halves, by verifier key) and the schedule of which
/// sign when, as last committed. The lock guards only in-memory values.
final class LogKeyRing: Sendable {
    private let state: Mutex<(signers: [String: Ed25519NoteSigner], schedule: LogKeySchedule)>

    init(signers: [Ed25519NoteSigner], schedule: LogKeySchedule) {
        state = Mutex((Dictionary(signers.map { ($0.verifierKey, $0) }, uniquingKeysWith: { a, _ in a }), schedule))
    }

    func signer(_ vkey: String) -> Ed25519NoteSigner? { state.withLock { $0.signers[vkey] } }
    func add(_ signer: Ed25519NoteSigner) { state.withLock { $0.signers[signer.verifierKey] = signer } }
    var schedule: LogKeySchedule { state.withLock { $0.schedule } }
    func update(_ schedule: LogKeySchedule) { state.withLock { $0.schedule = schedule } }
}

extension RelationalStore {
    /// The key schedule as the database holds it (in the current transaction, when inside one).
    static func keySchedule(_ db: any SQLConnection) throws -> LogKeySchedule {
        // One query (a round trip on PostgreSQL): the first key as row 0, then the rotations in order.
        var first = ""
        var rotations: [LogKeySchedule.Rotation] = []
        for row in try db.rows("""
            SELECT 0 AS seq, value AS vkey, '' AS until FROM meta WHERE key = 'first_vkey'
            UNION ALL SELECT seq, vkey, until FROM log_key ORDER BY 1
            """) {
            let seq: Int64 = try row[0]
            if seq == 0 { first = try row[1]; continue }
            rotations.append(LogKeySchedule.Rotation(sequence: seq, key: try row[1], transitionUntil: try Timestamp(iso: row[2] as String, field: "until")))
        }
        return LogKeySchedule(first: first, rotations: rotations)
    }

    /// Moves the log to `newSigner`'s key: holds it, then appends the `rotate-log-key` entry (covered
    /// by a checkpoint the old key signs, and from then on signed by the new key too). Until
    /// `transitionUntil`, checkpoints carry both signatures.
    /// - Returns: the rotation entry's receipt.
    public func rotateLogKey(to newSigner: Ed25519NoteSigner, transitionUntil: Timestamp) async throws -> AppendReceipt {
        keys.add(newSigner)
        let receipts = try await append([.rotateLogKey(LogKeyRotation(key: newSigner.verifierKey, transitionUntil: transitionUntil))],
                                        author: "log-key-rotation")
        guard let r = receipts.first else { throw StoreCorruption(table: "log_key", key: newSigner.verifierKey, reason: "no receipt") }
        return r
    }
}
