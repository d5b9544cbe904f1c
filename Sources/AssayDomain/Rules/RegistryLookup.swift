/// The kinds of entity in the registry; ids are unique across all of them.
public enum EntityKind: String, Sendable, CaseIterable {
    case party, ownership, site, concession, agreement, grant, obligation, delivery
}

/// What validation needs to know of the registry as it stands. The store answers it from its
/// projections inside the append transaction; tests answer it from memory.
public protocol RegistryLookup {
    /// The kind of the entity with this id, if any.
    func kind(of id: String) throws -> EntityKind?
    func agreement(_ id: String) throws -> Agreement?
    /// The id of the agreement that supersedes `id`, if one does.
    func supersededBy(_ id: String) throws -> String?
    func concession(_ id: String) throws -> Concession?
    func obligation(_ id: String) throws -> Obligation?
    /// Ownership relations whose subject is `party`.
    func ownerships(of party: String) throws -> [Ownership]
    /// Claims that may share a cell with `cells` and a mineral with `minerals`, and that hold ground
    /// now: titles that are granted or suspended, grants of agreements whose rights are given and not
    /// superseded. A superset is fine: the rule checks exactly.
    func activeClaims(near cells: CellSet, minerals: MineralSet) throws -> [Claim]
}

/// A command that passed validation, with what applying it needs: the claim it makes (for grants and
/// titles) and the collisions it was recorded despite (when contested).
public struct ValidatedCommand: Sendable {
    public var command: Command
    public var claim: Claim?
    public var collisions: [Collision]
    /// Whether the claim holds ground now (a granted title; a grant of a given, unsuperseded agreement).
    public var claimActive: Bool = false
}
