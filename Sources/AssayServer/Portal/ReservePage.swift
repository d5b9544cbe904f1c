import AssayDomain
import AssayStore

/// A reserve's page: its assets (for the public, of a confidential reserve, only those offered so far),
/// each with its offers' windows on a timeline and their state on the day shown, and the offers listed.
struct ReservePage {
    struct Segment { var left: Double; var width: Double; var state: String; var label: String }
    struct Row { var name: String; var minerals: String; var status: String; var segments: [Segment] }
    struct Offer { var id: String; var asset: String; var beneficiary: String; var opens: String; var closes: String; var state: String; var answers: String }

    var title = ""
    var agreement = ""
    var agreementTitle = ""
    var designated: String?
    var windowMonths = 3
    var renewals = 1
    var confidential = false
    var assetCount = 0
    var sealedHash: String?
    var day = ""
    /// Where "today" (the day shown) falls on the timeline, in percent.
    var todayAt: Double = 0
    var from = ""
    var until = ""
    var rows: [Row] = []
    var offers: [Offer] = []
    var sources: [String] = []
    var synthetic = false

    init(view v: ReserveView, agreementTitle: String, names: [String: String], day: Day, language t: Language) {
        title = v.reserve.title
        agreement = v.reserve.agreement
        self.agreementTitle = agreementTitle
        designated = v.reserve.designated?.iso
        windowMonths = v.reserve.windowMonths
        renewals = v.reserve.renewals
        confidential = v.reserve.confidential
        assetCount = v.assetCount
        sealedHash = v.sealedHash
        self.day = day.iso
        sources = v.reserve.provenance.sources
        synthetic = v.reserve.provenance.synthetic
        // The timeline runs from the first opening (or the designation) to the last closing (or the day shown), a month either side.
        let all = v.windows.values.flatMap { $0 }
        var start = ([v.reserve.designated, day] + all.map { Optional($0.offer.opens) }).compactMap { $0 }.min() ?? day
        var end = ([day] + all.map { $0.closes(asOf: day) }).max() ?? day
        start = start.adding(months: -1)
        end = end.adding(months: 1)
        from = start.iso
        until = end.iso
        let span = Double(max(1, end.ordinal - start.ordinal))
        func at(_ d: Day) -> Double { max(0, min(100, Double(d.ordinal - start.ordinal) / span * 100)) }
        todayAt = at(day)
        func describe(_ s: WindowState) -> String {
            switch s {
            case .open(let last): "\(t["rv_open"]) \(last.iso)"
            case .accepted(let d): "\(t["rv_accepted"]) \(d.iso)"
            case .refused(let d): "\(t["rv_refused"]) \(d.iso)"
            case .lapsed(let d): "\(t["rv_lapsed"]) \(d.iso)"
            }
        }
        for a in v.reserve.assets {
            let windows = v.windows[a.id] ?? []
            var segments: [Segment] = []
            for w in windows {
                let state = w.state(on: day)
                let stop: Day = switch state {
                case .open: min(day, w.closes(asOf: day))
                case .accepted(let d), .refused(let d): d
                case .lapsed(let d): d
                }
                segments.append(Segment(left: at(w.offer.opens), width: max(0.5, at(stop) - at(w.offer.opens)), state: state.name,
                                        label: "\(w.offer.id): \(names[w.offer.beneficiary] ?? w.offer.beneficiary), \(w.offer.opens.iso) → \(describe(state))"))
                offers.append(Offer(id: w.offer.id, asset: a.name, beneficiary: names[w.offer.beneficiary] ?? w.offer.beneficiary,
                                    opens: w.offer.opens.iso, closes: w.closes(asOf: day).iso, state: describe(state),
                                    answers: w.resolutions.filter { $0.date <= day }.map { "\(t["rv_answer_\($0.status.rawValue)"]) \($0.date.iso)" }.joined(separator: ", ")))
            }
            let status = windows.last.map { describe($0.state(on: day)) } ?? t["rv_free"]
            let free = windows.allSatisfy { w in if case .refused = w.state(on: day) { true } else if case .lapsed = w.state(on: day) { true } else { false } }
            rows.append(Row(name: a.name, minerals: a.minerals.sorted.map(\.rawValue).joined(separator: ", "),
                            status: free && !windows.isEmpty ? "\(status) · \(t["rv_free"])" : status, segments: segments))
        }
    }

    func render(language t: Language) -> HTML {
        let lang = t.rawValue
        var h = HTML()
        PageLayout.open(&h, language: t, title: title)
        h.raw("<h1>"); h.text(title); h.raw("</h1>\n<p>"); h.text(t["rv_under"]); h.raw(" <a href=\"/agreements/"); h.text(agreement)
        h.raw("?lang=\(lang)\">"); h.text(agreementTitle); h.raw("</a>")
        if let designated { h.raw(" · "); h.text(t["rv_designated"]); h.raw(" "); h.text(designated) }
        h.raw("</p>\n<p id=\"window-rule\">"); h.text(t["rv_rule"]); h.raw(" "); h.text("\(windowMonths)"); h.raw(" · "); h.text(t["rv_renewals"])
        h.raw(" "); h.text("\(renewals)"); h.raw("</p>\n")
        if synthetic { h.raw("<div class=\"synthetic\">"); h.text(t["synthetic"]); h.raw("</div>\n") }
        if confidential {
            h.raw("<p id=\"sealed\"><strong>"); h.text(t["rv_confidential"]); h.raw("</strong> "); h.text(t["rv_count"]); h.raw(" ")
            h.text("\(assetCount)")
            if let sealedHash { h.raw(" · "); h.text(t["rv_hash"]); h.raw(" <code>"); h.text(sealedHash); h.raw("</code>") }
            h.raw("</p>\n")
        }
        h.raw("<h2>"); h.text(t["rv_assets"]); h.raw(" — "); h.text(t["rv_as_of"]); h.raw(" "); h.text(day); h.raw("</h2>\n")
        h.raw("<form method=\"get\"><input type=\"hidden\" name=\"lang\" value=\"\(lang)\"><label>"); h.text(t["rv_as_of"])
        h.raw(" <input type=\"date\" name=\"as-of\" value=\""); h.text(day); h.raw("\"></label> <button>OK</button></form>\n")
        h.raw("<table id=\"timeline\"><tr><th>"); h.text(t["rv_asset"]); h.raw("</th><th>"); h.text(from); h.raw(" → "); h.text(until)
        h.raw("</th></tr>\n")
        for r in rows {
            h.raw("<tr><td>"); h.text(r.name); h.raw("<br><small>"); h.text(r.minerals); h.raw("</small><br><span class=\"window-state\">")
            h.text(r.status); h.raw("</span></td><td><div class=\"timeline\" style=\"position:relative;height:1.4em;background:#eee\">")
            for s in r.segments {
                h.raw("<span class=\"window \(s.state)\" title=\""); h.text(s.label)
                h.raw("\" style=\"position:absolute;top:0;bottom:0;left:\(fmt(s.left))%;width:\(fmt(s.width))%;background:\(color(s.state))\"></span>")
            }
            h.raw("<span class=\"today\" style=\"position:absolute;top:0;bottom:0;left:\(fmt(todayAt))%;width:2px;background:#000\"></span></div></td></tr>\n")
        }
        h.raw("</table>\n<h2>"); h.text(t["rv_offers"]); h.raw("</h2>\n<table id=\"offers\"><tr><th>"); h.text(t["id"]); h.raw("</th><th>"); h.text(t["rv_asset"])
        h.raw("</th><th>"); h.text(t["rv_beneficiary"]); h.raw("</th><th>"); h.text(t["rv_opens"]); h.raw("</th><th>"); h.text(t["rv_state"])
        h.raw("</th></tr>\n")
        for o in offers {
            h.raw("<tr><td>"); h.text(o.id); h.raw("</td><td>"); h.text(o.asset); h.raw("</td><td>"); h.text(o.beneficiary); h.raw("</td><td>")
            h.text(o.opens); h.raw("</td><td>"); h.text(o.state)
            if !o.answers.isEmpty { h.raw("<br><small>"); h.text(o.answers); h.raw("</small>") }
            h.raw("</td></tr>\n")
        }
        h.raw("</table>\n")
        h.sources(sources, t)
        PageLayout.close(&h, language: t)
        return h
    }

    func fmt(_ x: Double) -> String { String(format: "%.2f", x) }
    func color(_ state: String) -> String {
        switch state {
        case "open": "#2b6cb0"
        case "accepted": "#2f855a"
        case "refused": "#718096"
        default: "#dd6b20"
        }
    }
}
