import AssayDomain
import Foundation
import Synchronization

/// Server-rendered SVG: the map of provinces, sites, titles and grants, and the balance chart.
/// Every text that comes from data is escaped.
enum SVG {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// Supply at risk of one mineral by month: the share of capacity on held ground (line) and halted (dashed).
    static func supplyChart(_ points: [SupplyPoint], title: String) -> String {
        guard points.count > 1 else { return "" }
        let w = 640.0, h = 180.0, left = 40.0, bottom = 24.0
        let step = (w - left - 10) / Double(points.count - 1)
        func x(_ i: Int) -> String { String(format: "%.1f", left + Double(i) * step) }
        func y(_ share: Double) -> String { String(format: "%.1f", (h - bottom) - share * (h - bottom - 10)) }
        var out = "<svg class=\"supply-chart\" data-mineral=\"\(escape(points[0].mineral.rawValue))\" viewBox=\"0 0 \(Int(w)) \(Int(h))\" width=\"\(Int(w))\" height=\"\(Int(h))\" role=\"img\" aria-label=\"\(escape(title))\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<text x=\"\(Int(left))\" y=\"12\" font-size=\"12\">\(escape(title))</text>"
        for (v, label) in [(0.0, "0%"), (0.5, "50%"), (1.0, "100%")] {
            out += "<line x1=\"\(Int(left))\" x2=\"\(Int(w - 10))\" y1=\"\(y(v))\" y2=\"\(y(v))\" stroke=\"#ddd\"/><text x=\"2\" y=\"\(y(v))\" font-size=\"10\">\(label)</text>"
        }
        func path(_ f: (SupplyPoint) -> Double) -> String {
            points.enumerated().map { (i, p) in (i == 0 ? "M" : "L") + "\(x(i)) \(y(f(p)))" }.joined()
        }
        out += "<path class=\"held-share\" d=\"\(path { $0.heldShare })\" fill=\"none\" stroke=\"#c33\" stroke-width=\"2\"/>"
        out += "<path class=\"halted-share\" d=\"\(path { $0.totalTonnes > 0 ? $0.haltedTonnes / $0.totalTonnes : 0 })\" fill=\"none\" stroke=\"#36c\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>"
        for (i, p) in points.enumerated() where i % max(1, points.count / 8) == 0 {
            out += "<text x=\"\(x(i))\" y=\"\(Int(h - 6))\" font-size=\"10\" text-anchor=\"middle\">\(p.month.monthKey)</text>"
        }
        for (i, p) in points.enumerated() {
            out += "<circle cx=\"\(x(i))\" cy=\"\(y(p.heldShare))\" r=\"2\" fill=\"#c33\"><title>\(p.month.monthKey): \(String(format: "%.0f", p.heldTonnes)) of \(String(format: "%.0f", p.totalTonnes)) t/yr held, \(String(format: "%.0f", p.haltedTonnes)) halted</title></circle>"
        }
        return out + "</svg>"
    }

    /// Cumulative value due vs delivered by month, one currency.
    static func balanceChart(_ points: [BalancePoint]) -> String? {
        guard let currency = points.first?.currency, points.count > 1 else { return nil }
        let series = points.filter { $0.currency == currency }
        var months: [String: (Decimal, Decimal)] = [:]
        for p in series {
            let old = months[p.month] ?? (0, 0)
            months[p.month] = (old.0 + p.dueCumulative, old.1 + p.deliveredCumulative)
        }
        let keys = months.keys.sorted()
        let maxValue = max(1, keys.map { k in max(NSDecimalNumber(decimal: months[k]!.0).doubleValue, NSDecimalNumber(decimal: months[k]!.1).doubleValue) }.max() ?? 1)
        let w = 600.0, h = 200.0
        func line(_ pick: ((Decimal, Decimal)) -> Decimal) -> String {
            keys.enumerated().map { i, k in
                let v = NSDecimalNumber(decimal: pick(months[k] ?? (0, 0))).doubleValue
                return String(format: "%.1f,%.1f", Double(i) / Double(max(1, keys.count - 1)) * w, h - v / maxValue * h)
            }.joined(separator: " ")
        }
        return """
        <svg id="balance-chart" viewBox="0 -10 \(Int(w)) \(Int(h) + 30)" xmlns="http://www.w3.org/2000/svg" role="img" aria-label="balance">
        <polyline points="\(line { $0.0 })" fill="none" stroke="#c33" stroke-width="2"><title>due (\(escape(currency)))</title></polyline>
        <polyline points="\(line { $0.1 })" fill="none" stroke="#2a7" stroke-width="2"><title>delivered (\(escape(currency)))</title></polyline>
        <text x="0" y="\(Int(h) + 18)" font-size="11">\(escape(keys.first ?? ""))</text>
        <text x="\(Int(w) - 50)" y="\(Int(h) + 18)" font-size="11">\(escape(keys.last ?? ""))</text>
        </svg>
        """
    }
}
