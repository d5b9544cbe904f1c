import AssayDomain
import Foundation
import Synchronization

/// Which of the map's layers a reader shows (`?layers=1&layer=sites&layer=held…`; without a choice,
/// ``standard``: every layer but IPIS armed presence, whose hundreds of marks would hide the rest).
enum MapLayer: String, CaseIterable, Sendable {
    case sites, titles, grants, held, armed

    static let standard: Set<MapLayer> = [.sites, .titles, .grants, .held]

    /// The layers a request chose: every one when the form was not sent, else those ticked.
    static func requested(_ values: [String], formSent: Bool) throws(Problem) -> Set<MapLayer> {
        guard formSent || !values.isEmpty else { return standard }
        var out: Set<MapLayer> = []
        for v in values {
            guard let l = MapLayer(rawValue: v) else {
                throw Problem.invalid("layer", "no layer \(v); expected \(allCases.map(\.rawValue).joined(separator: ", "))")
            }
            out.insert(l)
        }
        return out
    }
}

/// A site as the map draws it: where, what, how big, and what marks it carries on the day shown.
struct MapSite: Sendable {
    var id: String
    var name: String
    var latitude: Double
    var longitude: Double
    var minerals: [Mineral]
    /// The mineral that colours the dot: the one with the largest registered capacity, else the first.
    var primary: Mineral?
    /// Registered capacity, tonnes a year, all minerals together (0 when none is registered).
    var tonnes: Double
    var halted: Bool
    var onHeldGround: Bool
    /// The latest IPIS visit on or before the day found armed men on site.
    var armed: Bool
}

extension SVG {
    /// The minerals the map colours (each with its swatch in the legend); any other is drawn grey.
    static let mapMinerals: [(Mineral, String)] = [
        (.cobalt, "#2456a6"), (.copper, "#b8632b"), (.tin, "#5b6b7c"), (.tantalum, "#7a3e9d"), (.tungsten, "#2e7d6b"),
        (.gold, "#b08900"), (.lithium, "#c0407a"),
    ]
    static let otherMineralColour = "#777"

    /// The country's projection: x = (lon − west) × scale, y = (north − lat) × scale, 900 units wide.
    struct Projection: Sendable {
        var north: Double, west: Double, scale: Double, width: Double, height: Double
        func x(_ lon: Double) -> Double { (lon - west) * scale }
        func y(_ lat: Double) -> Double { (north - lat) * scale }
    }

    /// Provinces as SVG path data in the country's projection, drawn once per geography and detail,
    /// each with its box in projection units (so a small map can leave out what is outside its view).
    struct Provinces: Sendable {
        var projection: Projection
        var paths: [(code: String, name: String, d: String)]
        /// minX, minY, maxX, maxY of each path, in the order of `paths`.
        var boxes: [(Double, Double, Double, Double)]
        /// The paths as one SVG document (`<path id="p-CODE">` each), and its URL with a hash of it.
        var document: String
        var href: String
    }

    /// How finely province borders are drawn: `full` keeps points 0.05 units apart (about 100 m, what a
    /// zoom of 20× still shows) for the big map; `coarse` keeps points 1.2 units apart (about 2.7 km),
    /// plenty for a mini-map 18rem wide, at a tenth of the bytes.
    enum Detail: Double, Sendable { case full = 0.05, coarse = 1.2 }
    static let provinceCache = Mutex<[String: Provinces?]>([:])

    /// The provinces at full detail as one SVG document, a `<path id="p-CODE">` each, served at
    /// `/assets/provinces.svg`; the big map draws them with `<use>`.
    static func provincesDocument(_ geography: Geography) -> String { provinces(geography)?.document ?? "<svg xmlns=\"http://www.w3.org/2000/svg\"/>" }

    /// Where the provinces document is, versioned by its content (so it can be cached for ever).
    static func provincesHref(_ geography: Geography) -> String { provinces(geography)?.href ?? "/assets/provinces.svg" }

    static func provinces(_ geography: Geography, detail: Detail = .full) -> Provinces? {
        let key = "\(detail.rawValue)|" + geography.country + "|" + geography.provinces.map(\.code).joined(separator: ",")
        if let hit = provinceCache.withLock({ $0[key] }) { return hit }
        let drawn = drawProvinces(geography, tolerance: detail.rawValue)
        provinceCache.withLock { $0[key] = drawn }
        return drawn
    }

    private static func drawProvinces(_ geography: Geography, tolerance: Double) -> Provinces? {
        guard let all = MapFrame(polygons: geography.provinces.flatMap(\.polygons)) else { return nil }
        let width = 900.0, k = width / (all.east - all.west)
        let projection = Projection(north: all.north, west: all.west, scale: k, width: width, height: (all.north - all.south) * k)
        var paths: [(String, String, String)] = []
        var boxes: [(Double, Double, Double, Double)] = []
        for p in geography.provinces {
            var d = ""
            var box = (Double.infinity, Double.infinity, -Double.infinity, -Double.infinity)
            for poly in p.polygons {
                for ring in poly.rings {
                    // Points closer than `tolerance` units to the last one drawn are dropped (see ``Detail``).
                    var last: (Double, Double)?
                    for (i, pt) in ring.enumerated() {
                        let px = projection.x(pt.lon), py = projection.y(pt.lat)
                        box = (min(box.0, px), min(box.1, py), max(box.2, px), max(box.3, py))
                        if let l = last, abs(l.0 - px) < tolerance, abs(l.1 - py) < tolerance, i != ring.count - 1 { continue }
                        d += (i == 0 ? "M" : "L") + fixed2(px) + " " + fixed2(py)
                        last = (px, py)
                    }
                    d += "Z"
                }
            }
            paths.append((p.code, p.name, d))
            boxes.append(box)
        }
        var document = "<svg xmlns=\"http://www.w3.org/2000/svg\">"
        for (code, _, d) in paths { document += "<path id=\"p-\(escape(code))\" vector-effect=\"non-scaling-stroke\" d=\"\(d)\"/>" }
        document += "</svg>"
        // FNV-1a of the document: a version for the URL, not a security property.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in document.utf8 { hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3 }
        return Provinces(projection: projection, paths: paths, boxes: boxes, document: document,
                         href: "/assets/provinces.svg?v=" + String(hash, radix: 16))
    }

    /// Everything the map draws besides the provinces.
    struct MapContent {
        var sites: [MapSite] = []
        var concessions: [Concession] = []
        var grantBoxes: [(String, BoundingBox)] = []
        var held: [ControlEntry] = []
        /// Outlined in the mini-map: the thing the page is about.
        var focus: [BoundingBox] = []
    }

    /// The map at `frame` (nil: the whole country) in the country's projection: provinces (each a link
    /// that zooms to it, carrying `query`), then titles, grants, sites coloured by mineral and sized by
    /// capacity (halted and held ground marked), IPIS armed presence, and the held zones above them all
    /// so they show at every zoom, each with its source on hover and focus.
    ///
    /// - Parameters:
    ///   - query: what a province link keeps of the page's query (date, language, layers), already escaped.
    ///   - id: the `<svg>` element's id (`map`, or `mini-map`).
    static func zoomableMap(geography: Geography, frame: MapFrame?, content: MapContent, layers: Set<MapLayer>, language t: Language,
                            query: String, id: String = "map", width: Int? = nil, detail: Detail = .full) -> String {
        guard let base = provinces(geography, detail: detail) else { return "<svg></svg>" }
        let p = base.projection
        // The view box: the frame with a margin, in projection units.
        var vx = 0.0, vy = 0.0, vw = p.width, vh = p.height
        if let f = frame {
            let mx = (f.east - f.west) * 0.04, my = (f.north - f.south) * 0.04
            vx = p.x(f.west - mx); vy = p.y(f.north + my)
            vw = (f.east - f.west + 2 * mx) * p.scale; vh = (f.north - f.south + 2 * my) * p.scale
        }
        // Marks keep their size on screen: one screen unit is `u` projection units at this zoom.
        let u = vw / p.width
        func n(_ v: Double) -> String { fixed2(v) }
        let label = frame?.province.flatMap { c in geography.provinces.first { $0.code == c }?.name }.map { "\(t["map"]) — \($0)" } ?? t["map"]
        var out = "<svg id=\"\(id)\" class=\"map\" viewBox=\"\(n(vx)) \(n(vy)) \(n(vw)) \(n(vh))\" data-full=\"0 0 \(n(p.width)) \(n(p.height))\""
        out += " data-scale=\"\(n(p.scale))\" data-north=\"\(p.north)\" data-west=\"\(p.west)\""
        if let width { out += " width=\"\(width)\"" }
        out += " role=\"group\" aria-label=\"\(escape(label))\" xmlns=\"http://www.w3.org/2000/svg\" style=\"--u:\(n(u))\">"
        out += "<g id=\"\(id)-provinces\">"
        // The big map refers to the borders in /assets/provinces.svg (kept by the browser) rather than
        // carrying them: they were 280 KB of a 450 KB page. A mini-map carries its few coarse ones.
        let shared = detail == .full ? provincesHref(geography) : nil
        for (i, (code, name, d)) in base.paths.enumerated() {
            // A coarse (small, fixed) map leaves out the provinces wholly outside its view.
            let b = base.boxes[i]
            if detail == .coarse, b.2 < vx || b.0 > vx + vw || b.3 < vy || b.1 > vy + vh { continue }
            let current = frame?.province == code
            out += "<a href=\"/map?province=\(escape(code))\(query)\" aria-label=\"\(escape(name)) (\(escape(code)))\">"
            if let shared {
                out += "<use class=\"province\(current ? " current" : "")\" data-province=\"\(escape(code))\" href=\"\(shared)#p-\(escape(code))\"><title>\(escape(name)) (\(escape(code)))</title></use></a>"
            } else {
                out += "<path class=\"province\(current ? " current" : "")\" data-province=\"\(escape(code))\" d=\"\(d)\"><title>\(escape(name)) (\(escape(code)))</title></path></a>"
            }
        }
        out += "</g>"
        if layers.contains(.titles) {
            out += "<g id=\"\(id)-titles\" class=\"layer-titles\">"
            for c in content.concessions {
                guard let b = c.cells.boundingBox, frame.map({ $0.intersects(b) }) ?? true else { continue }
                out += "<rect class=\"title\" x=\"\(n(p.x(b.west)))\" y=\"\(n(p.y(b.north)))\" width=\"\(n(max(u, (b.east - b.west) * p.scale)))\" height=\"\(n(max(u, (b.north - b.south) * p.scale)))\"><title>\(escape(c.code)) — \(escape(c.holder))</title></rect>"
            }
            out += "</g>"
        }
        if layers.contains(.grants) {
            out += "<g id=\"\(id)-grants\" class=\"layer-grants\">"
            for (gid, b) in content.grantBoxes where b.north - b.south < 30 && (frame.map { $0.intersects(b) } ?? true) {
                out += "<rect class=\"grant\" x=\"\(n(p.x(b.west)))\" y=\"\(n(p.y(b.north)))\" width=\"\(n((b.east - b.west) * p.scale))\" height=\"\(n((b.north - b.south) * p.scale))\"><title>\(escape(gid))</title></rect>"
            }
            out += "</g>"
        }
        if layers.contains(.sites) {
            out += "<g id=\"\(id)-sites\" class=\"layer-sites\">"
            for s in content.sites {
                let r = (s.tonnes > 0 ? 3 + 1.6 * log10(1 + s.tonnes / 1000) : 2.6) * u
                var cls = "site m-" + (s.primary.map { m in mapMinerals.contains { $0.0 == m } ? m.rawValue : "other" } ?? "other")
                if s.halted { cls += " halted" }
                if s.onHeldGround { cls += " on-held" }
                var tip = "\(s.name) · \(s.minerals.map { t == .fr ? $0.frenchName : $0.englishName }.joined(separator: ", "))"
                if s.tonnes > 0 { tip += " · \(Portal.grouped(Decimal(Int(s.tonnes.rounded())))) t/\(t["per_year"])" }
                if s.halted { tip += " · \(t["map_halted"])" }
                if s.onHeldGround { tip += " · \(t["map_on_held"])" }
                out += "<a href=\"/sites/\(escape(s.id))?lang=\(t.rawValue)\" aria-label=\"\(escape(tip))\"><circle class=\"\(cls)\" data-id=\"\(escape(s.id))\" cx=\"\(n(p.x(s.longitude)))\" cy=\"\(n(p.y(s.latitude)))\" r=\"\(n(r))\"><title>\(escape(tip))</title></circle></a>"
            }
            out += "</g>"
        }
        if layers.contains(.armed) {
            out += "<g id=\"\(id)-armed\" class=\"layer-armed\">"
            for s in content.sites where s.armed {
                let x = p.x(s.longitude), y = p.y(s.latitude), a = 3 * u
                out += "<path class=\"armed\" data-id=\"\(escape(s.id))\" d=\"M\(n(x)) \(n(y - a))L\(n(x + a)) \(n(y + a * 0.8))L\(n(x - a)) \(n(y + a * 0.8))Z\"><title>\(escape(s.name)): \(escape(t["map_armed"]))</title></path>"
            }
            out += "</g>"
        }
        if layers.contains(.held) {
            // Ground held by non-state armed groups on the chosen day: each row run of cells as a thin
            // band, drawn last so no site or title hides it.
            out += "<g id=\"\(id)-control-zones\" class=\"layer-held\">"
            let cellDeg = 1.0 / Double(CellGrid.cellsPerDegree)
            for e in content.held {
                var b: BoundingBox?
                var rects = ""
                for r in e.cells.ranges {
                    let (row, c0) = CellGrid.rowColumn(r.lowerBound), (_, c1) = CellGrid.rowColumn(r.upperBound)
                    let lat = -90 + Double(row + 1) * cellDeg, lon = -180 + Double(c0) * cellDeg, east = lon + Double(c1 - c0 + 1) * cellDeg
                    b = BoundingBox(south: min(b?.south ?? 90, lat - cellDeg), west: min(b?.west ?? 180, lon), north: max(b?.north ?? -90, lat), east: max(b?.east ?? -180, east))
                    rects += "<rect x=\"\(n(p.x(lon)))\" y=\"\(n(p.y(lat)))\" width=\"\(n((east - lon) * p.scale))\" height=\"\(n(cellDeg * p.scale + 0.02))\"/>"
                }
                guard let box = b else { continue }
                let tip = "\(e.controller) — \(e.id) (\(e.period.text), \(t.confidence(e.confidence))). \(t["source"]): \(e.sourceText)"
                out += "<g class=\"held \(escape(e.kind.rawValue))\" data-id=\"\(escape(e.id))\" data-box=\"\(n(p.x(box.west))) \(n(p.y(box.north))) \(n(p.x(box.east))) \(n(p.y(box.south)))\" tabindex=\"0\" role=\"img\" aria-label=\"\(escape(tip))\"><title>\(escape(tip))</title>\(rects)"
                // A ring around the zone, so a few cells still show at the country's scale.
                let cx = p.x((box.west + box.east) / 2), cy = p.y((box.south + box.north) / 2)
                let radius = max(6 * u, max(box.east - box.west, box.north - box.south) * p.scale / 2 + 2 * u)
                out += "<circle class=\"held-ring\" cx=\"\(n(cx))\" cy=\"\(n(cy))\" r=\"\(n(radius))\"/></g>"
            }
            out += "</g>"
        }
        if !content.focus.isEmpty {
            out += "<g id=\"\(id)-focus\">"
            for b in content.focus {
                let w = max(3 * u, (b.east - b.west) * p.scale), h = max(3 * u, (b.north - b.south) * p.scale)
                let x = p.x((b.west + b.east) / 2) - w / 2, y = p.y((b.south + b.north) / 2) - h / 2
                out += "<rect class=\"focus\" x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(h))\"/>"
            }
            out += "</g>"
        }
        return out + "</svg>"
    }

    /// The map's legend as HTML (the SVG swatches use the same classes as the map).
    static func mapLegend(_ t: Language) -> String {
        var out = "<ul id=\"legend\" class=\"legend\" aria-label=\"\(escape(t["map_legend"]))\">"
        for (m, _) in mapMinerals {
            out += "<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><circle class=\"swatch m-\(m.rawValue)\" cx=\"7\" cy=\"7\" r=\"5\"/></svg>\(escape(t == .fr ? m.frenchName : m.englishName))</li>"
        }
        out += "<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><circle class=\"swatch m-other\" cx=\"7\" cy=\"7\" r=\"5\"/></svg>\(escape(t["map_other"]))</li>"
        out += "<li><svg width=\"22\" height=\"14\" aria-hidden=\"true\"><circle class=\"swatch m-other\" cx=\"4\" cy=\"7\" r=\"2\"/><circle class=\"swatch m-other\" cx=\"15\" cy=\"7\" r=\"6\"/></svg>\(escape(t["map_size"]))</li>"
        out += "<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><circle class=\"swatch m-other halted\" cx=\"7\" cy=\"7\" r=\"5\"/></svg>\(escape(t["map_halted"]))</li>"
        out += "<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><circle class=\"swatch m-other on-held\" cx=\"7\" cy=\"7\" r=\"5\"/></svg>\(escape(t["map_on_held"]))</li>"
        out += "<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><path class=\"armed\" d=\"M7 1L13 12L1 12Z\"/></svg>\(escape(t["map_armed"]))</li>"
        out += "<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\" class=\"swatch-held\"><rect x=\"1\" y=\"1\" width=\"12\" height=\"12\"/></svg>\(escape(t["held_zones"]))</li>"
        out += "<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><rect class=\"title\" x=\"1\" y=\"1\" width=\"12\" height=\"12\"/></svg>\(escape(t["concessions"]))</li>"
        out += "<li><svg width=\"14\" height=\"14\" aria-hidden=\"true\"><rect class=\"grant\" x=\"1\" y=\"1\" width=\"12\" height=\"12\"/></svg>\(escape(t["grants"]))</li>"
        return out + "</ul>"
    }
}
