import AssayDomain
import AssayReports
import AssayStore
import Foundation
import Hummingbird
import TransparencyLog

/// Portal pages for parties, sites and mining titles: the facts, the ownership chain drawn as SVG, the
/// owner-country shares, and any recorded collisions.
enum EntityPages {
    static func register(on router: Router<AssayContext>, store: RelationalStore) {
        for (path, kind) in [("parties", EntityKind.party), ("sites", .site), ("concessions", .concession)] {
            router.get(RouterPath(path)) { request, context in
                let lang = try Language.choose(request)
                let after = try listCursor(request)
                // Decoding 200 rows takes ~1 ms: each page is drawn once per registry generation (custody
                // events and risk records leave the lists as they are).
                let role = context.role
                let generation = try await store.viewGenerations().registry
                let key = "\(path)|\(after ?? "")|\(lang.rawValue)|\(Disclosure.seesSealed(role))"
                return try await Portal.pages.page(key, version: "\(generation)|\(store.origin)") {
                    try await entityList(kind, after: after, lang: lang, role: role, store: store)
                        .render(language: lang, title: lang[path]).response(language: lang)
                }
            }
        }
        router.get("parties/:id") { request, context in
            let lang = try Language.choose(request)
            let id = try context.parameters.require("id")
            // A party's page reads the registry, risk and the custody events it signed (its flags): drawn
            // once per generation of each.
            let generations = try await store.viewGenerations()
            let key = "party|\(id)|\(lang.rawValue)|\(Disclosure.seesSealed(context.role))"
            let role = context.role
            return try await Portal.pages.page(key, version: "\(generations)|\(store.origin)|\(RelationalStore.systemClock().day.iso)") {
                let (view, title) = try await partyView(id, lang: lang, role: role, store: store)
                return view.render(language: lang, title: title).response(language: lang)
            }
        }
        router.get("sites/:id") { request, context in
            let lang = try Language.choose(request)
            let id = try context.parameters.require("id")
            let (view, title) = try await siteView(id, lang: lang, role: context.role, store: store)
            return view.render(language: lang, title: title).response(language: lang)
        }
        router.get("concessions/:id") { request, context in
            let lang = try Language.choose(request)
            let id = try context.parameters.require("id")
            // A title's page reads the registry (its provinces: a point-in-polygon test per cell, most of
            // its time) and today's held zones: drawn once per generation of each and day.
            let g = try await store.viewGenerations()
            let key = "title|\(id)|\(lang.rawValue)|\(Disclosure.seesSealed(context.role))"
            let role = context.role
            return try await Portal.pages.page(key, version: "\(g.registry).\(g.risk)|\(store.origin)|\(RelationalStore.systemClock().day.iso)") {
                let (view, title) = try await concessionView(id, lang: lang, role: role, store: store)
                return view.render(language: lang, title: title).response(language: lang)
            }
        }
    }

    /// Rows a list page shows; `?after=ID` gives the next page (ids in byte order, as the API pages).
    static let listPageSize = 200

    /// `?after=`: the id the page starts after (at most 200 characters).
    static func listCursor(_ request: Request) throws -> String? {
        guard let after = request.uri.queryParameters["after"].map(String.init) else { return nil }
        guard !after.isEmpty, after.utf8.count <= 200 else { throw Problem.invalid("after", "after must be an id of 1 to 200 characters") }
        return after
    }

    /// One page of parties, sites or mining titles, read from the registry's index by id: its cost grows
    /// with the page, not with the registry (the whole list used to be drawn from a snapshot of every row).
    static func entityList(_ kind: EntityKind, after: String?, lang: Language, role: Role, store: RelationalStore) async throws -> EntityListView {
        let records = try await store.list(kind, after: after, limit: listPageSize, as: role)
        let path: String
        var v = EntityListView()
        switch kind {
        case .party: path = "parties"; v.heading = lang["parties"]
        case .site: path = "sites"; v.heading = lang["sites"]
        default: path = "concessions"; v.heading = lang["concessions"]
        }
        for r in records {
            let o = try JSONObject(r.json, path: "")
            switch kind {
            case .party:
                let p = try Party(json: o)
                v.items.append(.init(href: "/parties/\(p.id)?lang=\(lang.rawValue)", label: p.name, detail: "\(lang.term("party", p.kind.rawValue)) \(p.country ?? "")"))
            case .site:
                let s = try Site(json: o)
                v.items.append(.init(href: "/sites/\(s.id)?lang=\(lang.rawValue)", label: s.name,
                                     detail: "\(lang.term("site", s.kind.rawValue)) · \(s.minerals.sorted.map { lang == .fr ? $0.frenchName : $0.englishName }.joined(separator: ", "))"))
            default:
                let c = try Concession(json: o)
                v.items.append(.init(href: "/concessions/\(c.id)?lang=\(lang.rawValue)", label: "\(c.code) — \(c.holder)", detail: lang.term("title", c.status.rawValue)))
            }
        }
        if records.count == listPageSize, let last = records.last {
            var escaped = ""
            for b in last.id.utf8 {
                let plain = (0x30...0x39).contains(b) || (0x41...0x5A).contains(b) || (0x61...0x7A).contains(b) || b == 0x2D || b == 0x5F || b == 0x2E
                escaped += plain ? String(UnicodeScalar(b)) : String(format: "%%%02X", b)
            }
            v.next = .init(href: "/\(path)?after=\(escaped)&lang=\(lang.rawValue)", label: lang["next_page"], detail: "")
        }
        return v
    }

    static func partyView(_ id: String, lang: Language, role: Role, store: RelationalStore) async throws -> (EntityView, String) {
        let r = try await Portal.snapshots.registry(store, as: role)
        // Read by id: the snapshot holds only the parties its relations name.
        guard let p = try await store.party(id, as: role) else { throw Problem.notFound("no party \"\(id)\"") }
        var v = EntityView()
        ownership(of: id, r, lang: lang, into: &v)
        v.name = p.name
        v.kindLabel = lang.term("party", p.kind.rawValue)
        v.facts = [.init(key: lang.term("fact", "id"), value: p.id), .init(key: lang.term("fact", "country"), value: p.country ?? "—")]
        // A joint body's members, and the other spellings sources use for the name.
        if !p.members.isEmpty {
            let names = try await store.partyNames(Set(p.members))
            v.facts.append(.init(key: lang.term("fact", "members"), value: p.members.map { names[$0] ?? $0 }.joined(separator: ", ")))
        }
        if !p.aliases.isEmpty { v.facts.append(.init(key: lang.term("fact", "aliases"), value: p.aliases.joined(separator: "; "))) }
        v.links = r.concessions.filter { $0.holder == id }.map { .init(href: "/concessions/\($0.id)?lang=\(lang.rawValue)", label: $0.code) }
            + r.agreements.filter { $0.parties.contains { $0.party == id } }.map { .init(href: "/agreements/\($0.id)?lang=\(lang.rawValue)", label: $0.title) }
        // Its part in the negotiation on the record, when it has one.
        if !(try await store.timeline(TimelineFilter(party: id, limit: 1))).isEmpty {
            v.links.append(.init(href: "/timeline?party=\(id)&lang=\(lang.rawValue)", label: lang["tl_title"]))
        }
        v.sources = p.provenance.sources
        v.synthetic = p.provenance.synthetic
        // As an operator: the flags on the 200 lots it acted on most recently (all: the API's risk report).
        let schedule = try Problem.royalties(store)
        if case .object(let m) = try await RiskReports.operatorFlags(store, id, schedule: schedule, limit: 200), case .array(let flags)? = m["flags"] {
            v.riskFlags = EntityPages.flagRows(flags, lang)
        }
        return (v, p.name)
    }

    static func siteView(_ id: String, lang: Language, role: Role, store: RelationalStore) async throws -> (EntityView, String) {
        let r = try await Portal.snapshots.registry(store, as: role)
        guard let s = r.sites.first(where: { $0.id == id }) else { throw Problem.notFound("no site \"\(id)\"") }
        var v = EntityView()
        if let owner = r.siteOwners[id] { ownership(of: owner, r, lang: lang, into: &v) }
        let province = store.geography.province(latitude: s.latitudeDegrees, longitude: s.longitudeDegrees)
        v.name = s.name
        v.kindLabel = lang.term("site", s.kind.rawValue)
        v.facts = [
            .init(key: lang.term("fact", "id"), value: s.id),
            .init(key: lang.term("fact", "minerals"), value: s.minerals.sorted.map { lang == .fr ? $0.frenchName : $0.englishName }.joined(separator: ", ")),
            .init(key: lang.term("fact", "province"), value: province.map { "\($0.name) (\($0.code))" } ?? "—"),
            .init(key: lang.term("fact", "latlon"), value: "\(s.latitude), \(s.longitude)"),
            .init(key: lang.term("fact", "capacity"), value: s.capacities.map { "\(lang == .fr ? $0.key.frenchName : $0.key.englishName): \($0.value)" }.sorted().joined(separator: ", ")),
            .init(key: lang.term("fact", "ipis"), value: s.externalID ?? "—"),
        ]
        v.sources = s.provenance.sources
        v.synthetic = s.provenance.synthetic
        v.miniMap = try await MiniMap.cached("site|\(s.id)", focus: [BoundingBox(south: s.latitudeDegrees, west: s.longitudeDegrees, north: s.latitudeDegrees, east: s.longitudeDegrees)],
                                               language: lang, store: store)
        // Risk: who held its ground over time, its latest visits, its red flags today.
        let today = RelationalStore.systemClock().day
        if let risk = try await store.siteRisk(id, on: today) {
            v.control = risk.timeline.map { e in
                .init(text: "\(e.controller) (\(lang.term("controller", e.kind.rawValue))) \(e.period.text), \(lang.confidence(e.confidence)) — \(e.sourceText)", id: e.id)
            }
            v.riskFlags = risk.flags.map { f in
                .init(rule: f.rule.rawValue, response: lang.term("response", f.rule.response.rawValue),
                      explanation: FlagWording.explain(rule: f.rule.rawValue, evidence: f.evidence, explanation: f.explanation, language: lang))
            }
        }
        let visits = (try await store.riskInputs().context.visits[id] ?? []).suffix(5).reversed()
        v.visits = visits.map { v in
            .init(date: v.date.iso, workers: v.workers.map(String.init) ?? "—",
                  armed: v.armed.isEmpty ? "—" : v.armed.map { "\($0.name) (\($0.type)): \($0.activities.map(\.rawValue).sorted().joined(separator: ", "))" }.joined(separator: "; "),
                  qualification: v.qualification ?? "—")
        }
        return (v, s.name)
    }

    static func concessionView(_ id: String, lang: Language, role: Role, store: RelationalStore) async throws -> (EntityView, String) {
        let r = try await Portal.snapshots.registry(store, as: role)
        guard let c = r.concessions.first(where: { $0.id == id }) else { throw Problem.notFound("no title \"\(id)\"") }
        var v = EntityView()
        ownership(of: c.holder, r, lang: lang, into: &v)
        v.name = "\(c.code) (\(c.titleType.rawValue))"
        v.kindLabel = lang.term("title", c.status.rawValue)
        v.facts = [
            .init(key: lang.term("fact", "id"), value: c.id), .init(key: lang.term("fact", "holder"), value: c.holder),
            .init(key: lang.term("fact", "minerals"), value: c.minerals.sorted.map { lang == .fr ? $0.frenchName : $0.englishName }.joined(separator: ", ")),
            .init(key: lang.term("fact", "cells"), value: "\(c.cells.count) (\(Int(c.cells.hectares.rounded())) ha)"),
            .init(key: lang.term("fact", "provinces"), value: store.geography.provinces(of: c.cells).joined(separator: ", ")),
            .init(key: lang.term("fact", "granted"), value: c.granted?.iso ?? "—"), .init(key: lang.term("fact", "expires"), value: c.expires?.iso ?? "—"),
        ]
        v.collisions = r.collisions(involving: id).map { "\($0.claim) ⟷ \(lang.collision($0.collision))" }
        v.sources = c.provenance.sources
        v.synthetic = c.provenance.synthetic
        v.miniMap = try await MiniMap.cached("title|\(c.id)", focus: c.cells.boundingBox.map { [$0] } ?? [], language: lang, store: store)
        return (v, c.code)
    }

    /// The ultimate owners of `party`, drawn as a chain (owned → owner, with each relation's share), and
    /// the shares by owner country.
    static func ownership(of party: String, _ r: RegistrySnapshot, lang: Language, into view: inout EntityView) {
        let graph = r.ownershipGraph(asOf: RelationalStore.systemClock().day)
        let names = Dictionary(r.parties.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        let ultimate = graph.ultimateOwners(of: party)
        guard !(ultimate.count == 1 && ultimate[0].owner == party) else { return }
        // Lay the chains out as columns: depth along x, one row per ultimate owner.
        var boxes = ""
        for (row, u) in ultimate.enumerated() {
            let y = 10 + row * 46
            let path = u.owner == nil ? [party, "?"] : u.path
            for (depth, id) in path.enumerated() {
                let x = 10 + depth * 230
                let full = id == "?" ? lang["chart_unknown_owner"] : (names[id] ?? id)
                let label = full.count > 28 ? String(full.prefix(27)) + "…" : full
                boxes += "<rect x=\"\(x)\" y=\"\(y)\" width=\"200\" height=\"32\" rx=\"4\" fill=\"#f4f6f8\" stroke=\"#789\"/>"
                boxes += "<text x=\"\(x + 8)\" y=\"\(y + 20)\" font-size=\"12\">\(SVG.escape(label))</text>"
                if depth > 0 { boxes += "<line x1=\"\(x - 30)\" y1=\"\(y + 16)\" x2=\"\(x)\" y2=\"\(y + 16)\" stroke=\"#789\" marker-end=\"url(#arrow)\"/>" }
            }
            boxes += "<text x=\"\(10 + path.count * 230)\" y=\"\(y + 20)\" font-size=\"12\" font-weight=\"bold\">\(String(format: "%.2f%%", u.share * 100))</text>"
        }
        let width = 10 + (ultimate.map { max($0.path.count, 2) }.max() ?? 2) * 230 + 80
        let svg = """
        <svg id="ownership-chain" viewBox="0 0 \(width) \(ultimate.count * 46 + 10)" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="\(SVG.escape(lang["owners"]))">
        <defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="6" refY="3" orient="auto"><path d="M0,0 L6,3 L0,6 z" fill="#789"/></marker></defs>
        \(boxes)</svg>
        """
        view.chain = svg
        view.countries = graph.countryShares(of: party).map { .init(country: $0.country == "unknown" ? lang["chart_unknown_owner"] : $0.country, share: String(format: "%.2f%%", $0.share * 100)) }
    }

    /// Unified flag JSON (OECD, custody, royalty) as template rows, worded in the reader's language.
    static func flagRows(_ flags: [JSONValue], _ lang: Language) -> [EntityView.Flag] {
        flags.compactMap { f in
            guard case .object(let x) = f else { return nil }
            func s(_ k: String) -> String { if case .string(let v)? = x[k] { v } else { "" } }
            return .init(rule: s("rule"), response: lang.term("response", s("response").isEmpty ? "review" : s("response")),
                         explanation: FlagWording.explain(rule: s("rule"), evidence: FlagWording.evidence(x), explanation: s("explanation"), language: lang))
        }
    }
}
