import AssayDomain
import AssayStore
import Crypto
import Foundation

/// The registry in the open-data formats of the field, shaped from a role's view of the registry (the
/// redacted snapshot: what the role may not see is already gone): agreements and their obligations as
/// OCDS 1.1 releases, ownership as BODS 0.4 statements, sites, titles and grants as GeoJSON. Each export
/// names the signed checkpoint it was taken at (``Taken``).
public enum OpenData {
    /// The formats `assay export` and `GET /api/v1/exports/{format}` give.
    public static let formats = ["ocds", "bods", "geojson", "eiti", "ndjson"]

    /// The checkpoint an export was taken at: its size, root and signed note.
    public struct Taken: Sendable {
        public var size: Int64
        public var root: String
        public var note: String
        public var time: String
        public init(size: Int64, root: String, note: String, time: String) { self.size = size; self.root = root; self.note = note; self.time = time }
        var json: JSONValue { .object(["size": .int(size), "root": .string(root), "note": .string(note)]) }
    }

    // MARK: - OCDS

    /// An OCDS release package: one release per agreement (tag `contract`), its parties with their roles, the
    /// agreement as an award and a contract, and its obligations as the contract's milestones, with their
    /// status on `asOf`. The package carries the checkpoint as `assayCheckpoint`.
    public static func ocds(_ r: RegistrySnapshot, taken: Taken, asOf: Day, publisher: String) -> JSONValue {
        let names = Dictionary(r.parties.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let balances = Dictionary(r.balance(agreement: nil, asOf: asOf).obligations.map { ($0.obligation.id, $0) }, uniquingKeysWith: { a, _ in a })
        var releases: [JSONValue] = []
        for a in r.agreements.sorted(by: { $0.id < $1.id }) {
            let date = a.signed.map { $0.iso + "T00:00:00Z" } ?? taken.time
            var parties: [JSONValue] = []
            for m in a.parties {
                parties.append(.object(["id": .string(m.party), "name": .string(names[m.party] ?? m.party), "roles": .array([.string(ocdsRole(m.role))])]))
            }
            let obligations = r.obligations.filter { $0.agreement == a.id }.sorted { $0.id < $1.id }
            let milestones: [JSONValue] = obligations.map { o in
                var m: [String: JSONValue] = ["id": .string(o.id), "title": .string(String(o.description.prefix(200))),
                                              "description": .string(o.description), "type": "delivery",
                                              "status": .string(milestoneStatus(balances[o.id], asOf: asOf))]
                if let due = o.due { m["dueDate"] = .string(due.iso + "T00:00:00Z") }
                return .object(m)
            }
            var contract: [String: JSONValue] = ["id": .string(a.id), "awardID": .string(a.id), "title": .string(a.title),
                                                 "status": .string(contractStatus(a.status)), "milestones": .array(milestones)]
            if let s = a.summary { contract["description"] = .string(s) }
            if let signed = a.signed { contract["dateSigned"] = .string(signed.iso + "T00:00:00Z") }
            releases.append(.object([
                "ocid": .string("ocds-assay-" + a.id), "id": .string("\(a.id)-\(taken.size)"), "date": .string(date),
                "tag": ["contract"], "initiationType": "tender", "language": "en",
                "parties": .array(parties),
                "awards": .array([.object(["id": .string(a.id), "title": .string(a.title), "status": .string(a.status == .terminated ? "cancelled" : "active")])]),
                "contracts": .array([.object(contract)]),
            ]))
        }
        return .object(["uri": .string("assay:export/ocds@\(taken.size)"), "version": "1.1", "publishedDate": .string(taken.time),
                        "publisher": .object(["name": .string(publisher)]), "releases": .array(releases), "assayCheckpoint": taken.json])
    }

    static func ocdsRole(_ role: AgreementRole) -> String {
        switch role {
        case .grantor: "buyer"
        case .grantee, .securityProvider: "supplier"
        case .partner: "supplier"
        case .guarantor: "funder"
        case .witness, .mediator: "interestedParty"
        }
    }

    static func contractStatus(_ s: AgreementStatus) -> String {
        switch s {
        case .proposed, .negotiating: "pending"
        case .signed, .inForce, .suspended, .disputed: "active"
        case .terminated: "terminated"
        }
    }

    static func milestoneStatus(_ b: ObligationBalance?, asOf: Day) -> String {
        guard let b else { return "scheduled" }
        if b.progress >= 1 { return "met" }
        if b.isOverdue { return b.progress > 0 ? "partiallyMet" : "notMet" }
        return "scheduled"
    }

    // MARK: - BODS

    /// BODS 0.4 statements: an entity (or person) statement for every party an ownership names, and a
    /// relationship statement for every ownership (a shareholding, exact or a range), all declared about the
    /// owned entity, dated at the checkpoint. Statement ids are SHA-256 of the record id and the checkpoint
    /// size, so a re-export at the same checkpoint gives the same ids.
    public static func bods(_ r: RegistrySnapshot, taken: Taken) -> JSONValue {
        let byID = Dictionary(r.parties.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let day = String(taken.time.prefix(10))
        var out: [JSONValue] = []
        var named: [String] = []
        for o in r.ownerships { for p in [o.subject, o.interestedParty] where !named.contains(p) { named.append(p) } }
        for id in named.sorted() {
            let p = byID[id]
            let isPerson = p?.kind == .person
            var details: [String: JSONValue] = ["isComponent": false]
            if isPerson {
                details["personType"] = "knownPerson"
                details["names"] = .array([.object(["fullName": .string(p?.name ?? id)])])
            } else {
                details["entityType"] = .object(["type": .string(entityType(p?.kind))])
                details["name"] = .string(p?.name ?? id)
                if let c = p?.country { details["jurisdiction"] = .object(["name": .string(c), "code": .string(c)]) }
                details["identifiers"] = .array([.object(["id": .string(id), "scheme": "ASSAY-PARTY", "schemeName": "Assay party id"])])
            }
            out.append(statement(recordID: "party-" + id, type: isPerson ? "person" : "entity", subject: "party-" + id,
                                 details: .object(details), day: day, taken: taken))
        }
        for o in r.ownerships.sorted(by: { $0.id < $1.id }) {
            var share: [String: JSONValue] = [:]
            if o.share.isExact { share["exact"] = .decimal(DecimalText.canonical(o.share.minimum)) } else {
                share["minimum"] = .decimal(DecimalText.canonical(o.share.minimum))
                share["maximum"] = .decimal(DecimalText.canonical(o.share.maximum))
            }
            var interest: [String: JSONValue] = ["type": "shareholding", "directOrIndirect": "direct", "beneficialOwnershipOrControl": false,
                                                 "share": .object(share)]
            if let f = o.period.from { interest["startDate"] = .string(f.iso) }
            if let u = o.period.until { interest["endDate"] = .string(u.iso) }
            let details: JSONValue = .object(["isComponent": false, "subject": .string("party-" + o.subject),
                                              "interestedParty": .string("party-" + o.interestedParty), "interests": .array([.object(interest)])])
            out.append(statement(recordID: "ownership-" + o.id, type: "relationship", subject: "party-" + o.subject, details: details, day: day, taken: taken))
        }
        return .array(out)
    }

    static func entityType(_ kind: PartyKind?) -> String {
        switch kind {
        case .state: "state"
        case .agency: "stateBody"
        case .company, .stateOwnedEnterprise: "registeredEntity"
        case .armedGroup, .organisation, .jointBody: "unknownEntity"
        case .person, nil: "unknownEntity"
        }
    }

    static func statement(recordID: String, type: String, subject: String, details: JSONValue, day: String, taken: Taken) -> JSONValue {
        let id = SHA256.hash(data: Array("\(recordID)@\(taken.size)".utf8)).map { String(format: "%02x", $0) }.joined()
        return .object(["statementId": .string(id), "statementDate": .string(day), "declarationSubject": .string(subject),
                        "recordId": .string(recordID), "recordType": .string(type), "recordStatus": "new", "recordDetails": details,
                        "publicationDetails": .object(["publicationDate": .string(day), "bodsVersion": "0.4",
                                                       "publisher": .object(["name": "Assay registry", "url": "https://github.com/assay"])])])
    }

    // MARK: - GeoJSON

    /// A FeatureCollection: sites as points, titles, grants (where their area is cells) and control zones as
    /// multipolygons of the cadastral grid's row runs, each feature with its kind, id and main fields as properties. The
    /// collection carries the checkpoint as the foreign member `assayCheckpoint`.
    public static func geojson(_ r: RegistrySnapshot, controls: [ControlEntry] = [], taken: Taken) -> JSONValue {
        var features: [JSONValue] = []
        for s in r.sites.sorted(by: { $0.id < $1.id }) {
            let point: JSONValue = .object(["type": "Point", "coordinates": .array([.decimal(DecimalText.canonical(s.longitude)),
                                                                                     .decimal(DecimalText.canonical(s.latitude))])])
            features.append(feature(id: "site/" + s.id, geometry: point,
                properties: ["kind": "site", "id": .string(s.id), "name": .string(s.name), "siteKind": .string(s.kind.rawValue)]))
        }
        for c in r.concessions.sorted(by: { $0.id < $1.id }) where !c.cells.isEmpty {
            features.append(feature(id: "title/" + c.id, geometry: cells(c.cells),
                                    properties: ["kind": "title", "id": .string(c.id), "code": .string(c.code), "holder": .string(c.holder),
                                                 "status": .string(c.status.rawValue)]))
        }
        for g in r.grants.sorted(by: { $0.id < $1.id }) {
            guard case .cells(let set) = g.area, !set.isEmpty else { continue }
            features.append(feature(id: "grant/" + g.id, geometry: cells(set),
                                    properties: ["kind": "grant", "id": .string(g.id), "agreement": .string(g.agreement), "beneficiary": .string(g.beneficiary)]))
        }
        // Control zones: who holds the ground, from when to when, on what evidence (the current assessments).
        for c in controls.sorted(by: { $0.id < $1.id }) where !c.cells.isEmpty {
            var p: [String: JSONValue] = ["kind": "control-zone", "id": .string(c.id), "controller": .string(c.controller),
                                          "controllerKind": .string(c.kind.rawValue), "confidence": .string(c.confidence.rawValue),
                                          "sources": .array(c.sources.map { .string($0) })]
            p["from"] = c.period.from.map { .string($0.iso) } ?? .null
            p["until"] = c.period.until.map { .string($0.iso) } ?? .null
            features.append(feature(id: "control/" + c.id, geometry: cells(c.cells), properties: p))
        }
        return .object(["type": "FeatureCollection", "features": .array(features), "assayCheckpoint": taken.json])
    }

    /// A coordinate in degrees to 8 decimals (about a millimetre), without trailing zeros.
    static func number(_ x: Double) -> JSONValue {
        var t = String(format: "%.8f", x)
        while t.hasSuffix("0") { t.removeLast() }
        if t.hasSuffix(".") { t.removeLast() }
        return t.contains(".") ? .decimal(t) : .int(Int64(t) ?? 0)
    }

    static func feature(id: String, geometry: JSONValue, properties: [String: JSONValue]) -> JSONValue {
        .object(["type": "Feature", "id": .string(id), "geometry": geometry, "properties": .object(properties)])
    }

    /// A multipolygon of the cells' row runs: one closed rectangle per run of consecutive cells in a row.
    static func cells(_ set: CellSet) -> JSONValue {
        var polygons: [JSONValue] = []
        let step = 1.0 / Double(CellGrid.cellsPerDegree)
        for range in set.ranges {
            var start = range.lowerBound
            while start <= range.upperBound {
                let (row, col) = CellGrid.rowColumn(start)
                let rowEnd = CellGrid.id(row: row, column: CellGrid.columns - 1)
                let end = min(range.upperBound, rowEnd)
                let lastCol = CellGrid.rowColumn(end).column
                let south = -90 + Double(row) * step, north = south + step
                let west = -180 + Double(col) * step, east = -180 + Double(lastCol + 1) * step
                func p(_ x: Double, _ y: Double) -> JSONValue { .array([number(x), number(y)]) }
                polygons.append(.array([.array([p(west, south), p(east, south), p(east, north), p(west, north), p(west, south)])]))
                if end == range.upperBound { break }
                start = end + 1
            }
        }
        return .object(["type": "MultiPolygon", "coordinates": .array(polygons)])
    }
}
