import AssayDomain
import Foundation

/// The demo data set: real facts from the shipped reference data (every one with its source URL) and
/// a few clearly labelled synthetic ones, as journal commands.
///
/// Real: the parties of the agreements and mines; the dated ownership of the major mines; the major
/// mines and IPIS's artisanal sites as sites; the 25 agreements of `drc_agreements.csv`; the grants and
/// obligations their sources describe. Synthetic (labelled `synthetic` in the data and every view):
/// the *areas* of mining titles and grants (the CAMI cadastre polygons may not be redistributed, so each
/// title is a block of cells around its mine's published point), delivery records, and quantities no
/// source gives.
public enum DemoSet {
    /// Builds every command of the demo set, in journal order.
    public static func commands() throws -> [Command] {
        var out: [JSONValue] = []
        try parties(&out)
        try ownerships(&out)
        try sites(&out)
        try concessions(&out)
        try agreements(&out)
        try rights(&out)
        // Sites by id and by IPIS pcode (`pcode:<code>`), for the risk story's visits and statuses.
        var sites: [String: String] = [:]
        for v in out {
            guard case .object(let m) = v, m["type"] == "register-site", case .string(let id)? = m["id"] else { continue }
            sites[id] = id
            if case .string(let pcode)? = m["externalId"] { sites["pcode:" + pcode.lowercased()] = id }
        }
        out += try DemoRisk.commands(sites: sites)
        out += try DemoCustody.commands()
        out += try DemoDeal.commands()
        return try out.map { try Command(json: $0) }
    }

    /// The demo's (public, demo-only) signing key of an operator in the custody story, for tests and
    /// examples; nil for a party without one.
    public static func demoKey(_ party: String) -> OperatorSigningKey? {
        DemoCustody.keyParties.contains(party) ? DemoCustody.key(party) : nil
    }

    /// The demo's (public, demo-only) key a state signs agreements with (`cd`, `us`); nil for others.
    public static func agreementKey(_ party: String) -> OperatorSigningKey? {
        DemoDeal.keyParties.contains(party) ? DemoDeal.key(party) : nil
    }

    /// The demo agreement that asks for every party's signature and still lacks the United States'.
    public static var agreementAwaitingSignature: Agreement { DemoDeal.guidelines }

    // MARK: - Parties and ownership

    static func parties(_ out: inout [JSONValue]) throws {
        for p in DemoParties.all {
            var m: [String: JSONValue] = ["type": "register-party", "id": .string(p.id), "name": .string(p.name), "kind": .string(p.kind.rawValue)]
            if let c = p.country { m["country"] = .string(c) }
            out.append(.object(m))
        }
    }

    static func mineSources(_ mine: String) throws -> [JSONValue] {
        let table = try ReferenceData.table("drc_major_mines.csv")
        guard let row = table.rows.first(where: { $0["mine_id"] == mine }) else { throw ReferenceDataMissing(file: "drc_major_mines.csv: \(mine)") }
        return urls(row["sources"])
    }

    static func urls(_ s: String) -> [JSONValue] {
        s.split(whereSeparator: { $0 == ";" || $0 == " " }).map { String($0) }.filter { $0.hasPrefix("http") }.map { .string($0) }
    }

    static func own(_ id: String, _ subject: String, _ owner: String, exact: String? = nil, min: String? = nil, max: String? = nil,
                    from: String? = nil, sources: [JSONValue]) -> JSONValue {
        var m: [String: JSONValue] = ["type": "record-ownership", "id": .string(id), "subject": .string(subject),
                                      "interestedParty": .string(owner), "sources": .array(sources)]
        if let exact { m["share"] = .object(["exact": .string(exact)]) } else {
            m["share"] = .object(["minimum": .string(min ?? "0"), "maximum": .string(max ?? "100")])
        }
        if let from { m["from"] = .string(from) }
        return .object(m)
    }

    static func ownerships(_ out: inout [JSONValue]) throws {
        let tfm = try mineSources("tenke-fungurume"), kfm = try mineSources("kisanfu"), kcc = try mineSources("kamoto-kcc")
        let mutanda = try mineSources("mutanda"), kamoa = try mineSources("kamoa-kakula"), manono = try mineSources("manono")
        let bisie = try mineSources("bisie")
        out += [
            own("own-gecamines-cd", "gecamines", "cd", exact: "100", sources: tfm),
            own("own-cominiere-cd", "cominiere", "cd", exact: "100", sources: manono),
            own("own-tfm-cmoc", "tfm", "cmoc", exact: "80", from: "2017-01-01", sources: tfm),
            own("own-tfm-gecamines", "tfm", "gecamines", exact: "20", sources: tfm),
            own("own-kfm-cmoc", "kfm", "cmoc", exact: "71.25", sources: kfm),
            own("own-kfm-catl", "kfm", "catl-brunp", exact: "23.75", from: "2021-01-01", sources: kfm),
            own("own-kfm-gecamines", "kfm", "gecamines", exact: "5", sources: kfm),
            own("own-kcc-glencore", "kcc", "glencore", exact: "75", sources: kcc),
            own("own-kcc-gecamines", "kcc", "gecamines", min: "20", max: "25", sources: kcc),
            own("own-mutanda-glencore", "mutanda-mining", "glencore", min: "50", max: "100", sources: mutanda),
            own("own-kamoa-ivanhoe", "kamoa-copper", "ivanhoe", exact: "39.6", sources: kamoa),
            own("own-kamoa-zijin", "kamoa-copper", "zijin", exact: "39.6", sources: kamoa),
            own("own-kamoa-crystal-river", "kamoa-copper", "crystal-river", exact: "0.8", sources: kamoa),
            own("own-kamoa-cd", "kamoa-copper", "cd", exact: "20", from: "2016-11-18", sources: kamoa),
            own("own-dathcom-avz", "dathcom", "avz", min: "60", max: "75", sources: manono),
            own("own-manono-lithium-zijin", "manono-lithium-sas", "zijin", exact: "61", sources: manono),
            own("own-manono-lithium-cominiere", "manono-lithium-sas", "cominiere", exact: "39", sources: manono),
            own("own-bisie-alphamin", "alphamin-bisie", "alphamin", min: "50", max: "100", sources: bisie),
            own("own-alphamin-tremont", "alphamin", "tremont", min: "50", max: "100", sources: bisie),
            own("own-sicomines-gec", "sicomines", "gec", exact: "68", sources: try agreementSources("sicomines-2008")),
            own("own-sicomines-gecamines", "sicomines", "gecamines", exact: "32", sources: try agreementSources("sicomines-2008")),
        ]
    }

    // MARK: - Sites and titles

    /// Mine id in `drc_major_mines.csv` → (site id, kind, operator, capacities with the source that gives them).
    static let mineSites: [(mine: String, site: String, kind: SiteKind, operator: String?, capacities: [String: String], capacitySources: [String])] = [
        // CMOC's stated annual capacities after the 2024 ramp-up (TFM East; KFM phase one), one source for both.
        // CMOC's combined 114,165 t of cobalt in 2024 cannot be split between the two mines from a source.
        ("tenke-fungurume", "tenke-fungurume", .industrialMine, "tfm", ["copper": "450000", "cobalt": "37000"],
         ["https://metalswire.net/commodities/cobalt/cmoc-reports-record-first-half-profit-with-significant-gains-in-copper-and-cobalt-production"]),
        ("kisanfu", "kisanfu", .industrialMine, "kfm", ["copper": "150000", "cobalt": "50000"],
         ["https://metalswire.net/commodities/cobalt/cmoc-reports-record-first-half-profit-with-significant-gains-in-copper-and-cobalt-production"]),
        ("kamoto-kcc", "kamoto-kcc", .industrialMine, "kcc", ["copper": "270000", "cobalt": "30000"],
         ["https://copperbeltkatangamining.com/kamoto-copper-company-kcc-to-produce-270000-tonnes-of-copper-this-year",
          "https://www.mining-journal.com/energy-minerals-news/news/1410253/high-profile-visit-as-ramp-up-puts-glencore%E2%80%99s-kcc-on-track"]),
        // Mutanda's cobalt as produced in 2022, after the restart (no stated capacity since the 2019 closure).
        ("mutanda", "mutanda", .industrialMine, "mutanda-mining", ["cobalt": "14700"],
         ["https://theprojectbluegroup.com/blue/news-analysis/688/what-will-lower-output-at-mutanda-mean-for-cobalt-oversupply"]),
        ("kamoa-kakula", "kamoa-kakula", .industrialMine, "kamoa-copper", ["copper": "437061"],
         ["https://stocktitan.net/news/IVPAF/ivanhoe-mines-issues-2024-fourth-quarter-and-annual-financial-yl1ks0fbvclv.html"]),
        ("manono", "manono", .industrialMine, nil, [:], []),
        ("bisie", "bisie", .industrialMine, "alphamin-bisie", ["tin": "17300"],
         ["https://secure.northernminer.com/news/alphamin-to-resume-congo-tin-mine-shares-rally/1003877544"]),
        ("rubaya", "rubaya", .artisanalSite, nil, ["tantalum": "1440"],
         ["https://www.businessday.co.za/bd/world/africa/2025-01-30-how-drc-conflict-greases-rwandas-economy/"]),
    ]

    static func sites(_ out: inout [JSONValue]) throws {
        let mines = try ReferenceData.table("drc_major_mines.csv")
        var taken: Set<String> = []
        for spec in mineSites {
            guard let row = mines.rows.first(where: { $0["mine_id"] == spec.mine }) else { throw ReferenceDataMissing(file: "drc_major_mines.csv: \(spec.mine)") }
            let minerals = row["minerals"].split(separator: ";").map { JSONValue.string(String($0)) }
            var m: [String: JSONValue] = [
                "type": "register-site", "id": .string(spec.site), "name": .string(row["name"]), "kind": .string(spec.kind.rawValue),
                "latitude": .string(row["latitude"]), "longitude": .string(row["longitude"]), "minerals": .array(minerals),
                "sources": .array(urls(row["sources"]) + spec.capacitySources.map { .string($0) }),
            ]
            if let op = spec.operator { m["operator"] = .string(op) }
            if !spec.capacities.isEmpty { m["capacities"] = .object(spec.capacities.mapValues { .string($0) }) }
            if let pcode = row["coord_source"].contains("IPIS") ? ipisCode(row["coord_method"]) : nil {
                m["externalId"] = .string(pcode); taken.insert(pcode)
            }
            out.append(.object(m))
        }
        // IPIS artisanal sites: one per pcode, from its latest visit.
        for site in try IPISSites.latestVisits() where !taken.contains(site.pcode) {
            var m: [String: JSONValue] = [
                "type": "register-site", "id": .string("ipis-" + site.pcode), "name": .string(site.name), "kind": "artisanal-site",
                "latitude": .string(site.latitude), "longitude": .string(site.longitude),
                "minerals": .array(site.minerals.map { .string($0.rawValue) }), "externalId": .string(site.pcode),
                "sources": ["https://github.com/umdfiresa2024/research-cobalt-mining"],
            ]
            if site.minerals.isEmpty { m["minerals"] = .array([]) }
            out.append(.object(m))
        }
    }

    static func ipisCode(_ text: String) -> String? {
        guard let r = text.range(of: "codmine[0-9]+", options: .regularExpression) else { return nil }
        return String(text[r])
    }

    /// A square of cells around a point: `(2·half+1)²` cells, as `[first, last]` ranges per row.
    static func block(lat: Double, lon: Double, rows: ClosedRange<Int>, columns: ClosedRange<Int>) throws -> JSONValue {
        let centre = try CellGrid.cell(latitude: lat, longitude: lon)
        let (r, c) = CellGrid.rowColumn(centre)
        return .array(rows.map { dr in
            .array([.int(Int64(CellGrid.id(row: r + dr, column: c + columns.lowerBound))), .int(Int64(CellGrid.id(row: r + dr, column: c + columns.upperBound)))])
        })
    }

    static func point(_ mine: String) throws -> (Double, Double) {
        let mines = try ReferenceData.table("drc_major_mines.csv")
        guard let row = mines.rows.first(where: { $0["mine_id"] == mine }), let lat = Double(row["latitude"]), let lon = Double(row["longitude"]) else {
            throw ReferenceDataMissing(file: "drc_major_mines.csv: \(mine)")
        }
        return (lat, lon)
    }

    static func concessions(_ out: inout [JSONValue]) throws {
        let titles: [(id: String, code: String, type: String, holder: String, mine: String, minerals: [JSONValue], granted: String?, contested: String?, rows: ClosedRange<Int>, cols: ClosedRange<Int>)] = [
            ("tfm-pe", "PE 123, 159, 4728, 4729, 9707, 9708", "PE", "tfm", "tenke-fungurume", ["copper", "cobalt"], nil, nil, -6...6, -6...6),
            ("kfm-pe-661", "PE 661", "PE", "kfm", "kisanfu", ["copper", "cobalt"], nil, nil, -6...6, -6...6),
            ("kcc-pe", "PE 525, 4960, 4961, 4963", "PE", "kcc", "kamoto-kcc", ["copper", "cobalt"], nil, nil, -6...6, -6...6),
            ("mutanda-pe", "PE 662, 4959", "PE", "mutanda-mining", "mutanda", ["copper", "cobalt"], nil, nil, -6...6, -6...6),
            ("kamoa-pe", "PE 12873, 13025, 13026", "PE", "kamoa-copper", "kamoa-kakula", ["copper"], nil, nil, -5...5, -5...5),
            ("dathcom-pr-13359", "PR 13359", "PR", "dathcom", "manono", ["lithium", "tin"], nil, nil, -10...10, -10...10),
            ("alphamin-bisie-pe", "PE (Bisie)", "PE", "alphamin-bisie", "bisie", ["tin"], nil, nil, -5...5, -5...5),
            ("manono-lithium-pr-15775", "PR 15775", "PR", "manono-lithium-sas", "manono", ["lithium"], "2023-10-23",
             "Carved from the northeast of PR 13359 and granted on 23 Oct 2023; ICSID interim orders (16 Jan 2024) told the DRC to record Dathcom as holder of PR 13359, and an ICC tribunal held the assignment breached its emergency orders.",
             1...10, 1...10),
        ]
        let manonoSources = try mineSources("manono")
        for t in titles {
            let (lat, lon) = try point(t.mine)
            var m: [String: JSONValue] = [
                "type": "register-concession", "id": .string(t.id), "code": .string(t.code), "titleType": .string(t.type),
                "holder": .string(t.holder), "minerals": .array(t.minerals), "site": .string(t.mine == "kamoto-kcc" ? "kamoto-kcc" : t.mine),
                "cells": try block(lat: lat, lon: lon, rows: t.rows, columns: t.cols), "status": "granted", "synthetic": true,
                "sources": .array(t.mine == "manono" ? manonoSources : try mineSources(t.mine)),
            ]
            if let g = t.granted { m["granted"] = .string(g) }
            if let c = t.contested { m["contested"] = .string(c) }
            out.append(.object(m))
        }
    }

    // MARK: - Agreements, grants, obligations, deliveries

    static func agreementSources(_ id: String) throws -> [JSONValue] {
        let table = try ReferenceData.table("drc_agreements.csv")
        guard let row = table.rows.first(where: { $0["id"] == id }) else { throw ReferenceDataMissing(file: "drc_agreements.csv: \(id)") }
        return urls(row["source_urls"])
    }

    /// Roles where the sources say who gives and who receives; everyone else is a partner.
    static let roles: [String: [String: AgreementRole]] = [
        "us-drc-spa-2025": ["cd": .grantor, "us": .grantee],
        "us-drc-security-mou-2025": ["us": .securityProvider, "cd": .partner],
        "sicomines-2008": ["cd": .grantor, "gec": .grantee],
        "sicomines-2024-amendment": ["cd": .grantor, "gec": .grantee],
        "drc-kobold-2025": ["cd": .grantor, "kobold": .grantee],
        "drc-letter-to-trump-2025-02": ["cd": .grantor, "us": .securityProvider],
        "drc-senator-proposal-2025-02": ["cd": .grantor, "us": .securityProvider],
        "doha-declaration-of-principles-2025": ["cd": .partner, "afc-m23": .partner],
    ]

    static func agreements(_ out: inout [JSONValue]) throws {
        let table = try ReferenceData.table("drc_agreements.csv")
        for row in table.rows {
            var members: [JSONValue] = []
            for raw in row["parties"].split(separator: ";") {
                var name = raw.trimmingCharacters(in: .whitespaces)
                if let paren = name.range(of: " (", options: .backwards) { name = String(name[..<paren.lowerBound]) }
                guard let id = DemoParties.aliases[name] else {
                    throw ImportError(file: "drc_agreements.csv", line: row.line, field: "parties", message: "no demo party for \"\(name)\"")
                }
                let role = roles[row["id"]]?[id] ?? .partner
                members.append(.object(["party": .string(id), "role": .string(role.rawValue)]))
            }
            var m: [String: JSONValue] = [
                "type": "register-agreement", "id": .string(row["id"]), "title": .string(row["title"]), "kind": .string(row["kind"]),
                "status": .string(row["status"]), "parties": .array(members), "sources": .array(urls(row["source_urls"])),
            ]
            let summary = [row["key_terms"], row["security_terms"]].filter { !$0.isEmpty }.joined(separator: " Security: ")
            if !summary.isEmpty { m["summary"] = .string(summary) }
            if !row["signed_date"].isEmpty { m["signed"] = .string(row["signed_date"]) }
            if row["id"] == "sicomines-2024-amendment" { m["supersedes"] = "sicomines-2008" }
            out.append(.object(m))
        }
    }

    static func rights(_ out: inout [JSONValue]) throws {
        let (mlat, mlon) = try point("manono")
        // Sicomines has no published point in the reference data: its area is a synthetic block west of Kolwezi.
        let sicominesCells = try block(lat: -10.62, lon: 25.45, rows: -5...5, columns: -5...5)
        func grant(_ id: String, _ agreement: String, _ beneficiary: String, _ rights: [JSONValue], _ exclusivity: String,
                   _ minerals: [JSONValue], area: JSONValue, from: String?, contested: String? = nil, synthetic: Bool) throws -> JSONValue {
            var m: [String: JSONValue] = [
                "type": "record-grant", "id": .string(id), "agreement": .string(agreement), "beneficiary": .string(beneficiary),
                "rights": .array(rights), "exclusivity": .string(exclusivity), "minerals": .array(minerals), "area": area,
                "sources": .array(try agreementSources(agreement)),
            ]
            if let from { m["from"] = .string(from) }
            if let contested { m["contested"] = .string(contested) }
            if synthetic { m["synthetic"] = true }
            return .object(m)
        }
        out.append(try grant("sicomines-2008-grant", "sicomines-2008", "sicomines", ["extract", "export"], "exclusive", ["copper", "cobalt"],
                             area: .object(["cells": sicominesCells]), from: "2008-04-22", synthetic: true))
        out.append(try grant("sicomines-2024-grant", "sicomines-2024-amendment", "sicomines", ["extract", "export"], "exclusive", ["copper", "cobalt"],
                             area: .object(["cells": sicominesCells]), from: "2024-03-14", synthetic: true))
        out.append(try grant("drc-kobold-roche-dure", "drc-kobold-2025", "kobold", ["explore", "extract"], "exclusive", ["lithium"],
                             area: .object(["cells": try block(lat: mlat, lon: mlon, rows: -10 ... -1, columns: -10...10)]), from: "2025-07-17",
                             contested: "AVZ says the deal breaches the ICSID interim orders of 16 Jan 2024 that told the DRC to record Dathcom as holder of PR 13359.",
                             synthetic: true))
        out.append(try grant("us-drc-spa-first-offer", "us-drc-spa-2025", "us", ["first-offer"], "first-offer",
                             ["copper", "cobalt", "lithium", "tantalum", "zinc", "gold"], area: .object(["country": "CD"]), from: "2025-12-04",
                             contested: "The Strategic Asset Reserve list is not public: the right of first offer is recorded country-wide, so every overlap with rights already given shows.",
                             synthetic: false))
        out.append(try grant("senator-proposal-exclusive", "drc-senator-proposal-2025-02", "us", ["extract", "export"], "exclusive",
                             ["cobalt", "lithium", "tantalum", "uranium"], area: .object(["country": "CD"]), from: nil,
                             contested: "Unsigned proposal (21 Feb 2025) of exclusive rights for US firms; recorded to show what it would collide with.",
                             synthetic: false))

        func obligation(_ id: String, _ agreement: String, _ obligor: String, _ beneficiary: String, _ kind: String, _ description: String,
                        quantity: (String, String)? = nil, value: String? = nil, due: String? = nil, every: String? = nil,
                        until: String? = nil, synthetic: Bool) throws -> JSONValue {
            var m: [String: JSONValue] = [
                "type": "record-obligation", "id": .string(id), "agreement": .string(agreement), "obligor": .string(obligor),
                "beneficiary": .string(beneficiary), "kind": .string(kind), "description": .string(description),
                "sources": .array(try agreementSources(agreement)),
            ]
            if let q = quantity { m["quantity"] = .object(["amount": .string(q.0), "unit": .string(q.1)]) }
            if let v = value { m["value"] = .object(["amount": .string(v), "currency": "USD"]) }
            if let due { m["due"] = .string(due) }
            if let every { m["every"] = .string(every) }
            if let until { m["until"] = .string(until) }
            if synthetic { m["synthetic"] = true }
            return .object(m)
        }
        out += [
            try obligation("sicomines-2008-infrastructure", "sicomines-2008", "gec", "cd", "infrastructure",
                           "About US$3bn of infrastructure in exchange for the copper-cobalt deposits.", value: "3000000000", synthetic: false),
            try obligation("sicomines-2024-infrastructure-2024", "sicomines-2024-amendment", "gec", "cd", "infrastructure",
                           "US$624m of infrastructure funding in 2024.", value: "624000000", due: "2024-12-31", synthetic: false),
            try obligation("sicomines-2024-infrastructure-yearly", "sicomines-2024-amendment", "gec", "cd", "infrastructure",
                           "At least US$324m a year of infrastructure funding (the five-year window shown is illustrative).",
                           value: "1620000000", due: "2025-12-31", every: "year", until: "2030-01-01", synthetic: true),
            try obligation("sicomines-2024-royalty", "sicomines-2024-amendment", "gec", "cd", "payment",
                           "Sicomines pays a 1.2% royalty on turnover.", synthetic: false),
            try obligation("us-drc-security-training", "us-drc-security-mou-2025", "us", "cd", "training",
                           "Support for training the FARDC (the quantity and date are illustrative).", quantity: ("1000", "personnel trained"),
                           due: "2026-12-04", synthetic: true),
            try obligation("us-drc-security-intelligence", "us-drc-security-mou-2025", "us", "cd", "intelligence",
                           "Intelligence exchange.", synthetic: false),
            try obligation("us-drc-security-infrastructure", "us-drc-security-mou-2025", "us", "cd", "advisory",
                           "Protection of critical infrastructure.", synthetic: false),
            try obligation("kobold-avz-investment", "kobold-avz-framework-2025", "kobold", "avz", "investment",
                           "Deploy over US$1bn on the southern (Roche Dure) part of Manono.", value: "1000000000", synthetic: false),
        ]
        func delivery(_ id: String, _ obligation: String, _ date: String, value: String? = nil, quantity: (String, String)? = nil, note: String) -> JSONValue {
            var m: [String: JSONValue] = ["type": "record-delivery", "id": .string(id), "obligation": .string(obligation),
                                          "date": .string(date), "note": .string(note), "synthetic": true]
            if let v = value { m["value"] = .object(["amount": .string(v), "currency": "USD"]) }
            if let q = quantity { m["quantity"] = .object(["amount": .string(q.0), "unit": .string(q.1)]) }
            return .object(m)
        }
        out += [
            delivery("delivery-sicomines-2024", "sicomines-2024-infrastructure-2024", "2024-12-31", value: "410000000",
                     note: "Illustrative: road works financed in 2024."),
            delivery("delivery-sicomines-2025", "sicomines-2024-infrastructure-yearly", "2025-12-31", value: "200000000",
                     note: "Illustrative: 2025 instalment, partly paid."),
            delivery("delivery-training-1", "us-drc-security-training", "2026-03-31", quantity: ("150", "personnel trained"),
                     note: "Illustrative: first training cohort."),
            delivery("delivery-training-2", "us-drc-security-training", "2026-09-30", quantity: ("200", "personnel trained"),
                     note: "Illustrative: second training cohort."),
        ]
    }
}
