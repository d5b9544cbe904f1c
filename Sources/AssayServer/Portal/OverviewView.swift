/// The overview page (`/`): counts, agreements by status, the latest checkpoint and the ten latest
/// journal entries, written as the `overview` template did.
struct OverviewView {
    struct Status { var status: String; var count: Int }
    struct Entry { var seq: Int64; var type: String; var subject: String; var time: String }

    var agreementCount = 0
    var concessionCount = 0
    var siteCount = 0
    var entryCount: Int64 = 0
    var byStatus: [Status] = []
    var checkpoint = ""
    var recent: [Entry] = []

    func render(language t: Language, title: String) -> HTML {
        var h = HTML()
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(t["title"]); h.raw("</h1>\n<div class=\"figures\">\n")
        h.raw("<div><strong>\(agreementCount)</strong> "); h.text(t["agreements"]); h.raw("</div><div><strong>\(concessionCount)</strong> ")
        h.text(t["concessions"]); h.raw("</div>\n<div><strong>\(siteCount)</strong> "); h.text(t["sites"])
        h.raw("</div><div><strong>\(entryCount)</strong> "); h.text(t["entries"]); h.raw("</div>\n</div>\n")
        h.raw("<h2>"); h.text(t["agreements"]); h.raw(" · "); h.text(t["status"]); h.raw("</h2>\n<ul id=\"by-status\">")
        for s in byStatus { h.raw("<li>"); h.text(s.status); h.raw(": \(s.count)</li>") }
        h.raw("</ul>\n<h2>"); h.text(t["latest_checkpoint"]); h.raw("</h2><pre id=\"checkpoint\">"); h.text(checkpoint); h.raw("</pre>\n")
        h.raw("<h2>"); h.text(t["recent"]); h.raw("</h2>\n<table id=\"recent\"><tr><th>#</th><th>"); h.text(t["kind"])
        h.raw("</th><th>"); h.text(t["id"]); h.raw("</th><th>UTC</th></tr>\n")
        for e in recent {
            h.raw("<tr><td><a href=\"/log/entries/\(e.seq)?lang=\(t.rawValue)\">\(e.seq)</a></td><td>"); h.text(e.type); h.raw("</td><td>")
            h.text(e.subject); h.raw("</td><td>"); h.text(e.time); h.raw("</td></tr>")
        }
        h.raw("</table>\n")
        PageLayout.close(&h, language: t)
        return h
    }

    /// The same page as the data the `overview` template took (kept to prove the two render alike).
    var templateData: [String: Any] {
        ["agreementCount": agreementCount, "concessionCount": concessionCount, "siteCount": siteCount, "entryCount": entryCount,
         "byStatus": byStatus.map { ["status": $0.status, "count": $0.count] }, "checkpoint": checkpoint,
         "recent": recent.map { ["seq": $0.seq, "type": $0.type, "subject": $0.subject, "time": $0.time] }]
    }
}

/// The list of agreements (`/agreements`), newest signature first, as the `agreements` template wrote it.
struct AgreementListView {
    struct Item { var id: String; var title: String; var kind: String; var status: String; var signed: String }
    var items: [Item] = []

    func render(language t: Language, title: String) -> HTML {
        var h = HTML()
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(t["agreements"]); h.raw("</h1>\n<table id=\"agreements\"><tr><th>"); h.text(t["agreements"])
        h.raw("</th><th>"); h.text(t["kind"]); h.raw("</th><th>"); h.text(t["status"]); h.raw("</th><th>"); h.text(t["signed"]); h.raw("</th></tr>\n")
        for a in items {
            h.raw("<tr><td><a href=\"/agreements/"); h.text(a.id); h.raw("?lang=\(t.rawValue)\">"); h.text(a.title); h.raw("</a></td><td>")
            h.text(a.kind); h.raw("</td><td><span class=\"pill\">"); h.text(a.status); h.raw("</span></td><td>"); h.text(a.signed); h.raw("</td></tr>")
        }
        h.raw("\n</table>\n")
        PageLayout.close(&h, language: t)
        return h
    }

    var templateData: [String: Any] {
        ["items": items.map { ["id": $0.id, "title": $0.title, "kind": $0.kind, "status": $0.status, "signed": $0.signed] }]
    }
}
