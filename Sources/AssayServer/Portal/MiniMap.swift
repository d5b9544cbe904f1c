import AssayDomain
import AssayStore

/// The small map on a site, title or agreement page: the province around the thing the page is
/// about (or a box around it when it spans provinces), the thing outlined, and today's held zones,
/// with a link that opens the full map there.
enum MiniMap {
    /// The `<figure>`, or nil when there is nothing to place (no coordinates, no cells).
    static func figure(focus: [BoundingBox], held: [ControlEntry], geography: Geography, language t: Language) -> String? {
        guard !focus.isEmpty else { return nil }
        let south = focus.map(\.south).min()!, north = focus.map(\.north).max()!, west = focus.map(\.west).min()!, east = focus.map(\.east).max()!
        let province = geography.provinces.first { $0.contains(latitude: (south + north) / 2, longitude: (west + east) / 2) }
        var frame: MapFrame
        if let province, var f = MapFrame(polygons: province.polygons), f.west <= west, f.east >= east, f.south <= south, f.north >= north {
            f.province = province.code
            frame = f
        } else {
            frame = MapFrame(around: focus, minimum: 1.0)
        }
        var content = SVG.MapContent()
        content.held = held
        content.focus = focus
        let lang = "&amp;lang=\(t.rawValue)"
        let svg = SVG.zoomableMap(geography: geography, frame: frame, content: content, layers: [.held], language: t, query: lang, id: "mini-map",
                                  detail: .coarse)
        let open = frame.province.map { "/map?province=\(SVG.escape($0))\(lang)" } ?? "/map?bbox=\(frame.bboxText)\(lang)"
        var out = "<figure class=\"mini-map\">" + svg + "<figcaption>" + SVG.escape(t["map_locate"])
        if let province { out += " — " + SVG.escape(province.name) }
        out += " · <a id=\"open-map\" href=\"\(open)\">" + SVG.escape(t["map_open"]) + "</a></figcaption></figure>"
        return out
    }

    /// Drawn mini-maps: one a page (its kind, id and language) for the version of what it reads (the
    /// registry and risk generations, the day). Drawing one was a fifth of a site page's time.
    static let drawn = VersionedCache<String?>()

    /// The mini-map of `key` (a page's kind and id) around `focus`, drawn once per version.
    static func cached(_ key: String, focus: [BoundingBox], language: Language, store: RelationalStore) async throws -> String? {
        let g = try await store.viewGenerations()
        let version = "\(g.registry).\(g.risk)|\(store.origin)|\(RelationalStore.systemClock().day.iso)"
        let geography = store.geography
        return try await drawn.page("\(key)|\(language.rawValue)", version: version) {
            figure(focus: focus, held: try await heldToday(store), geography: geography, language: language)
        }
    }

    /// The zones held by non-state armed groups today, as the mini-maps show them.
    static func heldToday(_ store: RelationalStore) async throws -> [ControlEntry] {
        let today = RelationalStore.systemClock().day
        return try await store.riskInputs().map.entries.filter { $0.kind == .nonState && $0.period.contains(today) }
    }
}
