/// The portal's plain lists, written as their templates (`lots`, `search`, `entityList`) did.

/// `/lots`: every lot (first 1,000), with a mark on those with custody flags.
struct LotListView {
    struct Item { var id: String; var mineral: String; var form: String; var mass: String; var holder: String; var status: String; var flagged: Bool }
    var items: [Item] = []

    func render(language t: Language, title: String) -> HTML {
        var h = HTML()
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(t["lots"]); h.raw("</h1>\n<table id=\"lots\"><tr><th>"); h.text(t["lot"]); h.raw("</th><th>"); h.text(t["kind"])
        h.raw("</th><th>"); h.text(t["mass"]); h.raw("</th><th>"); h.text(t["holder"]); h.raw("</th><th>"); h.text(t["status"])
        h.raw("</th><th>"); h.text(t["flags"]); h.raw("</th></tr>\n")
        for l in items {
            h.raw("<tr><td><a href=\"/lots/"); h.text(l.id); h.raw("?lang=\(t.rawValue)\">"); h.text(l.id); h.raw("</a></td><td>")
            h.text(l.mineral); h.raw(" "); h.text(l.form); h.raw("</td><td>"); h.text(l.mass); h.raw("</td><td>"); h.text(l.holder)
            h.raw("</td><td>"); h.text(l.status); h.raw("</td><td>")
            if l.flagged { h.raw("<span class=\"flag-high\">⚑</span>") }
            h.raw("</td></tr>")
        }
        h.raw("\n</table>\n")
        PageLayout.close(&h, language: t)
        return h
    }

    var templateData: [String: Any] {
        ["items": items.map { ["id": $0.id, "mineral": $0.mineral, "form": $0.form, "mass": $0.mass, "holder": $0.holder, "status": $0.status, "flagged": $0.flagged] }]
    }
}

/// `/search?q=`: agreements, parties and sites whose id or name contains the words (first 200).
struct SearchView {
    struct Result { var href: String; var label: String; var kind: String }
    var query = ""
    var results: [Result] = []

    func render(language t: Language, title: String) -> HTML {
        var h = HTML()
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(t["search"]); h.raw(": "); h.text(query); h.raw("</h1>\n<ul id=\"results\">")
        for r in results {
            h.raw("<li><a href=\""); h.text(r.href); h.raw("\">"); h.text(r.label); h.raw("</a> <span class=\"pill\">"); h.text(r.kind); h.raw("</span></li>")
        }
        h.raw("</ul>\n")
        PageLayout.close(&h, language: t)
        return h
    }

    var templateData: [String: Any] {
        ["q": query, "results": results.map { ["href": $0.href, "label": $0.label, "kind": $0.kind] }]
    }
}

/// `/parties`, `/sites`, `/concessions`: a heading and one linked row per entity.
struct EntityListView {
    struct Item { var href: String; var label: String; var detail: String }
    var heading = ""
    var items: [Item] = []
    /// The link to the next page, when there may be one.
    var next: Item?

    func render(language t: Language, title: String) -> HTML {
        var h = HTML(capacity: 256 + items.count * 120)
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(heading); h.raw("</h1>\n<table id=\"entities\">")
        for i in items {
            h.raw("<tr><td><a href=\""); h.text(i.href); h.raw("\">"); h.text(i.label); h.raw("</a></td><td>"); h.text(i.detail); h.raw("</td></tr>")
        }
        h.raw("</table>\n")
        if let next { h.raw("<p><a id=\"next\" rel=\"next\" href=\""); h.text(next.href); h.raw("\">"); h.text(next.label); h.raw(" →</a></p>\n") }
        PageLayout.close(&h, language: t)
        return h
    }

    var templateData: [String: Any] {
        ["heading": heading, "items": items.map { ["href": $0.href, "label": $0.label, "detail": $0.detail] }]
    }
}
