/// `/map`: the country's provinces, sites, titles, grants and armed-group-held zones on one day, with
/// the month slider and the list of held zones and their sources, as the `map` template wrote it.
struct MapPageView {
    /// One zone held by a non-state armed group on the day shown.
    struct Held { var id: String; var controller: String; var from: String; var until: String; var source: String; var confidence: String }

    var date = ""
    var monthIndex = 0
    var maxMonth = 0
    /// The map itself, drawn by ``SVG/map(geography:sites:concessions:grantBoxes:held:)`` from escaped values.
    var svg = ""
    var held: [Held] = []

    func render(language t: Language, title: String) -> HTML {
        var h = HTML(capacity: 16_384 + svg.utf8.count)
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(t["map"]); h.raw(" — "); h.text(date)
        h.raw("</h1>\n<form id=\"map-date\" action=\"/map\" method=\"get\"><input type=\"hidden\" name=\"lang\" value=\"\(t.rawValue)\">\n<label>")
        h.text(t["month"]); h.raw(" <input type=\"range\" name=\"month\" min=\"0\" max=\"\(maxMonth)\" value=\"\(monthIndex)\"></label>\n<button type=\"submit\">")
        h.text(t["show"]); h.raw("</button> · <label>"); h.text(t["date"]); h.raw(" <input type=\"date\" name=\"date\" value=\""); h.text(date)
        h.raw("\"></label></form>\n<p id=\"held-summary\">\(held.count) "); h.text(t["held_zones"]); h.raw("</p>\n")
        h.raw(svg)
        h.raw("\n<ul id=\"held-zones\">")
        for z in held {
            h.raw("<li><strong>"); h.text(z.controller); h.raw("</strong> "); h.text(z.from); h.raw(" → "); h.text(z.until); h.raw(" (")
            h.text(z.confidence); h.raw("): <a href=\""); h.text(z.source); h.raw("\" rel=\"nofollow\">"); h.text(z.source); h.raw("</a> <code>")
            h.text(z.id); h.raw("</code></li>")
        }
        h.raw("</ul>\n")
        PageLayout.close(&h, language: t)
        return h
    }

    var templateData: [String: Any] {
        ["svg": svg, "date": date, "monthIndex": monthIndex, "maxMonth": maxMonth, "heldCount": held.count,
         "held": held.map { ["id": $0.id, "controller": $0.controller, "from": $0.from, "until": $0.until, "source": $0.source, "confidence": $0.confidence] }]
    }
}

/// `/supply`: a chart a mineral of capacity on held ground and halted, by month, and what the registered
/// capacities cover of national production, as the `supply` template wrote it.
struct SupplyPageView {
    /// One mineral's row of the coverage table, already worded in the page's language.
    struct Coverage { var mineral: String; var registered: String; var coverage: String; var notRegistered: String }

    /// Each chart's SVG, drawn by ``SVG/supplyChart(_:title:)`` from escaped values.
    var charts: [String] = []
    var coverage: [Coverage] = []

    func render(language t: Language, title: String) -> HTML {
        var h = HTML(capacity: 16_384 + charts.reduce(0) { $0 + $1.utf8.count })
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(t["supply"]); h.raw("</h1>\n<p>"); h.text(t["held_share"]); h.raw(". "); h.text(t["supply_how"]); h.raw("</p>\n")
        for c in charts { h.raw("<figure>"); h.raw(c); h.raw("</figure>") }
        h.raw("\n<h2>"); h.text(t["cv_title"]); h.raw("</h2><p>"); h.text(t["cv_how"]); h.raw("</p>\n<table id=\"coverage\"><tr><th>")
        h.text(t["cv_mineral"]); h.raw("</th><th>"); h.text(t["cv_registered"]); h.raw("</th><th>"); h.text(t["cv_coverage"]); h.raw("</th><th>")
        h.text(t["cv_not_registered"]); h.raw("</th></tr>\n")
        for c in coverage {
            h.raw("<tr><td>"); h.text(c.mineral); h.raw("</td><td>"); h.text(c.registered); h.raw("</td><td>"); h.text(c.coverage)
            h.raw("</td><td>"); h.text(c.notRegistered); h.raw("</td></tr>")
        }
        h.raw("</table>\n")
        PageLayout.close(&h, language: t)
        return h
    }

    var templateData: [String: Any] {
        ["charts": charts.map { ["svg": $0] },
         "coverage": coverage.map { ["mineral": $0.mineral, "registered": $0.registered, "coverage": $0.coverage, "notRegistered": $0.notRegistered] }]
    }
}
