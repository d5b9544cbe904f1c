import Foundation

/// `/map`: the country, a province or a box on one day — provinces that zoom when clicked, sites
/// coloured by mineral and sized by capacity, titles, grants, IPIS armed presence and the zones held by
/// non-state armed groups above them — with the layers a reader chose, a legend, the month slider and
/// the list of held zones with their sources. Complete without JavaScript; `/assets/map.js` adds pan and zoom.
struct MapPageView {
    /// One zone held by a non-state armed group on the day shown.
    struct Held { var id: String; var controller: String; var from: String; var until: String; var source: String; var confidence: String }

    var date = ""
    var monthIndex = 0
    var maxMonth = 0
    /// The map itself, drawn by ``SVG/zoomableMap(geography:frame:content:layers:language:query:id:width:)`` from escaped values.
    var svg = ""
    var held: [Held] = []
    var frame: MapFrame?
    /// The frame's name: the province's, or the box's corners.
    var place = ""
    var provinces: [(code: String, name: String)] = []
    var layers: Set<MapLayer> = MapLayer.standard

    /// The page's query (what a link or form keeps), with `&amp;` between parameters; `except` left out.
    func state(_ t: Language, except: Set<String> = []) -> [(String, String)] {
        var out: [(String, String)] = [("lang", t.rawValue)]
        if !except.contains("date") { out.append(("date", date)) }
        if !except.contains("frame") {
            if let p = frame?.province { out.append(("province", p)) } else if let f = frame { out.append(("bbox", f.bboxText)) }
        }
        if !except.contains("layers"), layers != MapLayer.standard {
            out.append(("layers", "1"))
            for l in MapLayer.allCases where layers.contains(l) { out.append(("layer", l.rawValue)) }
        }
        return out
    }

    private func hidden(_ h: inout HTML, _ fields: [(String, String)]) {
        for (k, v) in fields { h.raw("<input type=\"hidden\" name=\"\(k)\" value=\""); h.text(v); h.raw("\">") }
    }

    func render(language t: Language, title: String) -> HTML {
        var h = HTML(capacity: 32_768 + svg.utf8.count)
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(t["map"]); h.raw(" — "); h.text(place.isEmpty ? t["map_country"] : place); h.raw(" — "); h.text(date); h.raw("</h1>\n")
        // Province: a select that zooms, kept as a form so it works without JavaScript.
        h.raw("<form id=\"map-place\" class=\"map-form\" action=\"/map\" method=\"get\">")
        hidden(&h, state(t, except: ["frame"]))
        h.raw("<label>"); h.text(t["map_province"]); h.raw(" <select name=\"province\"><option value=\"\">"); h.text(t["map_country"]); h.raw("</option>")
        for p in provinces {
            h.raw("<option value=\""); h.text(p.code); h.raw(p.code == frame?.province ? "\" selected>" : "\">"); h.text(p.name); h.raw("</option>")
        }
        h.raw("</select></label> <button type=\"submit\">"); h.text(t["show"]); h.raw("</button></form>\n")
        h.raw("<form id=\"map-date\" class=\"map-form\" action=\"/map\" method=\"get\">")
        hidden(&h, state(t, except: ["date"]))
        h.raw("<label>"); h.text(t["month"]); h.raw(" <input type=\"range\" name=\"month\" min=\"0\" max=\"\(maxMonth)\" value=\"\(monthIndex)\"></label> <button type=\"submit\">")
        h.text(t["show"]); h.raw("</button></form>\n<form id=\"map-day\" class=\"map-form\" action=\"/map\" method=\"get\">")
        hidden(&h, state(t, except: ["date"]))
        h.raw("<label>"); h.text(t["date"]); h.raw(" <input type=\"date\" name=\"date\" value=\""); h.text(date); h.raw("\"></label> <button type=\"submit\">")
        h.text(t["show"]); h.raw("</button></form>\n")
        h.raw("<form id=\"map-layers\" class=\"map-form\" action=\"/map\" method=\"get\">")
        hidden(&h, state(t, except: ["layers"]) + [("layers", "1")])
        h.raw("<fieldset><legend>"); h.text(t["map_layers"]); h.raw("</legend>")
        for l in MapLayer.allCases {
            h.raw("<label><input type=\"checkbox\" name=\"layer\" value=\"\(l.rawValue)\"\(layers.contains(l) ? " checked" : "")> "); h.text(t["layer_\(l.rawValue)"]); h.raw("</label> ")
        }
        // Only the checkboxes in the fieldset: a group of same-named boxes holds nothing else (axe's checkboxgroup).
        h.raw("</fieldset> <button type=\"submit\">"); h.text(t["show"]); h.raw("</button></form>\n")
        h.raw("<p id=\"held-summary\">\(held.count) "); h.text(t["held_zones"]); h.raw(" <span id=\"in-view\" aria-live=\"polite\" data-label=\""); h.text(t["map_in_view"]); h.raw("\"></span></p>\n")
        h.raw("<p class=\"map-how\">"); h.text(t["map_how"])
        if frame != nil {
            h.raw(" <a id=\"whole-country\" href=\"/map?"); h.text(query(state(t, except: ["frame"]))); h.raw("\">"); h.text(t["map_country"]); h.raw("</a>")
        }
        h.raw("</p>\n<div class=\"map-wrap\" data-zoom-in=\""); h.text(t["map_zoom_in"]); h.raw("\" data-zoom-out=\""); h.text(t["map_zoom_out"])
        h.raw("\" data-reset=\""); h.text(t["map_reset"]); h.raw("\">")
        h.raw(svg)
        h.raw(SVG.mapLegend(t))
        h.raw("</div>\n<ul id=\"held-zones\">")
        for z in held {
            h.raw("<li><strong>"); h.text(z.controller); h.raw("</strong> "); h.text(z.from); h.raw(" → "); h.text(z.until); h.raw(" (")
            h.text(z.confidence); h.raw("): <a href=\""); h.text(z.source); h.raw("\" rel=\"nofollow\">"); h.text(z.source); h.raw("</a> <code>")
            h.text(z.id); h.raw("</code></li>")
        }
        h.raw("</ul>\n<script src=\"/assets/map.js\" defer></script>\n")
        PageLayout.close(&h, language: t)
        return h
    }

    /// `k=v&k=v` (escaped when written with ``HTML/text(_:)``).
    func query(_ fields: [(String, String)]) -> String {
        fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(.init(charactersIn: "-._,"))) ?? $0.1)" }.joined(separator: "&")
    }
}

/// `/supply`: a chart a mineral of capacity on held ground and halted, by month, and what the registered
/// capacities cover of national production, as the `supply` template wrote it.
struct SupplyPageView {
    /// One mineral's row of the coverage table, already worded in the page's language.
    struct Coverage { var mineral: String; var registered: String; var coverage: String; var notRegistered: String }

    /// Each mineral's supply-at-risk figure (``LineChart/figure(_:)``, drawn from escaped values).
    var charts: [String] = []
    /// Each mineral's owner-country figure.
    var ownerCharts: [String] = []
    var coverage: [Coverage] = []

    func render(language t: Language, title: String) -> HTML {
        var h = HTML(capacity: 16_384 + (charts + ownerCharts).reduce(0) { $0 + $1.utf8.count })
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(t["supply"]); h.raw("</h1>\n<p>"); h.text(t["held_share"]); h.raw(". "); h.text(t["supply_how"]); h.raw("</p>\n")
        for c in charts { h.raw(c) }
        h.raw("\n<h2 id=\"owner-countries\">"); h.text(t["chart_owners_heading"]); h.raw("</h2><p>"); h.text(t["chart_owners_how"]); h.raw("</p>\n")
        for c in ownerCharts { h.raw(c) }
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
        ["charts": charts.map { ["svg": $0] }, "ownerCharts": ownerCharts.map { ["svg": $0] },
         "coverage": coverage.map { ["mineral": $0.mineral, "registered": $0.registered, "coverage": $0.coverage, "notRegistered": $0.notRegistered] }]
    }
}
