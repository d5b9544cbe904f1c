import AssayDomain
import AssayStore

/// The negotiation on the record, filtered by agreement, party, kind and period: each event's date, kind,
/// who acted, who took part, for whom, what it concerns and changed, and its sources.
struct TimelinePage {
    struct Item {
        var id: String; var date: String; var kind: String; var title: String; var summary: String?
        var actors: String; var participants: String; var client: String?
        var agreements: [(id: String, title: String)]; var changes: [String]; var sources: [String]; var synthetic: Bool
    }
    var agreement = ""
    var party = ""
    var kinds: Set<String> = []
    var from = ""
    var until = ""
    var items: [Item] = []

    static func kindName(_ k: EventKind, _ t: Language) -> String { t["tl_\(k.rawValue)"] }

    func render(language t: Language) -> HTML {
        let lang = t.rawValue
        var h = HTML()
        PageLayout.open(&h, language: t, title: t["tl_title"])
        h.raw("<h1>"); h.text(t["tl_title"]); h.raw("</h1>\n<form method=\"get\" id=\"timeline-filter\"><input type=\"hidden\" name=\"lang\" value=\"\(lang)\">")
        h.raw("<label>"); h.text(t["agreements"]); h.raw(" <input name=\"agreement\" value=\""); h.text(agreement); h.raw("\"></label> ")
        h.raw("<label>"); h.text(t["tl_party"]); h.raw(" <input name=\"party\" value=\""); h.text(party); h.raw("\"></label> ")
        h.raw("<fieldset class=\"kinds\"><legend>"); h.text(t["kind"]); h.raw("</legend>")
        for k in EventKind.allCases {
            h.raw("<label><input type=\"checkbox\" name=\"kind\" value=\"\(k.rawValue)\"\(kinds.contains(k.rawValue) ? " checked" : "")> ")
            h.text(Self.kindName(k, t)); h.raw("</label> ")
        }
        h.raw("</fieldset> ")
        h.raw("<label>"); h.text(t["tl_from"]); h.raw(" <input type=\"date\" name=\"from\" value=\""); h.text(from); h.raw("\"></label> ")
        h.raw("<label>"); h.text(t["tl_until"]); h.raw(" <input type=\"date\" name=\"until\" value=\""); h.text(until); h.raw("\"></label> ")
        h.raw("<button>OK</button></form>\n<p><a href=\"/conflicts?lang=\(lang)\">"); h.text(t["cf_title"]); h.raw("</a></p>\n<ol id=\"events\">\n")
        for e in items {
            h.raw("<li class=\"event\" id=\"event-"); h.text(e.id); h.raw("\"><time>"); h.text(e.date); h.raw("</time> <span class=\"pill\">"); h.text(e.kind)
            h.raw("</span> <strong>"); h.text(e.title); h.raw("</strong><br>"); h.text(e.actors)
            if !e.participants.isEmpty { h.raw(" → "); h.text(e.participants) }
            if let c = e.client { h.raw(" ("); h.text(t["tl_for"]); h.raw(" "); h.text(c); h.raw(")") }
            if let s = e.summary { h.raw("<br>"); h.text(s) }
            if !e.agreements.isEmpty {
                h.raw("<br>"); h.text(t["agreements"]); h.raw(": ")
                for (i, a) in e.agreements.enumerated() {
                    if i > 0 { h.raw(", ") }
                    h.raw("<a href=\"/agreements/"); h.text(a.id); h.raw("?lang=\(lang)\">"); h.text(a.title); h.raw("</a>")
                }
            }
            if !e.changes.isEmpty { h.raw("<br>"); h.text(t["tl_changes"]); h.raw(": "); h.text(e.changes.joined(separator: ", ")) }
            if e.synthetic { h.raw("<div class=\"synthetic\">"); h.text(t["synthetic"]); h.raw("</div>") }
            h.raw("<ul class=\"sources\">")
            h.sourceItems(e.sources)
            h.raw("</ul></li>\n")
        }
        h.raw("</ol>\n")
        if items.isEmpty { h.raw("<p>"); h.text(t["tl_none"]); h.raw("</p>\n") }
        PageLayout.close(&h, language: t)
        return h
    }
}
