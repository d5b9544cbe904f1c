import FuzzSupport
import AssayDomain
import AssayIngest

// NDJSON commands as `assay import` and the API read them: every line reads as a command or is
// refused with a DomainError. A command that reads has a canonical JSON that is a fixed point (read
// back, it encodes to the same bytes: what replay of the journal decodes is what was hashed), and goes
// through the validator against an in-memory registry that the earlier lines of the same input filled.
let geography = Geography(country: "CD", provinces: [
    Province(code: "CD-NK", name: "Nord-Kivu", polygons: [Polygon(rings: [[(28, -2), (30, -2), (30, 0), (28, 0)]])]),
])
let validator = CommandValidator(geography: geography)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    var registry = Registry()
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        // A bare signed event (`{"event":…,"signature":…}`) is read as a custody-event.
        guard let command = try? Command(bulkLine: String(line)) else { continue }
        let encoded = CanonicalJSON.encode(command.json)
        let again: Command
        do { again = try Command(json: command.json) } catch {
            fatalError("the canonical JSON of a command does not read back: \(error)\n\(String(decoding: encoded, as: UTF8.self))")
        }
        check(CanonicalJSON.encode(again.json) == encoded,
                     "canonical JSON is not a fixed point:\n\(String(decoding: encoded, as: UTF8.self))\n\(CanonicalJSON.string(again.json))")
        if let validated = try? validator.validate(command, at: Timestamp(milliseconds: 1_750_000_000_000), against: registry) {
            registry.apply(validated)
        }
    }
    // The importer's own NDJSON loop (blank lines, `#` comments, CRLF, every bad line reported).
    _ = try? CommandImporter.ndjson(text, file: "fuzz.ndjson")
    return 0
}

/// A registry in memory, filled by the commands that validated (the store keeps the same facts).
struct Registry: RegistryLookup {
    var kinds: [String: EntityKind] = [:]
    var agreements: [String: Agreement] = [:]
    var superseded: [String: String] = [:]
    var concessions: [String: Concession] = [:]
    var obligations: [String: Obligation] = [:]
    var owns: [Ownership] = []
    var claims: [Claim] = []
    var sites: [String: Site] = [:]
    var keys: [String: OperatorKey] = [:]
    var signers: [String: [String]] = [:]

    func kind(of id: String) throws -> EntityKind? { kinds[id] }
    func agreement(_ id: String) throws -> Agreement? { agreements[id] }
    func supersededBy(_ id: String) throws -> String? { superseded[id] }
    func agreementSigners(_ agreement: String) throws -> [String] { signers[agreement] ?? [] }
    func concession(_ id: String) throws -> Concession? { concessions[id] }
    func obligation(_ id: String) throws -> Obligation? { obligations[id] }
    func ownerships(of party: String) throws -> [Ownership] { owns.filter { $0.subject == party } }
    func activeClaims(near cells: CellSet, minerals: MineralSet) throws -> [Claim] { claims }
    func site(_ id: String) throws -> Site? { sites[id] }
    func operatorKey(_ id: String) throws -> OperatorKey? { keys[id] }

    mutating func apply(_ v: ValidatedCommand) {
        switch v.command {
        case .registerParty(let p): kinds[p.id] = .party
        case .recordOwnership(let o): kinds[o.id] = .ownership; owns.append(o)
        case .registerSite(let s): kinds[s.id] = .site; sites[s.id] = s
        case .registerConcession(let c): kinds[c.id] = .concession; concessions[c.id] = c
        case .changeConcessionStatus(let ch): concessions[ch.subject]?.status = ch.status
        case .registerAgreement(let a):
            kinds[a.id] = .agreement; agreements[a.id] = a
            if let old = a.supersedes { superseded[old] = a.id }
        case .changeAgreementStatus(let ch): agreements[ch.subject]?.status = ch.status
        case .recordGrant(let g): kinds[g.id] = .grant
        case .recordObligation(let o): kinds[o.id] = .obligation; obligations[o.id] = o
        case .recordDelivery(let d): kinds[d.id] = .delivery
        case .registerKey(let k): keys[k.id] = k
        case .signAgreement(let sig):
            signers[sig.agreement, default: []].append(sig.party)
            if v.completesSignatures { agreements[sig.agreement]?.status = .signed }
        default: break
        }
        if let c = v.claim { claims.append(c) }
    }
}

// SwiftPM links an executable with `main` renamed to `<module>_main`: hand it to libFuzzer's driver.
@_cdecl("fuzz_command_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzz) }
