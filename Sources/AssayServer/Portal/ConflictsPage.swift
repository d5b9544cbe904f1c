import AssayDomain
import AssayStore

/// Sources that disagree: for each fact, every source's claim side by side, and which one the registry
/// uses and why (or that it has not chosen). Nothing is merged.
struct ConflictsPage {
    var groups: [ClaimGroup] = []
    /// Display names of the subjects, where they are parties or named entities.
    var names: [String: String] = [:]

    func render(language t: Language) -> HTML {
        var h = HTML()
        PageLayout.open(&h, language: t, title: t["cf_title"])
        h.raw("<h1>"); h.text(t["cf_title"]); h.raw("</h1>\n<p>"); h.text(t["cf_intro"]); h.raw("</p>\n")
        if groups.isEmpty { h.raw("<p>"); h.text(t["cf_none"]); h.raw("</p>\n") }
        for g in groups {
            h.raw("<section class=\"conflict\" id=\"conflict-"); h.text(g.subject); h.raw("-"); h.text(g.field); h.raw("\"><h2>"); h.text(names[g.subject] ?? g.subject)
            h.raw(" — "); h.text(g.field); h.raw("</h2>\n<table class=\"claims\"><tr><th>"); h.text(t["cf_value"]); h.raw("</th><th>"); h.text(t["cf_source"])
            h.raw("</th><th>"); h.text(t["cf_confidence"]); h.raw("</th><th></th></tr>\n")
            for c in g.claims {
                h.raw("<tr class=\""); h.raw(c.used ? "used" : "other"); h.raw("\"><td>"); h.text(c.value); h.raw("</td><td><a href=\""); h.text(c.source)
                h.raw("\" rel=\"nofollow\">"); h.text(c.source); h.raw("</a></td><td>"); h.text(t["cf_\(c.confidence.rawValue)"]); h.raw("</td><td>")
                if c.used { h.raw("<strong>"); h.text(t["cf_used"]); h.raw("</strong>") }
                h.raw("</td></tr>\n")
            }
            h.raw("</table>\n<p class=\"verdict\">")
            if let u = g.used { h.text(t["cf_uses"]); h.raw(" <strong>"); h.text(u.value); h.raw("</strong>: "); h.text(u.reason ?? "") } else { h.text(t["cf_unchosen"]) }
            h.raw("</p></section>\n")
        }
        PageLayout.close(&h, language: t)
        return h
    }
}
