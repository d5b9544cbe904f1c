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

    /// An equirectangular map of the country: provinces as paths, titles and grants as their cells'
    /// bounding boxes, sites as circles (hover or focus shows the name).
    /// The map's frame and its provinces, drawn once per geography (they never change while a server
    /// runs; drawing them took most of a `/map` request's time).
    struct BaseMap: Sendable {
        var north: Double, west: Double, scale: Double
        /// `<svg …><g id="provinces">…` up to the provinces group's end.
        var prefix: String
    }
    static let baseMaps = Mutex<[String: BaseMap?]>([:])

    static func baseMap(_ geography: Geography) -> BaseMap? {
        let key = geography.country + "|" + geography.provinces.map(\.code).joined(separator: ",")
        if let hit = baseMaps.withLock({ $0[key] }) { return hit }
        let drawn = drawBaseMap(geography)
        baseMaps.withLock { $0[key] = drawn }
        return drawn
    }

    static func drawBaseMap(_ geography: Geography) -> BaseMap? {
        var s = 90.0, w = 180.0, n = -90.0, e = -180.0
        for p in geography.provinces { for poly in p.polygons { for ring in poly.rings { for pt in ring {
            s = min(s, pt.lat); n = max(n, pt.lat); w = min(w, pt.lon); e = max(e, pt.lon)
        } } } }
        guard s < n else { return nil }
        let width = 900.0, k = width / (e - w), height = (n - s) * k
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
        return BaseMap(north: n, west: w, scale: k, prefix: out)
    }

    static func map(geography: Geography, sites: [Site], concessions: [Concession], grantBoxes: [(String, BoundingBox)],
                    held: [ControlEntry] = []) -> String {
        guard let base = baseMap(geography) else { return "<svg></svg>" }
        let (n, w, k) = (base.north, base.west, base.scale)
        func x(_ lon: Double) -> String { String(format: "%.1f", (lon - w) * k) }
        func y(_ lat: Double) -> String { String(format: "%.1f", (n - lat) * k) }
        var out = base.prefix
        out += "</g><g id=\"control-zones\">"
        // Ground held by non-state armed groups on the chosen day: each row run of cells as a thin band.
        let cellDeg = 1.0 / Double(CellGrid.cellsPerDegree)
        for e in held {
            out += "<g class=\"held \(escape(e.kind.rawValue))\" data-id=\"\(escape(e.id))\"><title>\(escape(e.controller)) — \(escape(e.id)) (\(escape(e.period.text)), \(e.confidence.rawValue))</title>"
            for r in e.cells.ranges {
                let (row, c0) = CellGrid.rowColumn(r.lowerBound), (_, c1) = CellGrid.rowColumn(r.upperBound)
                let lat = -90 + Double(row + 1) * cellDeg, lon = -180 + Double(c0) * cellDeg
                out += "<rect x=\"\(x(lon))\" y=\"\(y(lat))\" width=\"\(String(format: "%.2f", Double(c1 - c0 + 1) * cellDeg * k))\" height=\"\(String(format: "%.2f", cellDeg * k + 0.05))\"/>"
            }
            out += "</g>"
        }
        out += "</g><g id=\"grants\">"
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
