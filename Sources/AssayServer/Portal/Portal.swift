import AssayDomain
import AssayReports
import AssayStore
import Foundation
import Hummingbird
import Synchronization
import TransparencyLog

/// The web portal: server-rendered HTML in French and English, usable without JavaScript.
enum Portal {
    /// The registry as values, rebuilt only when the log has grown: every page reads the same snapshot
    /// until the next checkpoint is published (appends publish a checkpoint as they commit).
    static let snapshots = SnapshotCache()
    static let pages = PageCache()

    static func grouped(_ d: Decimal) -> String {
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.locale = Locale(identifier: "en_US_POSIX")
        f.usesGroupingSeparator = true
        f.groupingSeparator = "\u{202F}"
        f.groupingSize = 3
        f.maximumFractionDigits = 2
        return f.string(from: d as NSDecimalNumber) ?? "\(d)"
    }

    /// The ten latest journal entries, read once per log size (they were decoded on every request).
    static let recentEntries = Mutex<(size: Int64, origin: String, entries: [OverviewView.Entry])?>(nil)

    static func overview(role: Role, store: RelationalStore, language lang: Language) async throws -> OverviewView {
        let r = try await snapshots.registry(store, as: role)
        // The snapshot is kept while the registry's entities stand still; the log's size is the published one.
        let size = Int64(store.publishedSize)
        var v = OverviewView()
        v.agreementCount = r.agreements.count
        v.concessionCount = r.concessions.count
        v.siteCount = r.sites.count
        v.entryCount = size
        v.byStatus = Dictionary(grouping: r.agreements, by: \.status.rawValue).map { OverviewView.Status(status: lang.term("agreement", $0.key), count: $0.value.count) }
            .sorted { $0.status < $1.status }
        v.checkpoint = store.latestCheckpoint()?.serialized ?? "—"
        if let hit = recentEntries.withLock({ $0 }), hit.size == size, hit.origin == store.origin {
            v.recent = hit.entries
        } else {
            for seq in stride(from: size, to: max(0, size - 10), by: -1) {
                guard let (entry, _) = try await store.entry(seq) else { continue }
                v.recent.append(.init(seq: entry.sequence, type: entry.command.kind.rawValue, subject: entry.command.subjectID, time: entry.time.iso))
            }
            let recent = v.recent
            recentEntries.withLock { $0 = (size, store.origin, recent) }
        }
        return v
    }

    static func agreementList(role: Role, store: RelationalStore, language lang: Language) async throws -> AgreementListView {
        let r = try await snapshots.registry(store, as: role)
        return AgreementListView(items: r.agreements.sorted { ($0.signed?.ordinal ?? 0) > ($1.signed?.ordinal ?? 0) }.map {
            .init(id: $0.id, title: $0.title, kind: lang.term("agreement-kind", $0.kind.rawValue), status: lang.term("agreement", $0.status.rawValue), signed: $0.signed?.iso ?? "—")
        })
    }

    /// What search looks in: agreements, parties and sites with their names lower-cased, built once per
    /// registry snapshot (search lower-cased every name on every request).
    struct SearchEntry: Sendable {
        var kind: String; var path: String; var id: String; var label: String
        /// The id and the lower-cased name as UTF-8, searched with `memmem`.
        var idBytes: [UInt8]; var nameBytes: [UInt8]
        init(kind: String, path: String, id: String, label: String, lowered: String) {
            self.kind = kind; self.path = path; self.id = id; self.label = label
            idBytes = Array(id.utf8); nameBytes = Array(lowered.utf8)
        }
    }

    /// Whether `needle` occurs in `haystack` (bytes). Foundation's `String.contains` cost ~16 µs a name on
    /// Linux and the standard library's generic `firstRange(of:)` over UTF-8 views more; a byte loop over
    /// names of a few dozen bytes takes well under a microsecond.
    static func occurs(_ needle: [UInt8], in haystack: [UInt8]) -> Bool {
        guard !needle.isEmpty else { return true }
        guard haystack.count >= needle.count else { return false }
        return haystack.withUnsafeBufferPointer { h in
            needle.withUnsafeBufferPointer { n in
                let first = n[0]
                for i in 0...(h.count - n.count) where h[i] == first {
                    if memcmp(h.baseAddress! + i, n.baseAddress!, n.count) == 0 { return true }
                }
                return false
            }
        }
    }
    static let searchIndex = Mutex<(size: Int64, seesAll: Bool, origin: String, entries: [SearchEntry])?>(nil)

    static func searchEntries(_ r: RegistrySnapshot, seesAll: Bool, origin: String) -> [SearchEntry] {
        if let hit = searchIndex.withLock({ $0 }), hit.size == r.journalSize, hit.seesAll == seesAll, hit.origin == origin { return hit.entries }
        var entries: [SearchEntry] = []
        entries.reserveCapacity(r.agreements.count + r.sites.count)
        for a in r.agreements { entries.append(.init(kind: "agreement", path: "agreements", id: a.id, label: a.title, lowered: a.title.lowercased())) }
        for s in r.sites { entries.append(.init(kind: "site", path: "sites", id: s.id, label: s.name, lowered: s.name.lowercased())) }
        searchIndex.withLock { $0 = (r.journalSize, seesAll, origin, entries) }
        return entries
    }

    static func search(_ q: String, lang: Language, role: Role, store: RelationalStore) async throws -> SearchView {
        let r = try await snapshots.registry(store, as: role)
        let needle = q.lowercased()
        var v = SearchView(query: q)
        if !needle.isEmpty {
            let bytes = Array(needle.utf8)
            // Agreements, then parties, then sites, at most 200 in all. Parties come from the search projection
            // of every party (the snapshot holds only the parties its relations name).
            let entries = searchEntries(r, seesAll: Disclosure.seesSealed(role), origin: store.origin)
            let agreements = entries.prefix { $0.kind == "agreement" }
            func add(_ found: some Sequence<SearchEntry>) {
                for e in found where v.results.count < 200 && (occurs(bytes, in: e.idBytes) || occurs(bytes, in: e.nameBytes)) {
                    v.results.append(.init(href: "/\(e.path)/\(e.id)?lang=\(lang.rawValue)", label: e.label, kind: e.kind))
                }
            }
            add(agreements)
            if v.results.count < 200 {
                let ids = try await store.searchParties(needle, limit: 200 - v.results.count)
                let names = try await store.partyNames(Set(ids))
                for id in ids {
                    v.results.append(.init(href: "/parties/\(id)?lang=\(lang.rawValue)", label: names[id] ?? id, kind: "party"))
                }
            }
            add(entries.dropFirst(agreements.count))
        }
        return v
    }

    static func supplyPage(lang: Language, store: RelationalStore) async throws -> Response {
        try await supplyView(lang: lang, store: store).render(language: lang, title: lang["supply"]).response(language: lang)
    }

    /// The supply page's charts and coverage table, worded in `lang`.
    static func supplyView(lang: Language, store: RelationalStore) async throws -> SupplyPageView {
        let first = Day(year: 2024, month: 1, day: 1)!
        let n = Day.monthCount(from: first, until: RelationalStore.systemClock().day.firstOfNextMonth)
        let series = try await store.supplyRisk(from: first, months: max(2, n))
        var v = SupplyPageView()
        v.charts = PortalCharts.supply(series, lang).map { $0.figure(lang) }
        // What the capacities behind these charts cover of each mineral's national production.
        let r = try await store.registry()
        v.ownerCharts = PortalCharts.owners(PortalCharts.ownerShares(r, today: RelationalStore.systemClock().day), lang).map { $0.figure(lang) }
        v.coverage = r.coverage(asOf: RelationalStore.systemClock().day).map { c in
            .init(mineral: lang == .fr ? c.mineral.frenchName : c.mineral.englishName, registered: String(format: "%.0f", c.registeredTonnes),
                  coverage: c.national == nil ? lang["cv_unknown"] : String(format: "%.0f%%", (c.share ?? 0) * 100) + " / " + DecimalText.canonical(c.national!.tonnes) + " t (\(c.national!.year))",
                  notRegistered: c.notRegistered.map { String(format: "%.0f%%", $0 * 100) } ?? "—")
        }
        return v
    }

    /// The sites as the map draws them on `day`: capacity, the mineral that colours them, whether halted,
    /// on held ground, or found with armed men at the latest IPIS visit.
    static func mapSites(_ sites: [Site], day: Day, held: [ControlEntry], inputs: RiskInputs) -> [MapSite] {
        sites.map { s in
            let tonnes = s.capacities.values.reduce(0.0) { $0 + NSDecimalNumber(decimal: $1).doubleValue }
            let primary = s.capacities.max { NSDecimalNumber(decimal: $0.value).doubleValue < NSDecimalNumber(decimal: $1.value).doubleValue }?.key ?? s.minerals.sorted.first
            let status = inputs.statuses[s.id]?.filter { $0.date <= day }.max { $0.date < $1.date }
            let cell = inputs.siteCells[s.id] ?? (try? s.cell)
            return MapSite(id: s.id, name: s.name, latitude: s.latitudeDegrees, longitude: s.longitudeDegrees, minerals: s.minerals.sorted, primary: primary,
                           tonnes: tonnes, halted: status?.status == .halted, onHeldGround: cell.map { c in held.contains { $0.cells.contains(c) } } ?? false,
                           armed: !(inputs.context.latestVisit(s.id, onOrBefore: day)?.armed.isEmpty ?? true))
        }
    }

    /// The map on `day` at `frame` as `role` sees the registry: sites, titles, grants and the zones held that day.
    static func mapView(day: Day, monthIndex: Int, maxMonth: Int, frame: MapFrame? = nil, layers: Set<MapLayer> = MapLayer.standard,
                        lang: Language, role: Role, store: RelationalStore) async throws -> MapPageView {
        let r = try await snapshots.registry(store, as: role)
        let boxes = r.grants.compactMap { g -> (String, BoundingBox)? in
            guard case .cells(let c) = g.area, let b = c.boundingBox else { return nil }
            return (g.id, b)
        }
        let inputs = try await store.riskInputs()
        let held = inputs.map.entries.filter { $0.kind == .nonState && $0.period.contains(day) }
        var v = MapPageView()
        v.date = day.iso
        v.monthIndex = monthIndex
        v.maxMonth = maxMonth
        v.frame = frame
        v.layers = layers
        v.provinces = store.geography.provinces.map { ($0.code, $0.name) }.sorted { $0.1 < $1.1 }
        v.place = frame.map { f in f.province.flatMap { c in store.geography.provinces.first { $0.code == c }?.name } ?? "\(lang["map_box"]) \(f.bboxText)" } ?? ""
        var content = SVG.MapContent()
        content.sites = mapSites(r.sites.filter { s in frame.map { $0.contains(latitude: s.latitudeDegrees, longitude: s.longitudeDegrees) } ?? true },
                                 day: day, held: held, inputs: inputs)
        content.concessions = r.concessions
        content.grantBoxes = boxes
        content.held = held
        v.svg = SVG.zoomableMap(geography: store.geography, frame: frame, content: content, layers: layers, language: lang,
                                query: "&amp;" + v.query(v.state(lang, except: ["frame"])).replacingOccurrences(of: "&", with: "&amp;"))
        v.held = held.map { .init(id: $0.id, controller: $0.controller, from: $0.period.from?.iso ?? "", until: $0.period.until?.iso ?? "…",
                                  source: $0.sourceText, confidence: lang.confidence($0.confidence)) }
        return v
    }

    static func agreementPage(id: String, lang: Language, context: AssayContext, store: RelationalStore) async throws -> Response {
        try await agreementView(id: id, lang: lang, role: context.role, store: store).render(language: lang).response(language: lang)
    }

    static func agreementView(id: String, lang: Language, role: Role, store: RelationalStore) async throws -> AgreementView {
        let r = try await snapshots.registry(store, as: role)
        guard let a = r.agreements.first(where: { $0.id == id }) else { throw Problem.notFound("no agreement \"\(id)\"") }
        let names = Dictionary(r.parties.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
        var v = AgreementView()
        v.grants = r.grants.filter { $0.agreement == id }.map { g in
            .init(id: g.id, exclusivity: lang.term("exclusivity", g.exclusivity.rawValue), rights: g.rights.map { lang.term("right", $0.rawValue) }.joined(separator: ", "),
                  minerals: g.minerals.sorted.map { lang == .fr ? $0.frenchName : $0.englishName }.joined(separator: ", "), area: lang.area(g.area),
                  synthetic: g.provenance.synthetic, contested: g.contested,
                  collisions: r.collisions(involving: g.id).map { $0.claim == g.id ? lang.collision($0.collision) : "\($0.claim)" })
        }
        let balance = r.balance(agreement: id, asOf: RelationalStore.systemClock().day)
        let confidentialHidden = !Disclosure.seesSealed(role)
        v.obligations = balance.obligations.map { b in
            let o = b.obligation
            let percent = Int((b.progress * 100).rounded())
            let hide = o.confidential && confidentialHidden
            let promised = hide ? "" : [o.value.map { "\(grouped($0.amount)) \($0.currency)" }, o.quantity.map { "\(grouped($0.amount)) \($0.unit)" }].compactMap { $0 }.joined(separator: ", ")
            return .init(id: o.id, obligor: names[o.obligor] ?? o.obligor, beneficiary: names[o.beneficiary] ?? o.beneficiary,
                         kind: lang.term("obligation", o.kind.rawValue), description: hide ? "(\(lang["confidential"]))" : o.description,
                         percent: hide ? 0 : percent, barPercent: min(100, max(0, hide ? 0 : percent)), promised: promised,
                         overdue: !hide && b.isOverdue, synthetic: o.provenance.synthetic)
        }
        v.id = a.id
        v.title = a.title
        v.kind = lang.term("agreement-kind", a.kind.rawValue)
        v.status = lang.term("agreement", a.status.rawValue)
        v.signed = a.signed?.iso ?? ""
        v.parties = a.parties.map { .init(name: names[$0.party] ?? $0.party, role: lang.term("role", $0.role.rawValue)) }
        v.reserves = try await store.reserves(of: id).map { .init(id: $0.id, title: $0.title) }
        v.linked = r.linkedBalances(of: id, asOf: RelationalStore.systemClock().day).map { l in
            .init(id: l.agreement.id, title: l.agreement.title, relation: l.relation.components(separatedBy: " → ").map { lang.term("relation", $0) }.joined(separator: " → "),
                  status: lang.term("agreement", l.agreement.status.rawValue),
                  obligations: l.report.obligations.map { b in
                      let o = b.obligation
                      let hide = o.confidential && confidentialHidden
                      let percent = hide ? 0 : Int((b.progress * 100).rounded())
                      return .init(id: o.id, obligor: names[o.obligor] ?? o.obligor, beneficiary: names[o.beneficiary] ?? o.beneficiary,
                                   kind: lang.term("obligation", o.kind.rawValue), description: hide ? "(\(lang["confidential"]))" : o.description, percent: percent,
                                   barPercent: min(100, max(0, percent)), promised: "", overdue: !hide && b.isOverdue, synthetic: o.provenance.synthetic)
                  })
        }
        if a.requiresSignatures, let status = try await store.signatureStatus(id) {
            v.signatureTerms = status.terms
            v.signatures = status.signatures.map { r in
                .init(party: names[r.signature.party] ?? r.signature.party, key: r.signature.key, time: r.signature.time.iso,
                      entry: "#\(r.sequence)", missing: false)
            } + status.missing.map { .init(party: names[$0] ?? $0, key: "—", time: lang["not_signed"], entry: "—", missing: true) }
        }
        v.sources = a.provenance.sources
        v.summary = a.summary
        v.supersededBy = r.supersededBy[id]
        v.chart = PortalCharts.balance(balance.series, agreement: id, lang)?.figure(lang)
        let grantBoxes = r.grants.filter { $0.agreement == id }.compactMap { g -> BoundingBox? in
            guard case .cells(let c) = g.area, let b = c.boundingBox, b.north - b.south < 30 else { return nil }
            return b
        }
        v.miniMap = try await MiniMap.cached("agreement|\(id)|\(Disclosure.seesSealed(role))", focus: grantBoxes, language: lang, store: store)
        // Exposure today: the share of each grant's area and capacity on held ground, and the flags.
        if case .object(let m)? = try await RiskReports.agreement(store, id, on: RelationalStore.systemClock().day, as: role) {
            if case .array(let flags)? = m["flags"] { v.riskFlags = EntityPages.flagRows(flags, lang) }
            if case .array(let gs)? = m["grants"] {
                v.exposure = gs.compactMap { g -> AgreementView.Exposure? in
                    guard case .object(let x) = g else { return nil }
                    func s(_ k: String) -> String { if case .string(let v)? = x[k] { v } else { "" } }
                    return .init(grant: s("grant"), share: String(format: "%.1f%%", (Double(s("heldAreaShare")) ?? 0) * 100),
                                 capacity: "\(s("heldCapacityTonnes")) / \(s("capacityTonnes")) t")
                }
            }
        }
        return v
    }

    static func register(on router: Router<AssayContext>, store: RelationalStore) {
        // What every first page needs is prepared as the server starts, not by its first 64 clients at
        // once: the map's provinces (drawn here), and in the background the registry as the public sees
        // it and the risk inputs (errors are left for the requests that need them to report).
        _ = SVG.provinces(store.geography)
        Task {
            _ = try? await snapshots.registry(store, as: .public)
            _ = try? await store.riskInputs()
        }
        router.get("/") { request, context in
            let lang = try Language.choose(request)
            return try await overview(role: context.role, store: store, language: lang).render(language: lang, title: lang["overview"]).response(language: lang)
        }
        router.get("agreements") { request, context in
            let lang = try Language.choose(request)
            return try await agreementList(role: context.role, store: store, language: lang).render(language: lang, title: lang["agreements"]).response(language: lang)
        }
        router.get("agreements/:id") { request, context in
            let lang = try Language.choose(request)
            let id = try context.parameters.require("id")
            // The agreement's exposure reads lots too: every generation.
            let generations = try await store.viewGenerations()
            let seesAll = Disclosure.seesSealed(context.role)
            let key = "agreement|\(id)|\(lang.rawValue)|\(seesAll)"
            return try await pages.page(key, version: "\(generations)|\(store.origin)|\(RelationalStore.systemClock().day.iso)") { try await agreementPage(id: id, lang: lang, context: context, store: store) }
        }
        router.get("conflicts") { request, context in
            let lang = try Language.choose(request)
            let subject = request.uri.queryParameters["subject"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
            var page = ConflictsPage()
            page.groups = try await store.claimGroups(subject: subject, conflictsOnly: subject == nil)
            page.names = try await store.partyNames(Set(page.groups.map(\.subject)))
            return page.render(language: lang).response(language: lang)
        }
        router.get("timeline") { request, context in
            let lang = try Language.choose(request)
            let f = try TimelineRoutes.filter(request, form: true)
            let events = try await store.timeline(f)
            let r = try await snapshots.registry(store, as: context.role)
            let titles = Dictionary(r.agreements.map { ($0.id, $0.title) }, uniquingKeysWith: { a, _ in a })
            let ids = Set(events.flatMap { $0.parties.map(\.party) })
            let names = try await store.partyNames(ids)
            func name(_ id: String) -> String { names[id] ?? id }
            var page = TimelinePage()
            page.agreement = f.agreement ?? ""
            page.party = f.party ?? ""
            page.kinds = Set(f.kinds.map(\.rawValue))
            page.from = f.from?.iso ?? ""
            page.until = f.until?.iso ?? ""
            page.items = events.map { e in
                .init(id: e.id, date: e.dateText, kind: TimelinePage.kindName(e.kind, lang), title: e.title, summary: e.summary,
                      actors: e.actors.map(name).joined(separator: ", "), participants: e.participants.map(name).joined(separator: ", "),
                      client: e.onBehalfOf.map(name), agreements: e.agreements.map { ($0, titles[$0] ?? $0) }, changes: e.changes,
                      sources: e.provenance.sources, synthetic: e.provenance.synthetic)
            }
            return page.render(language: lang).response(language: lang)
        }
        router.get("reserves/:id") { request, context in
            let lang = try Language.choose(request)
            let id = try context.parameters.require("id")
            let day = try ReserveRoutes.asOf(request)
            guard let view = try await store.reserveView(id, as: context.role) else { throw Problem.notFound("no reserve \"\(id)\"") }
            let r = try await snapshots.registry(store, as: context.role)
            let names = Dictionary(r.parties.map { ($0.id, $0.name) }, uniquingKeysWith: { a, _ in a })
            let title = r.agreements.first { $0.id == view.reserve.agreement }?.title ?? view.reserve.agreement
            return ReservePage(view: view, agreementTitle: title, names: names, day: day, language: lang).render(language: lang).response(language: lang)
        }
        router.get("map") { request, context in
            let lang = try Language.choose(request)
            // The map for a chosen day: `?date=YYYY-MM-DD`, or `?month=N` from the slider (months since Jan 2024).
            let first = Day(year: 2024, month: 1, day: 1)!
            let today = RelationalStore.systemClock().day
            var months: [Day] = [first]
            while let last = months.last, last.firstOfNextMonth <= today, months.count < 600 { months.append(last.firstOfNextMonth) }
            var day = today
            let q = request.uri.queryParameters
            if let m = q["month"], Int(String(m)).map({ !months.indices.contains($0) }) ?? true {
                throw Problem.invalid("month", "expected a month index from 0 to \(months.count - 1)")
            }
            if let text = q["date"] {
                do { day = try Day(iso: String(text), field: "date") } catch let e as DomainError { throw Problem.invalid("date", e.message) }
            } else if let m = q["month"] {
                guard let i = Int(String(m)), months.indices.contains(i) else { throw Problem.invalid("month", "expected a month index from 0 to \(months.count - 1)") }
                day = months[i] + 14
            }
            let index = months.lastIndex { $0 <= day } ?? 0
            let frame = try MapFrame.requested(province: q["province"].map(String.init).flatMap { $0.isEmpty ? nil : $0 },
                                               bbox: q["bbox"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }, geography: store.geography)
            let layers = try MapLayer.requested(q.getAll("layer").map { String($0) }, formSent: q["layers"] != nil)
            // The map depends on the registry as this role sees it, the chosen day, frame, layers and the
            // language: drawn once for each, however many ask at once.
            let g = try await store.viewGenerations()
            let key = "map|\(lang.rawValue)|\(Disclosure.seesSealed(context.role))|\(day.iso)|\(frame?.province ?? frame?.bboxText ?? "")|\(layers.map(\.rawValue).sorted())"
            let role = context.role
            return try await pages.page(key, version: "\(g.registry).\(g.risk)|\(store.origin)|\(today.iso)") { [day, months] in
                try await mapView(day: day, monthIndex: index, maxMonth: months.count - 1, frame: frame, layers: layers, lang: lang, role: role, store: store)
                    .render(language: lang, title: lang["map"]).response(language: lang)
            }
        }
        router.get("supply") { request, _ in
            let lang = try Language.choose(request)
            // Supply at risk depends only on the sites, the risk records and the day: computed once for
            // each, however many ask at once.
            let g = try await store.viewGenerations()
            return try await pages.page("supply|\(lang.rawValue)",
                                        version: "\(g.registry).\(g.risk)|\(store.origin)|\(RelationalStore.systemClock().day.iso)") { try await supplyPage(lang: lang, store: store) }
        }
        router.get("log") { request, _ in
            let lang = try Language.choose(request)
            let host = request.head.authority ?? "127.0.0.1:8080"
            let v = LogPageView(checkpoint: store.latestCheckpoint()?.serialized ?? "—", vkey: store.verifierKey, base: "http://\(host)")
            return v.render(language: lang, title: lang["log"]).response(language: lang)
        }
        EntityPages.register(on: router, store: store)
        MapScript.register(on: router, geography: store.geography)
        PortalCharts.register(on: router, store: store)
        LotPages.register(on: router, store: store)
        router.get("log/entries/:seq") { request, context in
            let lang = try Language.choose(request)
            guard let seq = Int64(try context.parameters.require("seq")), seq > 0 else { throw Problem.invalid("seq", "expected an entry number") }
            guard let (entry, storedBytes) = try await store.entry(seq) else { throw Problem.notFound("no journal entry \(seq)") }
            guard let note = store.latestCheckpoint(), let cp = try? Checkpoint(body: note.text), Int(seq) <= cp.size else {
                throw Problem.notFound("entry \(seq) is not covered by a checkpoint yet")
            }
            let (proof, _) = try store.inclusionProof(index: Int(seq) - 1, size: cp.size)
            // The stored bytes are public: confidential details were sealed out of them (only their hash is logged).
            let v = EntryPageView(seq: seq, type: entry.command.kind.rawValue, subject: entry.command.subjectID, time: entry.time.iso,
                                  author: entry.author, leaf: MerkleHasher.leaf(storedBytes).hex, bytes: String(decoding: storedBytes, as: UTF8.self),
                                  index: seq - 1, size: cp.size, proof: proof.map(\.hex), root: cp.root.hex, checkpoint: note.serialized)
            return v.render(language: lang, title: "#\(seq)").response(language: lang)
        }
        router.get("search") { request, context in
            let lang = try Language.choose(request)
            let q = String(request.uri.queryParameters["q"] ?? "").trimmingCharacters(in: .whitespaces)
            return try await search(q, lang: lang, role: context.role, store: store).render(language: lang, title: lang["search"]).response(language: lang)
        }
    }
}
