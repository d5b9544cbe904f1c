import AssayDomain
import Foundation

/// The demo's 2024–2025 story from the shipped `drc_conflict_timeline.csv` (every row with its source
/// URLs): AFC/M23's captures as control assessments (a radius around each sourced point), Bisie's halt
/// and restart as site statuses, and every IPIS visit of the shipped sample as a site observation.
enum DemoRisk {
    /// Radius of the assessed area around each captured place (km): cities wider than mining villages.
    static func radius(_ place: String) -> String {
        let p = place.lowercased()
        if p.hasPrefix("goma") || p.hasPrefix("bukavu") || p.hasPrefix("uvira") { return "12" }
        return "8"
    }

    static func commands(sites: [String: String]) throws -> [JSONValue] {
        var out: [JSONValue] = []
        let timeline = try ReferenceData.table("drc_conflict_timeline.csv")
        var used = Set<String>()
        for row in timeline.rows {
            let actor = row["actor"], event = row["event"].lowercased()
            let sources = row["source_urls"].split(separator: ";").map { JSONValue.string(String($0).trimmingCharacters(in: .whitespaces)) }
            if actor.contains("M23"), event == "captured", !row["latitude"].isEmpty, !row["longitude"].isEmpty {
                let place = row["place"]
                var slug = "demo-m23-" + place.lowercased().prefix(while: { $0 != "(" }).trimmingCharacters(in: .whitespaces)
                    .folding(options: .diacriticInsensitive, locale: nil).map { $0.isLetter || $0.isNumber ? String($0) : "-" }.joined()
                while used.contains(slug) { slug += "-2" }
                used.insert(slug)
                var m: [String: JSONValue] = [
                    "type": "record-control", "id": .string(slug), "controller": "afc-m23",
                    "area": ["circle": ["latitude": .string(row["latitude"]), "longitude": .string(row["longitude"]), "radiusKm": .string(radius(place))]],
                    "from": .string(row["date_from"]), "confidence": .string(row["confidence"] == "confirmed" ? "high" : "medium"),
                    "sources": .array(sources), "note": .string("\(place): \(row["event"]). Area: \(radius(place)) km around the sourced point (an approximation). \(row["note"])"),
                ]
                if !row["date_to"].isEmpty { m["until"] = .string(row["date_to"]) }
                out.append(.object(m))
            }
            if actor == "Alphamin Resources", let bisie = sites["bisie"] {
                let status: String? = event.hasPrefix("halted") ? "halted" : (event.hasPrefix("restarted") ? "operating" : nil)
                if let status {
                    out.append(.object(["type": "record-site-status", "site": .string(bisie), "date": .string(row["date_from"]), "status": .string(status),
                                        "reason": .string("\(row["event"]): \(row["note"])"), "sources": .array(sources)]))
                }
            }
        }
        // Every IPIS visit of the shipped sample, attached to the demo's sites by pcode.
        let text = String(decoding: try ReferenceData.bytes("ipis_mine_sites_sample.csv"), as: UTF8.self)
        let visits = try IPISImport.read(text: text, file: "ipis_mine_sites_sample.csv", siteForPcode: { sites["pcode:" + $0.lowercased()] }, visitRecorded: { _ in false })
        for c in visits.commands { if case .recordSiteVisit = c.command { out.append(c.command.json) } }
        return out
    }
}
