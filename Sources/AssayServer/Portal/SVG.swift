import AssayDomain
import Foundation

/// Server-rendered SVG: the map of provinces, sites, titles and grants, and the balance chart.
/// Every text that comes from data is escaped.
enum SVG {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// An equirectangular map of the country: provinces as paths, titles and grants as their cells'
    /// bounding boxes, sites as circles (hover or focus shows the name).
    static func map(geography: Geography, sites: [Site], concessions: [Concession], grantBoxes: [(String, BoundingBox)]) -> String {
        var s = 90.0, w = 180.0, n = -90.0, e = -180.0
        for p in geography.provinces { for poly in p.polygons { for ring in poly.rings { for pt in ring {
            s = min(s, pt.lat); n = max(n, pt.lat); w = min(w, pt.lon); e = max(e, pt.lon)
        } } } }
        guard s < n else { return "<svg></svg>" }
        let width = 900.0, k = width / (e - w), height = (n - s) * k
        func x(_ lon: Double) -> String { String(format: "%.1f", (lon - w) * k) }
        func y(_ lat: Double) -> String { String(format: "%.1f", (n - lat) * k) }
        var out = "<svg id=\"map\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-label=\"map\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<g id=\"provinces\">"
        for p in geography.provinces {
            var d = ""
            for poly in p.polygons {
                for ring in poly.rings {
                    var last: (Double, Double)?
                    for (i, pt) in ring.enumerated() {
                        let px = (pt.lon - w) * k, py = (n - pt.lat) * k
                        if let l = last, abs(l.0 - px) < 0.8, abs(l.1 - py) < 0.8, i != ring.count - 1 { continue }
                        d += (i == 0 ? "M" : "L") + String(format: "%.1f %.1f", px, py)
                        last = (px, py)
                    }
                    d += "Z"
                }
            }
            out += "<path class=\"province\" d=\"\(d)\" tabindex=\"0\"><title>\(escape(p.name)) (\(p.code))</title></path>"
        }
        out += "</g><g id=\"control-zones\"></g><g id=\"grants\">"
        for (id, b) in grantBoxes where b.north - b.south < 30 {
            out += "<rect class=\"grant\" x=\"\(x(b.west))\" y=\"\(y(b.north))\" width=\"\(String(format: "%.1f", (b.east - b.west) * k))\" height=\"\(String(format: "%.1f", (b.north - b.south) * k))\"><title>\(escape(id))</title></rect>"
        }
        out += "</g><g id=\"concessions\">"
        for c in concessions {
            guard let b = c.cells.boundingBox else { continue }
            out += "<rect class=\"title\" x=\"\(x(b.west))\" y=\"\(y(b.north))\" width=\"\(String(format: "%.1f", max(1, (b.east - b.west) * k)))\" height=\"\(String(format: "%.1f", max(1, (b.north - b.south) * k)))\"><title>\(escape(c.code)) — \(escape(c.holder))</title></rect>"
        }
        out += "</g><g id=\"sites\">"
        for site in sites {
            let minerals = site.minerals.sorted.map(\.rawValue).joined(separator: " ")
            out += "<circle class=\"site \(escape(minerals))\" data-id=\"\(escape(site.id))\" cx=\"\(x(site.longitudeDegrees))\" cy=\"\(y(site.latitudeDegrees))\" r=\"3\" tabindex=\"0\"><title>\(escape(site.name)) · \(escape(minerals))</title></circle>"
        }
        return out + "</g></svg>"
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
