/// `/lots/{id}`: the buyer's due-diligence report on one lot — facts, origins, lineage, the signed custody
/// chain, flags, royalties and the proofs to check offline — as the `lot` template wrote it.
struct LotPageView {
    struct Origin { var site: String; var siteId: String; var share: String; var mass: String; var title: String; var untraced: Bool }
    struct Event { var time: String; var id: String; var kind: String; var party: String; var key: String; var verified: Bool; var lots: String; var seq: Int64 }
    struct Flag { var rule: String; var severity: String; var severityLabel: String; var lot: String; var explanation: String }
    struct Royalty { var lot: String; var day: String; var payer: String; var rate: String; var due: String; var status: String }
    struct Proof { var event: String; var bundle: String }

    var id = ""
    var mineral = ""
    var form = ""
    var mass = ""
    var grade = ""
    var holder = ""
    var status = ""
    var location = ""
    var synthetic = false
    var origins: [Origin] = []
    /// The lineage graph, drawn by ``LotPages/graph(_:)`` from escaped values.
    var graph = ""
    var allVerified = false
    var events: [Event] = []
    var flags: [Flag] = []
    var royalties: [Royalty] = []
    var vkey = ""
    var proofs: [Proof] = []
    var checkpoint = ""

    func render(language t: Language, title: String) -> HTML {
        var h = HTML(capacity: 32_768 + graph.utf8.count + proofs.reduce(0) { $0 + $1.bundle.utf8.count })
        let lang = t.rawValue
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(t["buyer_report"]); h.raw(": "); h.text(id); h.raw("</h1>\n")
        if synthetic { h.raw("<p class=\"synthetic\">"); h.text(t["synthetic"]); h.raw("</p>") }
        h.raw("\n<table id=\"facts\">\n<tr><th>"); h.text(t["kind"]); h.raw("</th><td>"); h.text(mineral); h.raw(" · "); h.text(form)
        h.raw("</td></tr><tr><th>"); h.text(t["mass"]); h.raw("</th><td>"); h.text(mass); h.raw(" ("); h.text(t["grade"]); h.raw(" "); h.text(grade)
        h.raw(")</td></tr>\n<tr><th>"); h.text(t["holder"]); h.raw("</th><td>"); h.text(holder); h.raw("</td></tr><tr><th>"); h.text(t["status"])
        h.raw("</th><td>"); h.text(status); h.raw(" · "); h.text(location); h.raw("</td></tr>\n</table>\n<h2>"); h.text(t["origins"])
        h.raw("</h2>\n<table id=\"origins\"><tr><th>"); h.text(t["sites"]); h.raw("</th><th>%</th><th>"); h.text(t["mass"]); h.raw("</th><th>")
        h.text(t["concessions"]); h.raw("</th></tr>\n")
        for o in origins {
            h.raw("<tr><td><a href=\"/sites/"); h.text(o.siteId); h.raw("?lang=\(lang)\">"); h.text(o.site); h.raw("</a></td><td>"); h.text(o.share)
            h.raw("</td><td>"); h.text(o.mass); h.raw("</td><td>")
            if o.untraced { h.raw("<span class=\"bad\">"); h.text(t["untraced"]); h.raw("</span>") }
            h.text(o.title); h.raw("</td></tr>")
        }
        h.raw("\n</table>\n<h2>"); h.text(t["lineage"]); h.raw("</h2>\n<div style=\"overflow-x:auto\">"); h.raw(graph); h.raw("</div>\n<h2>")
        h.text(t["custody_chain"]); h.raw("</h2>\n<p id=\"signatures\">")
        if allVerified { h.raw("<span class=\"ok\">✔ "); h.text(t["all_verified"]); h.raw("</span>") } else {
            h.raw("<span class=\"bad\">✘ "); h.text(t["not_verified"]); h.raw("</span>")
        }
        h.raw("</p>\n<table id=\"chain\"><tr><th>UTC</th><th>"); h.text(t["event"]); h.raw("</th><th>"); h.text(t["kind"]); h.raw("</th><th>")
        h.text(t["party"]); h.raw("</th><th>"); h.text(t["key"]); h.raw("</th><th>"); h.text(t["signature"]); h.raw("</th><th>"); h.text(t["lots"])
        h.raw("</th><th>#</th></tr>\n")
        for e in events {
            h.raw("<tr><td>"); h.text(e.time); h.raw("</td><td>"); h.text(e.id); h.raw("</td><td>"); h.text(e.kind); h.raw("</td><td>"); h.text(e.party)
            h.raw("</td><td>"); h.text(e.key); h.raw(e.verified ? "</td><td><span class=\"ok\">✔</span></td><td>" : "</td><td><span class=\"bad\">✘</span></td><td>")
            h.text(e.lots); h.raw("</td><td><a href=\"/log/entries/\(e.seq)?lang=\(lang)\">\(e.seq)</a></td></tr>")
        }
        h.raw("\n</table>\n<h2>"); h.text(t["flags"]); h.raw("</h2>\n")
        if !flags.isEmpty {
            h.raw("<ul id=\"flags\">")
            for f in flags {
                h.raw("<li class=\"flag-"); h.text(f.severity); h.raw("\"><code>"); h.text(f.rule); h.raw("</code> ("); h.text(f.severityLabel); h.raw(") ")
                h.text(f.lot); h.raw(": "); h.text(f.explanation); h.raw("</li>")
            }
            h.raw("</ul>")
        }
        h.raw("\n")
        if flags.isEmpty { h.raw("<p id=\"flags\">"); h.text(t["no_flags"]); h.raw("</p>") }
        h.raw("\n<h2>"); h.text(t["royalties"]); h.raw("</h2>\n<table id=\"royalties\"><tr><th>"); h.text(t["lot"]); h.raw("</th><th>"); h.text(t["day"])
        h.raw("</th><th>"); h.text(t["payer"]); h.raw("</th><th>%</th><th>"); h.text(t["due"]); h.raw("</th><th>"); h.text(t["status"]); h.raw("</th></tr>\n")
        for r in royalties {
            h.raw("<tr><td>"); h.text(r.lot); h.raw("</td><td>"); h.text(r.day); h.raw("</td><td>"); h.text(r.payer); h.raw("</td><td>"); h.text(r.rate)
            h.raw("</td><td>"); h.text(r.due); h.raw("</td><td>"); h.text(r.status); h.raw("</td></tr>")
        }
        h.raw("\n</table>\n<h2>"); h.text(t["proofs"]); h.raw("</h2>\n<p>"); h.text(t["proofs_how"]); h.raw(" <a href=\"/api/v1/lots/"); h.text(id)
        h.raw("/report\">JSON</a></p>\n<p>vkey: <code>"); h.text(vkey); h.raw("</code></p>\n<details><summary>"); h.text(t["proofs"]); h.raw("</summary>")
        for p in proofs { h.raw("<h3>"); h.text(p.event); h.raw("</h3><pre>"); h.text(p.bundle); h.raw("</pre>") }
        h.raw("<h3>checkpoint</h3><pre>"); h.text(checkpoint); h.raw("</pre></details>\n")
        PageLayout.close(&h, language: t)
        return h
    }

    var templateData: [String: Any] {
        ["id": id, "mineral": mineral, "form": form, "mass": mass, "grade": grade, "holder": holder, "status": status, "location": location,
         "origins": origins.map { ["site": $0.site, "siteId": $0.siteId, "share": $0.share, "mass": $0.mass, "title": $0.title, "untraced": $0.untraced] },
         "events": events.map { ["time": $0.time, "id": $0.id, "kind": $0.kind, "party": $0.party, "key": $0.key, "verified": $0.verified, "lots": $0.lots, "seq": $0.seq] },
         "flags": flags.map { ["rule": $0.rule, "severity": $0.severity, "severityLabel": $0.severityLabel, "lot": $0.lot, "explanation": $0.explanation] }, "hasFlags": !flags.isEmpty,
         "royalties": royalties.map { ["lot": $0.lot, "day": $0.day, "payer": $0.payer, "rate": $0.rate, "due": $0.due, "status": $0.status] },
         "allVerified": allVerified, "proofs": proofs.map { ["event": $0.event, "bundle": $0.bundle] }, "graph": graph, "vkey": vkey,
         "checkpoint": checkpoint, "synthetic": synthetic]
    }
}
