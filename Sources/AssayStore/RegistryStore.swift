import AssayDomain
import TransparencyLog

/// The journal and its projections, behind one protocol so that SQLite (the embedded default) and
/// PostgreSQL (multi-user deployments, a later issue) can both implement it and one conformance suite
/// can run on both. No SQLite or GRDB type appears here.
///
/// Every write goes through ``append(_:author:)``: the commands are validated against the registry,
/// appended to the journal and applied to the projections in one transaction, or nothing is written.
public protocol RegistryStore: Sendable {
    /// Validates and appends `commands` as one transaction, in order; each command sees the ones
    /// before it. If any command is refused, nothing is written and ``BatchRejected`` lists every
    /// refusal with its position.
    /// `progress`, when given, is called with the number of commands applied so far.
    func append(_ commands: [Command], author: String, progress: (@Sendable (Int) -> Void)?) async throws -> [AppendReceipt]

    /// Answers "would this grant collide?" without writing anything.
    func dryRun(_ grant: Grant) async throws -> DryRunResult

    /// Drops the projections and replays the whole journal into them.
    func rebuild() async throws -> RebuildStats

    /// The number of journal entries.
    func journalSize() async throws -> Int64

    /// Journal entries with sequence numbers in `range`, as stored.
    func entries(_ range: ClosedRange<Int64>) async throws -> [StoredEntry]

    /// A snapshot of every projection table's rows, in key order (for comparing after a rebuild).
    func projectionSnapshot() async throws -> [String: [String]]

    /// Everything queries and reports read, as registered now.
    func registry() async throws -> RegistrySnapshot

    /// The entity with this id, if any, with its kind and the entry that created it.
    func find(_ id: String) async throws -> EntityRecord?

    /// Entities of one kind, by id, after `cursor`.
    func list(_ kind: EntityKind, after cursor: String?, limit: Int) async throws -> [EntityRecord]
}

extension RegistryStore {
    /// Appends without progress reports.
    public func append(_ commands: [Command], author: String) async throws -> [AppendReceipt] {
        try await append(commands, author: author, progress: nil)
    }
}

/// What an append returns for each command: its journal sequence number and, for a contested grant or
/// title, the collisions it was recorded despite.
public struct AppendReceipt: Sendable, Hashable {
    public var sequence: Int64
    public var subject: String
    public var collisions: [Collision]
    /// The signed checkpoint that covers the entry (its log index is `sequence - 1`).
    public var checkpoint: SignedNote?
    /// For a custody event: the flags it raised.
    public var flags: [CustodyFlag]
    /// The command was already recorded (an idempotent resubmission): `sequence` is the original entry.
    public var replayed: Bool

    public init(sequence: Int64, subject: String, collisions: [Collision], checkpoint: SignedNote? = nil,
                flags: [CustodyFlag] = [], replayed: Bool = false) {
        self.sequence = sequence; self.subject = subject; self.collisions = collisions; self.checkpoint = checkpoint
        self.flags = flags; self.replayed = replayed
    }
}

/// A batch in which some commands were refused: nothing of it was written.
public struct BatchRejected: Error, Sendable, CustomStringConvertible {
    /// Zero-based position in the batch, and why.
    public var errors: [(index: Int, error: DomainError)]

    public var description: String {
        errors.map { "command \($0.index + 1): \($0.error)" }.joined(separator: "\n")
    }
}

/// The answer of a dry run: the collisions, and the area checked.
public struct DryRunResult: Sendable {
    public var collisions: [Collision]
    public var cellCount: Int
    public var hectares: Double
    public var boundingBox: BoundingBox?
}

/// A journal entry as stored: its sequence number and canonical bytes.
public struct StoredEntry: Sendable, Hashable {
    public var sequence: Int64
    public var bytes: [UInt8]
}

public struct RebuildStats: Sendable {
    public var entries: Int64
    public var seconds: Double
}

/// An entity as the projections hold it: its canonical JSON and the entry that created it.
public struct EntityRecord: Sendable {
    public var id: String
    public var kind: EntityKind
    public var sequence: Int64
    public var json: JSONValue
}

/// The registry as values, for reports and views.
public struct RegistrySnapshot: Sendable {
    /// The parties the registry's relations name (owners and owned, holders, operators, parties to
    /// agreements, grant and obligation beneficiaries, obligors, payers), not every registered party:
    /// read any other by id (``RelationalStore/party(_:as:)``).
    public var parties: [Party]
    public var ownerships: [Ownership]
    public var sites: [Site]
    public var concessions: [Concession]
    public var agreements: [Agreement]
    public var supersededBy: [String: String]
    public var grants: [Grant]
    public var obligations: [Obligation]
    public var deliveries: [Delivery]
    /// Recorded collisions of contested grants and titles: (the contested claim, the collision).
    public var contestedCollisions: [(claim: String, collision: Collision)]
    public var journalSize: Int64
    /// Links between agreements, in the order they were recorded.
    public var links: [AgreementLink] = []
    /// Published national production per mineral and year.
    public var nationalOutputs: [NationalOutput] = []
}
