/// What a party, site or mining-title page shows, as typed values; ``render(language:title:)`` writes
/// it as the `entity` template did, without Mustache's look-ups by reflection (half of a site page's time).
struct EntityView {
    struct Fact { var key: String; var value: String }
    struct Country { var country: String; var share: String }
    struct Link { var href: String; var label: String }
    struct Flag { var rule: String; var response: String; var explanation: String }
    struct Control { var text: String; var id: String }
    struct Visit { var date: String; var workers: String; var armed: String; var qualification: String }

    var name = ""
    var kindLabel = ""
    var synthetic = false
    var facts: [Fact] = []
    /// The ownership chain as SVG (made here, from escaped values), when the owners are known.
    var chain: String?
    var countries: [Country] = []
    var collisions: [String] = []
    var links: [Link] = []
    var riskFlags: [Flag] = []
    var control: [Control] = []
    var visits: [Visit] = []
    var sources: [String] = []
    /// Where it is (``MiniMap``), for sites and titles.
    var miniMap: String?

    func render(language t: Language, title: String) -> HTML {
        var h = HTML()
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(name); h.raw("</h1>\n")
        if let miniMap { h.raw(miniMap) }
        h.raw("<p><span class=\"pill\">"); h.text(kindLabel); h.raw("</span> ")
        if synthetic { h.raw("<span class=\"synthetic\">"); h.text(t["synthetic"]); h.raw("</span>") }
        h.raw("</p>\n<table id=\"facts\">")
        for f in facts { h.raw("<tr><th>"); h.text(f.key); h.raw("</th><td>"); h.text(f.value); h.raw("</td></tr>") }
        h.raw("</table>\n")
        if let chain {
            h.raw("<h2>"); h.text(t["owners"]); h.raw("</h2>"); h.raw(chain)
            h.raw("\n<ul id=\"country-shares\">")
            for c in countries { h.raw("<li>"); h.text(c.country); h.raw(": "); h.text(c.share); h.raw("</li>") }
            h.raw("</ul>")
        }
        h.raw("\n")
        if !collisions.isEmpty {
            h.raw("<h2>"); h.text(t["contested"]); h.raw("</h2><ul id=\"collisions\">")
            for c in collisions { h.raw("<li>"); h.text(c); h.raw("</li>") }
            h.raw("</ul>")
        }
        h.raw("\n")
        if !links.isEmpty {
            h.raw("<ul>")
            for l in links { h.raw("<li><a href=\""); h.text(l.href); h.raw("\">"); h.text(l.label); h.raw("</a></li>") }
            h.raw("</ul>")
        }
        h.raw("\n")
        h.riskFlags(riskFlags, t)
        h.raw("\n")
        if !control.isEmpty {
            h.raw("<h2>"); h.text(t["control"]); h.raw("</h2><ul id=\"control\">")
            for c in control { h.raw("<li>"); h.text(c.text); h.raw(" <code>"); h.text(c.id); h.raw("</code></li>") }
            h.raw("</ul>")
        }
        h.raw("\n")
        if !visits.isEmpty {
            h.raw("<h2>"); h.text(t["visits"]); h.raw("</h2><table id=\"visits\"><tr><th>"); h.text(t["date"]); h.raw("</th><th>")
            h.text(t["workers"]); h.raw("</th><th>"); h.text(t["armed"]); h.raw("</th><th>"); h.text(t["qualification"]); h.raw("</th></tr>\n")
            for v in visits {
                h.raw("<tr><td>"); h.text(v.date); h.raw("</td><td>"); h.text(v.workers); h.raw("</td><td>"); h.text(v.armed)
                h.raw("</td><td>"); h.text(v.qualification); h.raw("</td></tr>")
            }
            h.raw("</table>")
        }
        h.raw("\n")
        h.sources(sources, t)
        PageLayout.close(&h, language: t)
        return h
    }

    /// The same page as the data the `entity` template took (kept to prove the two render alike).
    var templateData: [String: Any] {
        var d: [String: Any] = [
            "name": name, "kindLabel": kindLabel, "synthetic": synthetic,
            "facts": facts.map { ["key": $0.key, "value": $0.value] }, "sources": SourceLink.list(sources).map(\.templateData), "miniMap": miniMap ?? "",
        ]
        if let chain {
            d["chain"] = chain
            d["countries"] = countries.map { ["country": $0.country, "share": $0.share] }
        }
        if !collisions.isEmpty { d["collisions"] = collisions }
        if !links.isEmpty { d["links"] = links.map { ["href": $0.href, "label": $0.label] } }
        d["riskFlags"] = riskFlags.map { ["rule": $0.rule, "response": $0.response, "explanation": $0.explanation] }
        d["hasRiskFlags"] = !riskFlags.isEmpty
        d["control"] = control.map { ["text": $0.text, "id": $0.id] }
        d["hasControl"] = !control.isEmpty
        d["visits"] = visits.map { ["date": $0.date, "workers": $0.workers, "armed": $0.armed, "qualification": $0.qualification] }
        d["hasVisits"] = !visits.isEmpty
        return d
    }
}
