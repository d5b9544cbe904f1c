/// The kinds of entity in the registry; ids are unique across all of them.
public enum EntityKind: String, Sendable, CaseIterable {
    case party, ownership, site, concession, agreement, grant, obligation, delivery, reserve, offer, event, claim
}

/// What validation needs to know of the registry as it stands. The store answers it from its
/// projections inside the append transaction; tests answer it from memory.
public protocol RegistryLookup {
    /// The kind of the entity with this id, if any.
    func kind(of id: String) throws -> EntityKind?
    func agreement(_ id: String) throws -> Agreement?
    /// The id of the agreement that supersedes `id`, if one does.
    func supersededBy(_ id: String) throws -> String?
    /// The parties whose signature of the agreement is recorded (`sign-agreement`).
    func agreementSigners(_ agreement: String) throws -> [String]
    /// Links from or to the agreement (`link-agreements`).
    func agreementLinks(_ agreement: String) throws -> [AgreementLink]
    /// The id of the claim the registry uses for this subject's field, if one is chosen.
    func usedClaim(subject: String, field: String) throws -> String?
    func nationalOutputRecorded(mineral: Mineral, year: Int) throws -> Bool
    func concession(_ id: String) throws -> Concession?
    func obligation(_ id: String) throws -> Obligation?
    /// Ownership relations whose subject is `party`.
    func ownerships(of party: String) throws -> [Ownership]
    /// Claims that may share a cell with `cells` and a mineral with `minerals`, and that hold ground
    /// now: titles that are granted or suspended, grants of agreements whose rights are given and not
    /// superseded. A superset is fine: the rule checks exactly.
    func activeClaims(near cells: CellSet, minerals: MineralSet) throws -> [Claim]

    // Reserves and first-offer windows (issue 13).
    func reserve(_ id: String) throws -> Reserve?
    func grant(_ id: String) throws -> Grant?
    /// An offer with its window's length and its answers.
    func offerWindow(_ id: String) throws -> OfferWindow?
    /// Every offer of one asset of a reserve, in the order they were recorded, with their answers.
    func offerWindows(reserve: String, asset: String) throws -> [OfferWindow]
    /// Offers not accepted or refused whose window may hold on `day`, on assets sharing a mineral with
    /// `minerals`, with their asset's cells and minerals (a superset is fine: the rule checks exactly).
    func windows(near cells: CellSet, minerals: MineralSet, on day: Day) throws -> [AssetWindow]

    // Custody (issue 5).
    func site(_ id: String) throws -> Site?
    /// Titles registered for a site: id, status and validity only (what custody needs).
    func titles(atSite site: String) throws -> [TitleAtSite]
    func operatorKey(_ id: String) throws -> OperatorKey?
    func lot(_ id: String) throws -> LotRecord?
    /// The lot a tag (a lot id or an extra tag) belongs to.
    func tagOwner(_ tag: String) throws -> String?
    /// A recorded custody event: its entry and the SHA-256 (hex) of its canonical event bytes.
    func custodyEvent(_ id: String) throws -> (sequence: Int64, hash: String)?
    /// Mass extracted at a site in a calendar year so far.
    func siteOutput(site: String, mineral: Mineral, year: Int) throws -> Mass
    /// Mass a party took in (extracted, accepted, received) and exported, per mineral, so far.
    func partyFlow(party: String, mineral: Mineral) throws -> (received: Mass, exported: Mass)
    func custodyPolicy() throws -> CustodyPolicy
    func priceRecorded(mineral: Mineral, day: Day) throws -> Bool
    func paymentRecorded(_ id: String) throws -> Bool

    // Conflict and risk (issue 6).
    func partyKind(_ id: String) throws -> PartyKind?
    /// A recorded control assessment: its controller and the assessment that superseded it, if any.
    func controlAssessment(_ id: String) throws -> (controller: String, supersededBy: String?)?
    func siteVisitRecorded(_ id: String) throws -> Bool
    func conflictEventRecorded(_ id: String) throws -> Bool
    func siteStatusRecorded(site: String, day: Day) throws -> Bool
}

/// An offer's window with the ground of the asset it is on.
public struct AssetWindow: Sendable {
    public var window: OfferWindow
    public var cells: CellSet
    public var minerals: MineralSet
    public init(window: OfferWindow, cells: CellSet, minerals: MineralSet) { self.window = window; self.cells = cells; self.minerals = minerals }
}

/// Answers for a lookup that holds no custody data (the registry-only tests): nothing is registered.
extension RegistryLookup {
    public func reserve(_ id: String) throws -> Reserve? { nil }
    public func agreementLinks(_ agreement: String) throws -> [AgreementLink] { [] }
    public func usedClaim(subject: String, field: String) throws -> String? { nil }
    public func nationalOutputRecorded(mineral: Mineral, year: Int) throws -> Bool { false }
    public func grant(_ id: String) throws -> Grant? { nil }
    public func offerWindow(_ id: String) throws -> OfferWindow? { nil }
    public func offerWindows(reserve: String, asset: String) throws -> [OfferWindow] { [] }
    public func windows(near cells: CellSet, minerals: MineralSet, on day: Day) throws -> [AssetWindow] { [] }
    public func site(_ id: String) throws -> Site? { nil }
    public func titles(atSite site: String) throws -> [TitleAtSite] { [] }
    public func operatorKey(_ id: String) throws -> OperatorKey? { nil }
    public func lot(_ id: String) throws -> LotRecord? { nil }
    public func tagOwner(_ tag: String) throws -> String? { nil }
    public func custodyEvent(_ id: String) throws -> (sequence: Int64, hash: String)? { nil }
    public func siteOutput(site: String, mineral: Mineral, year: Int) throws -> Mass { .zero }
    public func partyFlow(party: String, mineral: Mineral) throws -> (received: Mass, exported: Mass) { (.zero, .zero) }
    public func custodyPolicy() throws -> CustodyPolicy { .default }
    public func priceRecorded(mineral: Mineral, day: Day) throws -> Bool { false }
    public func paymentRecorded(_ id: String) throws -> Bool { false }
    public func partyKind(_ id: String) throws -> PartyKind? { nil }
    public func controlAssessment(_ id: String) throws -> (controller: String, supersededBy: String?)? { nil }
    public func siteVisitRecorded(_ id: String) throws -> Bool { false }
    public func conflictEventRecorded(_ id: String) throws -> Bool { false }
    public func siteStatusRecorded(site: String, day: Day) throws -> Bool { false }
}

/// A command that passed validation, with what applying it needs: the claim it makes (for grants and
/// titles) and the collisions it was recorded despite (when contested).
public struct ValidatedCommand: Sendable {
    public var command: Command
    public var claim: Claim?
    public var collisions: [Collision]
    /// Whether the claim holds ground now (a granted title; a grant of a given, unsuperseded agreement).
    public var claimActive: Bool = false
    /// For a custody event: everything it changes, flags included.
    public var custody: CustodyEffect?
    /// For a control assessment: its cells and whether its controller is a non-state armed group.
    public var controlCells: CellSet?
    public var controllerKind: ControllerKind?
    /// For an agreement signature: it is the last one missing, so the agreement becomes signed.
    public var completesSignatures = false
}

/// A title registered for a site, as custody needs it: whether it held the ground on a day.
public struct TitleAtSite: Sendable, Hashable {
    public var id: String
    public var status: ConcessionStatus
    public var granted: Day?
    public var expires: Day?

    public init(id: String, status: ConcessionStatus, granted: Day?, expires: Day?) {
        self.id = id; self.status = status; self.granted = granted; self.expires = expires
    }

    /// Granted (or suspended) and within its dates on `day`.
    public func holds(on day: Day) -> Bool {
        status.holdsGround && (granted.map { $0 <= day } ?? true) && (expires.map { day < $0 } ?? true)
    }
}
