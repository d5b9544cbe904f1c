import Foundation

/// A chart a reader can use: lines over months drawn as server-side SVG with both axes titled and
/// their ticks labelled, each month a column that shows every line's value on hover and on keyboard
/// focus, the same numbers as a table for screen readers (and anyone who prefers one), and a link
/// to the CSV behind it. Used by the supply page (supply at risk, owner countries) and agreement
/// pages (the balance). Written here rather than with a charting library: none is in the package
/// mirror, and the page must be complete without JavaScript.
struct LineChart {
    /// One line: its name in the legend and table, its colour and whether it is dashed.
    struct Series {
        var name: String
        var colour: String
        var dashed = false
        /// One value a label; `nil` where the line has no value that month.
        var values: [Double?]
    }

    /// The `id` of the figure (unique on its page).
    var id: String
    var title: String
    var xTitle: String
    var yTitle: String
    /// The x labels (months), one per value of each series.
    var labels: [String]
    var series: [Series]
    /// The top of the y axis (1 for shares).
    var yMax: Double
    /// How a value reads (`42%`, `1 200 000 USD`).
    var format: @Sendable (Double) -> String
    /// Where the numbers behind the chart are downloaded as CSV.
    var csvHref: String

    /// The whole figure: the SVG, its legend, the table view and the CSV link, worded in `t`.
    func figure(_ t: Language) -> String {
        var out = "<figure class=\"chart\" id=\"\(SVG.escape(id))\">"
        out += "<figcaption>\(SVG.escape(title))</figcaption>"
        out += svg(t)
        out += "<ul class=\"legend chart-legend\">"
        for s in series {
            out += "<li><svg width=\"22\" height=\"8\" aria-hidden=\"true\"><line x1=\"0\" x2=\"22\" y1=\"4\" y2=\"4\" stroke=\"\(s.colour)\" stroke-width=\"3\"\(s.dashed ? " stroke-dasharray=\"4 3\"" : "")/></svg>\(SVG.escape(s.name))</li>"
        }
        out += "</ul>"
        out += "<details class=\"chart-table\"><summary>\(SVG.escape(t["chart_table"]))</summary>\(table(t))</details>"
        out += "<p class=\"chart-csv\"><a href=\"\(SVG.escape(csvHref))\" download>\(SVG.escape(t["chart_csv"]))</a></p>"
        return out + "</figure>"
    }

    /// The numbers as a table: one row a month, one column a line.
    func table(_ t: Language) -> String {
        var out = "<table><caption>\(SVG.escape(title))</caption><tr><th scope=\"col\">\(SVG.escape(xTitle))</th>"
        for s in series { out += "<th scope=\"col\">\(SVG.escape(s.name))</th>" }
        out += "</tr>"
        for (i, label) in labels.enumerated() {
            out += "<tr><th scope=\"row\">\(SVG.escape(label))</th>"
            for s in series { out += "<td>\(s.values[i].map(format).map(SVG.escape) ?? "—")</td>" }
            out += "</tr>"
        }
        return out + "</table>"
    }

    static let width = 720.0, height = 260.0, left = 78.0, right = 16.0, top = 14.0, bottom = 48.0

    /// The SVG: gridlines with y ticks, x ticks, both axis titles, the lines, and one focusable column a
    /// month whose tooltip (`<title>`) and on-hover/on-focus label give every line's value.
    func svg(_ t: Language) -> String {
        let w = Self.width, h = Self.height, left = Self.left, right = Self.right, top = Self.top, bottom = Self.bottom
        let plotW = w - left - right, plotH = h - top - bottom
        let n = labels.count
        let step = n > 1 ? plotW / Double(n - 1) : 0
        func x(_ i: Int) -> Double { left + Double(i) * step }
        func y(_ v: Double) -> Double { top + plotH - min(max(v / max(yMax, .ulpOfOne), 0), 1.05) * plotH }
        func f(_ d: Double) -> String { String(format: "%.1f", d) }
        var out = "<svg class=\"line-chart\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" role=\"group\" aria-label=\"\(SVG.escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        // Y ticks: 0, ¼, ½, ¾ and the top.
        for k in 0...4 {
            let v = yMax * Double(k) / 4
            out += "<line class=\"grid\" x1=\"\(f(left))\" x2=\"\(f(w - right))\" y1=\"\(f(y(v)))\" y2=\"\(f(y(v)))\"/>"
            out += "<text class=\"tick\" x=\"\(f(left - 6))\" y=\"\(f(y(v) + 4))\" text-anchor=\"end\">\(SVG.escape(format(v)))</text>"
        }
        // X ticks: at most eight labels, always the last.
        let every = max(1, Int((Double(n) / 8).rounded(.up)))
        for i in 0..<n where i % every == 0 || i == n - 1 {
            out += "<text class=\"tick\" x=\"\(f(x(i)))\" y=\"\(f(top + plotH + 16))\" text-anchor=\"middle\">\(SVG.escape(labels[i]))</text>"
        }
        out += "<text class=\"axis-title\" x=\"\(f(left + plotW / 2))\" y=\"\(f(h - 6))\" text-anchor=\"middle\">\(SVG.escape(xTitle))</text>"
        out += "<text class=\"axis-title\" transform=\"translate(14 \(f(top + plotH / 2))) rotate(-90)\" text-anchor=\"middle\">\(SVG.escape(yTitle))</text>"
        for s in series {
            var d = "", pen = "M"
            for (i, v) in s.values.enumerated() {
                guard let v else { pen = "M"; continue }
                d += "\(pen)\(f(x(i))) \(f(y(v)))"; pen = "L"
            }
            out += "<path class=\"line\" d=\"\(d)\" fill=\"none\" stroke=\"\(s.colour)\" stroke-width=\"2.5\"\(s.dashed ? " stroke-dasharray=\"5 4\"" : "")/>"
        }
        // One column a month: hovering or focusing it shows the values there.
        let band = max(step, 8)
        for i in 0..<n {
            let text = "\(labels[i]): " + series.map { "\($0.name) \($0.values[i].map(format) ?? "—")" }.joined(separator: "; ")
            let tipX = min(max(x(i), left + 90), w - right - 90)
            out += "<g class=\"col\" tabindex=\"0\" role=\"img\" aria-label=\"\(SVG.escape(text))\"><title>\(SVG.escape(text))</title>"
            out += "<rect class=\"hit\" x=\"\(f(x(i) - band / 2))\" y=\"\(f(top))\" width=\"\(f(band))\" height=\"\(f(plotH))\"/>"
            out += "<line class=\"cursor\" x1=\"\(f(x(i)))\" x2=\"\(f(x(i)))\" y1=\"\(f(top))\" y2=\"\(f(top + plotH))\"/>"
            for s in series { if let v = s.values[i] { out += "<circle class=\"dot\" cx=\"\(f(x(i)))\" cy=\"\(f(y(v)))\" r=\"3.5\" fill=\"\(s.colour)\"/>" } }
            out += "<g class=\"tip\"><rect x=\"\(f(tipX - 88))\" y=\"\(f(top + 2))\" width=\"176\" height=\"\(14 + 14 * series.count)\" rx=\"3\"/>"
            out += "<text x=\"\(f(tipX - 82))\" y=\"\(f(top + 14))\">\(SVG.escape(labels[i]))</text>"
            for (k, s) in series.enumerated() {
                out += "<text x=\"\(f(tipX - 82))\" y=\"\(f(top + 28 + Double(k) * 14))\"><tspan fill=\"\(s.colour)\">■</tspan> \(SVG.escape(s.name)): \(SVG.escape(s.values[i].map(format) ?? "—"))</text>"
            }
            out += "</g></g>"
        }
        return out + "</svg>"
    }

    /// A share as a whole percentage.
    static let percent: @Sendable (Double) -> String = { String(format: "%.0f%%", $0 * 100) }
}
