import AssayDomain
import AssayReports
import AssayStore
import Foundation
import Hummingbird
import TransparencyLog

/// Portal pages for lots: the list, and each lot's due-diligence page (the buyer's report as HTML that
/// prints cleanly) with its lineage drawn as SVG.
enum LotPages {
    static func register(on router: Router<AssayContext>, store: RelationalStore) {
        router.get("lots") { request, _ in
            let lang = try Language.choose(request)
            let size = store.publishedSize
            return try await Portal.pages.page("lots|\(lang.rawValue)", version: "\(size)|\(store.origin)") {
                try await lotList(store, language: lang).render(language: lang, title: lang["lots"]).response(language: lang)
            }
        }
        router.get("lots/:id") { request, context in
            let lang = try Language.choose(request)
            let id = try context.parameters.require("id")
            // The buyer's report (trace, proofs, flags, royalties) is the same for everyone until the log
            // grows or the day changes: drawn once for each.
            let size = store.publishedSize
            return try await Portal.pages.page("lot|\(id)|\(lang.rawValue)", version: "\(size)|\(store.origin)|\(RelationalStore.systemClock().day.iso)") { try await lotPage(id: id, lang: lang, store: store) }
        }
    }

    static func lotPage(id: String, lang: Language, store: RelationalStore) async throws -> Response {
        let v = try await lotView(id: id, language: lang, store: store)
        return v.render(language: lang, title: "\(lang["lot"]) \(v.id)").response(language: lang)
    }

    /// The buyer's report on lot (or tag) `id` as the page shows it.
    static func lotView(id: String, language lang: Language, store: RelationalStore) async throws -> LotPageView {
        let schedule = try Problem.royalties(store)
        guard let trace = try await store.trace(id), let report = try await CustodyReports.buyer(store, lot: id, schedule: schedule),
              case .object(let m) = report else { throw Problem.notFound("no lot or tag \"\(id)\"") }
        let l = trace.lot
        var v = LotPageView()
        v.origins = l.origins.map { o in
            .init(site: trace.names[o.site] ?? o.site, siteId: o.site, share: String(format: "%.1f%%", o.share * 100),
                  mass: Mass(grams: Int64((Double(l.mass.grams) * o.share).rounded())).description,
                  title: o.concession.map { trace.names[$0] ?? $0 } ?? "", untraced: o.concession == nil)
        }
        v.events = trace.events.map { e in
            let ev = e.signed.event
            return .init(time: ev.time.iso, id: ev.id, kind: lang.term("custody", ev.kind.rawValue), party: trace.names[ev.party] ?? ev.party, key: ev.key,
                         verified: e.verified, lots: e.lots.joined(separator: ", "), seq: e.sequence)
        }
        v.flags = array(m["flags"]).compactMap { f in
            guard case .object(let x) = f else { return nil }
            func s(_ k: String) -> String { if case .string(let v)? = x[k] { v } else { "" } }
            return .init(rule: s("rule"), severity: s("severity"), severityLabel: lang.term("severity", s("severity")), lot: s("lot"),
                         explanation: FlagWording.explain(rule: s("rule"), evidence: FlagWording.evidence(x), explanation: s("explanation"), language: lang))
        }
        v.royalties = array(m["royalties"]).compactMap { r in
            guard case .object(let x) = r else { return nil }
            func s(_ k: String) -> String { if case .string(let v)? = x[k] { v } else { "" } }
            func money(_ k: String) -> String {
                guard case .object(let mm)? = x[k], case .string(let a)? = mm["amount"], case .string(let c)? = mm["currency"] else { return "—" }
                return "\(Portal.grouped(Decimal(string: a) ?? 0)) \(c)"
            }
            return .init(lot: s("lot"), day: s("day"), payer: s("payer"), rate: s("ratePercent"), due: money("due"), status: lang.term("royalty", s("status")))
        }
        v.proofs = array(m["proofs"]).compactMap { p in
            guard case .object(let x) = p, case .string(let ev)? = x["event"], case .string(let b)? = x["bundle"] else { return nil }
            return .init(event: ev, bundle: b)
        }
        v.id = l.id
        v.mineral = lang == .fr ? l.mineral.frenchName : l.mineral.englishName
        v.form = lang.term("form", l.form.rawValue)
        v.mass = l.mass.description
        v.grade = l.grade?.description ?? "—"
        v.holder = trace.names[l.holder] ?? l.holder
        v.status = lang.term("lot", l.status)
        v.location = l.location ?? "—"
        v.allVerified = trace.allSignaturesVerified
        v.graph = graph(trace)
        v.vkey = store.verifierKey
        v.checkpoint = store.latestCheckpoint()?.serialized ?? ""
        v.synthetic = trace.events.contains { $0.signed.event.note?.contains("synthetic") == true }
        return v
    }

    static func lotList(_ store: RelationalStore, language lang: Language) async throws -> LotListView {
        let lots = try await store.lots(after: nil, limit: 1000)
        let flagged = Set(try await store.custodyFlags(limit: 10_000).map(\.lot))
        return LotListView(items: lots.map { l in
            .init(id: l.id, mineral: lang == .fr ? l.mineral.frenchName : l.mineral.englishName, form: lang.term("form", l.form.rawValue),
                  mass: l.mass.description, holder: l.holder, status: lang.term("lot", l.status), flagged: flagged.contains(l.id))
        })
    }

    static func array(_ v: JSONValue?) -> [JSONValue] {
        if case .array(let a)? = v { return a }
        return []
    }

    /// The lot's family as a left-to-right graph: ancestors to the left by distance, descendants to the
    /// right, the lot itself in the middle column; flagged lots outlined in red.
    static func graph(_ t: LotTrace) -> String {
        var columns: [Int: [LotRecord]] = [0: [t.lot]]
        for a in t.ancestors { columns[-a.depth, default: []].append(a.lot) }
        for d in t.descendants { columns[d.depth, default: []].append(d.lot) }
        let flagged = Set(t.flags.map(\.lot))
        let minCol = columns.keys.min() ?? 0, maxCol = columns.keys.max() ?? 0
        let rows = columns.values.map(\.count).max() ?? 1
        let w = 190, h = 56, boxW = 160, boxH = 40
        let width = (maxCol - minCol + 1) * w + 20, height = rows * h + 20
        var pos: [String: (Int, Int)] = [:]
        for (col, lots) in columns {
            for (i, l) in lots.sorted(by: { $0.id < $1.id }).enumerated() {
                pos[l.id] = (10 + (col - minCol) * w, 10 + i * h + (rows - lots.count) * h / 2)
            }
        }
        var out = "<svg id=\"lot-graph\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(width) \(height)\" width=\"\(width)\" height=\"\(height)\" role=\"img\" aria-label=\"lineage of \(SVG.escape(t.lot.id))\">"
        for e in t.edges {
            guard let a = pos[e.parent], let b = pos[e.child] else { continue }
            out += "<line class=\"edge\" x1=\"\(a.0 + boxW)\" y1=\"\(a.1 + boxH / 2)\" x2=\"\(b.0)\" y2=\"\(b.1 + boxH / 2)\" stroke=\"#789\" stroke-width=\"1.5\"><title>\(SVG.escape(e.event)): \(Mass(grams: e.grams))</title></line>"
        }
        for (col, lots) in columns {
            for l in lots {
                guard let p = pos[l.id] else { continue }
                let cls = ["lot", col == 0 ? "current" : "", flagged.contains(l.id) ? "flagged" : ""].filter { !$0.isEmpty }.joined(separator: " ")
                let fill = col == 0 ? "#dde8ff" : "#f4f6f8"
                let stroke = flagged.contains(l.id) ? "#c33" : "#567"
                out += "<a href=\"/lots/\(SVG.escape(l.id))\"><g class=\"\(cls)\"><rect x=\"\(p.0)\" y=\"\(p.1)\" width=\"\(boxW)\" height=\"\(boxH)\" rx=\"4\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"\(flagged.contains(l.id) ? 2 : 1)\"/>"
                out += "<text x=\"\(p.0 + 6)\" y=\"\(p.1 + 16)\" font-size=\"11\" font-weight=\"bold\">\(SVG.escape(l.id))</text>"
                out += "<text x=\"\(p.0 + 6)\" y=\"\(p.1 + 32)\" font-size=\"10\">\(SVG.escape("\(l.mass) \(l.mineral.rawValue) \(l.form.rawValue)"))</text></g></a>"
            }
        }
        return out + "</svg>"
    }
}
