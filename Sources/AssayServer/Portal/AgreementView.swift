/// An agreement's page: parties, grants with their collisions, obligations with their progress, the
/// balance chart, the exposure of each grant to ground held by armed groups, sources — written as the
/// `agreement` template did.
struct AgreementView {
    struct PartyRole { var name: String; var role: String }
    struct Grant {
        var id: String; var exclusivity: String; var rights: String; var minerals: String; var area: String
        var synthetic: Bool
        /// Why the grant is contested, when it is.
        var contested: String?
        var collisions: [String]
    }
    struct Obligation {
        var id: String; var obligor: String; var beneficiary: String; var kind: String; var description: String
        var percent: Int; var barPercent: Int; var promised: String; var overdue: Bool; var synthetic: Bool
    }
    struct Exposure { var grant: String; var share: String; var capacity: String }
    struct ReserveLink { var id: String; var title: String }
    struct Linked { var id: String; var title: String; var relation: String; var status: String; var obligations: [Obligation] }
    /// One party's signature, or its absence (`missing`: time says "not signed").
    struct Signature { var party: String; var key: String; var time: String; var entry: String; var missing: Bool }

    var id = ""
    var title = ""
    var kind = ""
    var status = ""
    var signed = ""
    var supersededBy: String?
    var summary: String?
    var parties: [PartyRole] = []
    var reserves: [ReserveLink] = []
    var linked: [Linked] = []
    /// For an agreement that counts only when every party has signed: the digest signed, and each party's signature.
    var signatureTerms: String?
    var signatures: [Signature] = []
    var grants: [Grant] = []
    var obligations: [Obligation] = []
    /// The balance over time as SVG (drawn here from escaped values).
    var chart: String?
    var riskFlags: [EntityView.Flag] = []
    var exposure: [Exposure] = []
    var sources: [String] = []
    /// Where its grants are (``MiniMap``), when any grant has cells.
    var miniMap: String?

    func render(language t: Language) -> HTML {
        let lang = t.rawValue
        var h = HTML()
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(title); h.raw("</h1>\n")
        if let miniMap { h.raw(miniMap) }
        h.raw("<p><span class=\"pill\">"); h.text(kind); h.raw("</span> <span class=\"pill\">")
        h.text(status); h.raw("</span> ")
        if !signed.isEmpty { h.text(t["signed"]); h.raw(" "); h.text(signed) }
        h.raw("\n")
        if let s = supersededBy, !s.isEmpty {
            h.raw(" — superseded by <a href=\"/agreements/"); h.text(s); h.raw("?lang=\(lang)\">"); h.text(s); h.raw("</a>")
        }
        h.raw("</p>\n")
        if let s = summary, !s.isEmpty { h.raw("<h2>"); h.text(t["summary"]); h.raw("</h2><p>"); h.text(s); h.raw("</p>") }
        h.raw("\n<h2>"); h.text(t["party_roles"]); h.raw("</h2><ul id=\"parties\">")
        for p in parties { h.raw("<li>"); h.text(p.name); h.raw(" — "); h.text(p.role); h.raw("</li>") }
        h.raw("</ul>\n<p><a id=\"record\" href=\"/timeline?agreement="); h.text(id); h.raw("&amp;lang=\(lang)\">"); h.text(t["tl_record"]); h.raw("</a></p>\n")
        if !reserves.isEmpty {
            h.raw("<h2>"); h.text(t["rv_reserves"]); h.raw("</h2><ul id=\"reserves\">")
            for r in reserves { h.raw("<li><a href=\"/reserves/"); h.text(r.id); h.raw("?lang=\(lang)\">"); h.text(r.title); h.raw("</a></li>") }
            h.raw("</ul>\n")
        }
        if let terms = signatureTerms, !terms.isEmpty {
            h.raw("<h2>"); h.text(t["signatures"]); h.raw("</h2><p>"); h.text(t["signatures_rule"]); h.raw(" <code>"); h.text(terms)
            h.raw("</code></p>\n<table id=\"signatures\"><tr><th>"); h.text(t["signatory"]); h.raw("</th><th>"); h.text(t["key"])
            h.raw("</th><th>"); h.text(t["signed_at"]); h.raw("</th><th>"); h.text(t["log_entry"]); h.raw("</th></tr>\n")
            for s in signatures {
                h.raw("<tr class=\""); if s.missing { h.raw("missing") }; h.raw("\"><td>"); h.text(s.party); h.raw("</td><td>"); h.text(s.key)
                h.raw("</td><td>"); h.text(s.time); h.raw("</td><td>"); h.text(s.entry); h.raw("</td></tr>")
            }
            h.raw("</table>")
        }
        h.raw("\n<h2>"); h.text(t["grants"]); h.raw("</h2>\n<table id=\"grants\"><tr><th>"); h.text(t["id"]); h.raw("</th><th>"); h.text(t["kind"])
        h.raw("</th><th></th></tr>\n")
        for g in grants {
            let contested = g.contested.flatMap { $0.isEmpty ? nil : $0 }
            h.raw("<tr class=\""); if contested != nil { h.raw("contested") }; h.raw("\"><td>"); h.text(g.id); h.raw("</td><td>")
            h.text(g.exclusivity); h.raw(" · "); h.text(g.rights); h.raw(" · "); h.text(g.minerals); h.raw(" · "); h.text(g.area); h.raw("\n")
            if g.synthetic { h.raw("<div class=\"synthetic\">"); h.text(t["synthetic"]); h.raw("</div>") }
            h.raw("</td>\n<td>")
            if let c = contested {
                h.raw("<strong>"); h.text(t["contested"]); h.raw("</strong>: "); h.text(c); h.raw("<ul>")
                for x in g.collisions { h.raw("<li>"); h.text(t["collides_with"]); h.raw(" "); h.text(x); h.raw("</li>") }
                h.raw("</ul>")
            }
            h.raw("</td></tr>")
        }
        h.raw("\n</table>\n<h2>"); h.text(t["obligations"]); h.raw("</h2>\n<table id=\"obligations\"><tr><th>"); h.text(t["id"]); h.raw("</th><th>"); h.text(t["kind"])
        h.raw("</th><th>"); h.text(t["delivered"]); h.raw("</th></tr>\n")
        for o in obligations {
            h.raw("<tr class=\"obligation\"><td>"); h.text(o.id); h.raw("</td><td>"); h.text(o.obligor); h.raw(" → "); h.text(o.beneficiary)
            h.raw(" · "); h.text(o.kind); h.raw("<br>"); h.text(o.description); h.raw("\n")
            if o.synthetic { h.raw("<div class=\"synthetic\">"); h.text(t["synthetic"]); h.raw("</div>") }
            h.raw("</td>\n<td><span class=\"bar\" role=\"progressbar\" aria-valuenow=\"\(o.percent)\" aria-valuemin=\"0\" aria-valuemax=\"100\"><span style=\"width:\(o.barPercent)%\"></span></span> \(o.percent)% ")
            h.text(o.promised); h.raw("\n")
            if o.overdue { h.raw("<strong>"); h.text(t["overdue"]); h.raw("</strong>") }
            h.raw("</td></tr>")
        }
        h.raw("\n</table>\n")
        if !linked.isEmpty {
            h.raw("<h2>"); h.text(t["ln_linked"]); h.raw("</h2>\n<table id=\"linked\"><tr><th>"); h.text(t["agreements"]); h.raw("</th><th>")
            h.text(t["obligations"]); h.raw("</th></tr>\n")
            for l in linked {
                h.raw("<tr><td><a href=\"/agreements/"); h.text(l.id); h.raw("?lang=\(lang)\">"); h.text(l.title); h.raw("</a><br><small>"); h.text(l.relation)
                h.raw(" · "); h.text(l.status); h.raw("</small></td><td><ul>")
                for o in l.obligations {
                    h.raw("<li class=\"obligation\">"); h.text(o.obligor); h.raw(" → "); h.text(o.beneficiary); h.raw(" · "); h.text(o.kind); h.raw(": ")
                    h.text(o.description); h.raw(" — \(o.percent)% ")
                    if o.overdue { h.raw("<strong>"); h.text(t["overdue"]); h.raw("</strong>") }
                    h.raw("</li>")
                }
                h.raw("</ul></td></tr>\n")
            }
            h.raw("</table>\n")
        }
        if let chart, !chart.isEmpty { h.raw("<h2>"); h.text(t["delivered"]); h.raw(" / "); h.text(t["obligations"]); h.raw("</h2>"); h.raw(chart) }
        h.raw("\n")
        h.riskFlags(riskFlags, t)
        h.raw("\n<h2>"); h.text(t["exposure"]); h.raw("</h2><table id=\"exposure\"><tr><th>"); h.text(t["grant"]); h.raw("</th><th>"); h.text(t["held_area"])
        h.raw("</th><th>"); h.text(t["held_capacity"]); h.raw("</th></tr>\n")
        for e in exposure { h.raw("<tr><td>"); h.text(e.grant); h.raw("</td><td>"); h.text(e.share); h.raw("</td><td>"); h.text(e.capacity); h.raw("</td></tr>") }
        h.raw("</table>\n")
        h.sources(sources, t)
        PageLayout.close(&h, language: t)
        return h
    }

    /// The same page as the data the `agreement` template took (kept to prove the two render alike).
    var templateData: [String: Any] {
        var d: [String: Any] = [
            "id": id, "title": title, "kind": kind, "status": status, "miniMap": miniMap ?? "",
            "parties": parties.map { ["name": $0.name, "role": $0.role] },
            "grants": grants.map { g -> [String: Any] in
                var m: [String: Any] = ["id": g.id, "exclusivity": g.exclusivity, "rights": g.rights, "minerals": g.minerals, "area": g.area,
                                        "synthetic": g.synthetic, "collisions": g.collisions.map { ["text": $0] }]
                if let c = g.contested, !c.isEmpty { m["contested"] = c }
                return m
            },
            "obligations": obligations.map { o -> [String: Any] in
                ["id": o.id, "obligor": o.obligor, "beneficiary": o.beneficiary, "kind": o.kind, "description": o.description,
                 "percent": o.percent, "barPercent": o.barPercent, "promised": o.promised, "overdue": o.overdue, "synthetic": o.synthetic]
            },
            "sources": SourceLink.list(sources).map(\.templateData),
        ]
        // The template printed "Signed" with no date for an agreement not signed (an empty string opened
        // its section); the page now leaves it out, on purpose. Empty values are left out alike.
        if !signed.isEmpty { d["signed"] = signed }
        if let summary, !summary.isEmpty { d["summary"] = summary }
        if let supersededBy, !supersededBy.isEmpty { d["supersededBy"] = supersededBy }
        if !linked.isEmpty {
            d["hasLinked"] = true
            d["linked"] = linked.map { l -> [String: Any] in
                ["id": l.id, "title": l.title, "relation": l.relation, "status": l.status,
                 "obligations": l.obligations.map { o -> [String: Any] in
                     ["obligor": o.obligor, "beneficiary": o.beneficiary, "kind": o.kind, "description": o.description, "percent": o.percent, "overdue": o.overdue]
                 }]
            }
        }
        if !reserves.isEmpty {
            d["hasReserves"] = true
            d["reserves"] = reserves.map { ["id": $0.id, "title": $0.title] }
        }
        if let signatureTerms, !signatureTerms.isEmpty {
            d["signatureTerms"] = signatureTerms
            d["signatures"] = signatures.map { ["party": $0.party, "key": $0.key, "time": $0.time, "entry": $0.entry, "missing": $0.missing] as [String: Any] }
        }
        if let chart, !chart.isEmpty { d["chart"] = chart }
        if !riskFlags.isEmpty {
            d["riskFlags"] = riskFlags.map { ["rule": $0.rule, "response": $0.response, "explanation": $0.explanation] }
            d["hasRiskFlags"] = true
        }
        if !exposure.isEmpty { d["exposure"] = exposure.map { ["grant": $0.grant, "share": $0.share, "capacity": $0.capacity] } }
        return d
    }
}
