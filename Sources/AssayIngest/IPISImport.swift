import AssayDomain
import Foundation

/// Reads an IPIS artisanal-mining-site file (one row per visit, 85 columns; CRLF or LF, UTF-8) into
/// commands: a `register-site` for each `pcode` not yet registered (from its latest visit), and a
/// `record-site-visit` for every visit not yet recorded (`ipis-visit-<vid>`), with the armed actors,
/// what they do there, child labour, mercury, traceability and qualification. Every malformed cell is
/// reported by row and column, and nothing is imported unless every row reads.
public enum IPISImport {
    /// Counts over the file (as `assay import ipis --json` prints them).
    public struct Summary: Sendable {
        public var visits = 0
        public var sites = 0
        public var visitsByProvince: [String: Int] = [:]
        public var sitesByProvince: [String: Int] = [:]
        public var sitesNonstateArmedLatest = 0
        public var newSites = 0
        public var updatedSites = 0
        public var newVisits = 0
        public var alreadyRecorded = 0

        public var json: JSONValue {
            .object(["visits": .int(Int64(visits)), "sites": .int(Int64(sites)),
                     "visits_by_province": .object(visitsByProvince.mapValues { .int(Int64($0)) }),
                     "sites_by_province": .object(sitesByProvince.mapValues { .int(Int64($0)) }),
                     "sites_nonstate_armed_latest": .int(Int64(sitesNonstateArmedLatest)),
                     "new_sites": .int(Int64(newSites)), "updated_sites": .int(Int64(updatedSites)), "new_visits": .int(Int64(newVisits)), "already_recorded": .int(Int64(alreadyRecorded))])
        }
    }

    static let required = ["vid", "pcode", "name", "visit_date", "latitude", "longitude", "province"]
    static let nonStateTypes: Set<String> = ["groupe armé local", "groupe armé étranger"]

    struct Row {
        var line: Int, vid: Int64, pcode: String, name: String, day: Day, lat: String, lon: String, province: String
        var visit: SiteVisit
        var nonStateLatest: Bool
    }

    /// - Parameters:
    ///   - siteForPcode: the id of the site already registered for a pcode, if any.
    ///   - visitRecorded: whether a visit id is already in the journal.
    ///   - registeredSite: a registered site by id: IPIS-made sites (`ipis-…`) whose latest visit gives
    ///     another name, point or minerals are updated (`update-site`); curated sites are left as they are.
    public static func read(text: String, file: String, siteForPcode: (String) -> String?, visitRecorded: (String) -> Bool,
                            registeredSite: (String) -> Site? = { _ in nil }) throws -> (commands: [LocatedCommand], summary: Summary) {
        let table = try CSVTable(text: text, file: file)
        try table.require(required, file: file)
        var rows: [Row] = []
        var errors: [ImportError] = []
        for r in table.rows {
            do {
                rows.append(try row(r, file: file, siteForPcode: siteForPcode))
            } catch {
                errors.append((error as? ImportError) ?? ImportError(file: file, line: r.line, field: "", message: "\(error)"))
            }
        }
        if !errors.isEmpty { throw ImportErrors(errors) }
        var summary = Summary()
        summary.visits = rows.count
        var latest: [String: Row] = [:]
        for r in rows {
            summary.visitsByProvince[r.province, default: 0] += 1
            if let old = latest[r.pcode], (old.day, old.vid) >= (r.day, r.vid) { continue }
            latest[r.pcode] = r
        }
        summary.sites = latest.count
        for r in latest.values {
            summary.sitesByProvince[r.province, default: 0] += 1
            if r.nonStateLatest { summary.sitesNonstateArmedLatest += 1 }
        }
        var out: [LocatedCommand] = []
        for pcode in latest.keys.sorted() where siteForPcode(pcode) == nil {
            let r = latest[pcode]!
            var m: [String: JSONValue] = ["type": "register-site", "id": .string(siteID(pcode)), "name": .string(r.name), "kind": "artisanal-site",
                                          "latitude": .string(r.lat), "longitude": .string(r.lon), "minerals": r.visit.minerals.json,
                                          "externalId": .string(pcode), "sources": ["https://ipisresearch.be/home/maps-data/open-data/"]]
            if r.visit.minerals.isEmpty { m["minerals"] = .array([]) }
            do { out.append(LocatedCommand(line: r.line, command: try Command(json: .object(m)))) } catch {
                throw ImportErrors([ImportError(file: file, line: r.line, field: error.field == "latitude" || error.field == "longitude" ? error.field : "pcode", message: error.message)])
            }
            summary.newSites += 1
        }
        // Upsert: an IPIS-made site follows its latest visit.
        for pcode in latest.keys.sorted() {
            guard let id = siteForPcode(pcode), id.hasPrefix("ipis-"), let old = registeredSite(id) else { continue }
            let r = latest[pcode]!
            let lat = Decimal(string: r.lat, locale: Locale(identifier: "en_US_POSIX")), lon = Decimal(string: r.lon, locale: Locale(identifier: "en_US_POSIX"))
            var u = SiteUpdate(site: id, source: "IPIS visit \(r.vid) of \(r.day.iso)")
            if old.name != r.name { u.name = r.name }
            if let lat, let lon, lat != old.latitude || lon != old.longitude { u.latitude = lat; u.longitude = lon }
            if old.minerals != r.visit.minerals { u.minerals = r.visit.minerals }
            guard u.name != nil || u.latitude != nil || u.minerals != nil else { continue }
            out.append(LocatedCommand(line: r.line, command: try normalized(.updateSite(u), file: file, line: r.line)))
            summary.updatedSites += 1
        }
        for r in rows {
            if visitRecorded(r.visit.id) { summary.alreadyRecorded += 1; continue }
            out.append(LocatedCommand(line: r.line, command: try normalized(.recordSiteVisit(r.visit), file: file, line: r.line)))
            summary.newVisits += 1
        }
        return (out, summary)
    }

    public static func siteID(_ pcode: String) -> String { "ipis-" + pcode.lowercased() }

    /// A command as the journal will read it back (strings trimmed, values canonical): built through
    /// its JSON, so what is compared and logged is exactly what replay decodes.
    static func normalized(_ c: Command, file: String, line: Int) throws -> Command {
        do { return try Command(json: c.json) } catch { throw ImportErrors([ImportError(file: file, line: line, field: error.field, message: error.message)]) }
    }

    static func row(_ r: CSVTable.Row, file: String, siteForPcode: (String) -> String?) throws -> Row {
        func fail(_ column: String, _ message: String) -> ImportError { ImportError(file: file, line: r.line, field: column, message: message) }
        guard let vid = Int64(r["vid"].trimmingCharacters(in: .whitespaces)) else { throw fail("vid", "expected a whole number, found \"\(r["vid"])\"") }
        let pcode = r["pcode"].trimmingCharacters(in: .whitespaces)
        guard !pcode.isEmpty else { throw fail("pcode", "is empty") }
        do { try Identifier.validate(siteID(pcode), field: "pcode") } catch { throw fail("pcode", "\"\(pcode)\" cannot make a site id (letters, digits, . _ : -)") }
        let dateText = String(r["visit_date"].trimmingCharacters(in: .whitespaces).prefix(10))
        let day: Day
        do { day = try Day(iso: dateText, field: "visit_date") } catch { throw fail("visit_date", "expected a date like 2019-05-15, found \"\(r["visit_date"])\"") }
        let lat = r["latitude"].trimmingCharacters(in: .whitespaces), lon = r["longitude"].trimmingCharacters(in: .whitespaces)
        guard let la = Double(lat), (-90...90).contains(la) else { throw fail("latitude", "expected degrees from -90 to 90, found \"\(lat)\"") }
        guard let lo = Double(lon), (-180...180).contains(lo) else { throw fail("longitude", "expected degrees from -180 to 180, found \"\(lon)\"") }
        func flag(_ column: String) throws -> Bool? {
            switch r[column].trimmingCharacters(in: .whitespaces) {
            case "", "dontknow", "unknown", "nsp": return nil  // IPIS writes "dontknow" where the team could not tell
            case "1": return true
            case "0": return false
            case let other: throw fail(column, "expected 0, 1 or nothing, found \"\(other)\"")
            }
        }
        var workers: Int64?
        let w = r["workers_numb"].trimmingCharacters(in: .whitespaces)
        if !w.isEmpty {
            // `Int64(exactly:)`: a count like "1e30" or "nan" is refused, not trapped on.
            guard let n = Int64(w) ?? Double(w).flatMap({ Int64(exactly: $0.rounded(.towardZero)) }), n >= 0 else { throw fail("workers_numb", "expected a number of workers, found \"\(w)\"") }
            workers = n
        }
        var armed: [ArmedPresence] = []
        var nonState = false
        for k in 1...3 {
            let name = r["armed_group\(k)"].trimmingCharacters(in: .whitespaces)
            let type = r["type_armed_group\(k)"].trimmingCharacters(in: .whitespaces)
            if name.isEmpty && type.isEmpty { continue }
            if type.lowercased() == "aucun" || name.lowercased() == "aucun" { continue }
            var acts = Set<ArmedActivity>()
            for a in ArmedActivity.allCases where try flag(a.ipisPrefix + "armed_group\(k)") == true { acts.insert(a) }
            if nonStateTypes.contains(type.lowercased()) { nonState = true }
            armed.append(ArmedPresence(name: name.isEmpty ? type : name, type: type, activities: acts))
        }
        let minerals = ["mineral1", "mineral2", "mineral3"].compactMap { Mineral.named(r[$0]) }
        let child = try flag("childunder15")
        let childWork = r["childunder15work"].trimmingCharacters(in: .whitespaces)
        let visit = SiteVisit(id: "ipis-visit-\(vid)", site: siteForPcode(pcode) ?? siteID(pcode), date: day,
                              source: r["source"].isEmpty ? "IPIS" : "IPIS – " + r["source"], minerals: MineralSet(minerals), workers: workers,
                              armed: armed, childLabour: child == true || !childWork.isEmpty ? true : child, mercury: try flag("mercury"),
                              traceability: r["traceability"].isEmpty ? nil : String(r["traceability"].prefix(200)),
                              qualification: r["qualification"].isEmpty ? nil : String(r["qualification"].prefix(50)))
        let name = r["name"].trimmingCharacters(in: .whitespacesAndNewlines)
        return Row(line: r.line, vid: vid, pcode: pcode, name: name.isEmpty ? pcode : String(name.prefix(300)), day: day, lat: lat, lon: lon,
                   province: r["province"].trimmingCharacters(in: .whitespaces), visit: visit, nonStateLatest: nonState)
    }
}

/// Reads conflict events in ACLED's export format (the user's own file; ACLED's licence forbids
/// redistributing its data, so none ships): one `record-conflict-event` a row, every malformed cell
/// named by row and column, all or nothing.
public enum ACLEDImport {
    public static let required = ["event_id_cnty", "event_date", "event_type", "sub_event_type", "actor1", "latitude", "longitude"]

    public struct Summary: Sendable {
        public var events = 0
        public var proposals = 0
        public var violent = 0
        public var alreadyRecorded = 0
        public var byAdmin1: [String: Int] = [:]
        public var json: JSONValue {
            .object(["events": .int(Int64(events)), "proposed_control_changes": .int(Int64(proposals)), "violent_events": .int(Int64(violent)),
                     "already_recorded": .int(Int64(alreadyRecorded)), "events_by_admin1": .object(byAdmin1.mapValues { .int(Int64($0)) })])
        }
    }

    static let months = ["january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7, "august": 8,
                         "september": 9, "october": 10, "november": 11, "december": 12]

    /// ACLED dates come as `2025-01-27` or `27 January 2025`.
    static func date(_ text: String) -> Day? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let d = try? Day(iso: String(t.prefix(10))) { return d }
        let parts = t.split(separator: " ")
        guard parts.count == 3, let d = Int(parts[0]), let m = months[parts[1].lowercased()], let y = Int(parts[2]) else { return nil }
        return Day(year: y, month: m, day: d)
    }

    public static func read(text: String, file: String, recorded: (String) -> Bool) throws -> (commands: [LocatedCommand], summary: Summary) {
        let table = try CSVTable(text: text, file: file)
        try table.require(required, file: file)
        var out: [LocatedCommand] = []
        var errors: [ImportError] = []
        var summary = Summary()
        for r in table.rows {
            func fail(_ column: String, _ message: String) { errors.append(ImportError(file: file, line: r.line, field: column, message: message)) }
            let id = r["event_id_cnty"].trimmingCharacters(in: .whitespaces)
            if id.isEmpty { fail("event_id_cnty", "is empty"); continue }
            guard let day = date(r["event_date"]) else { fail("event_date", "expected a date like 2025-01-27 or 27 January 2025, found \"\(r["event_date"])\""); continue }
            guard let lat = Decimal(string: r["latitude"].trimmingCharacters(in: .whitespaces), locale: Locale(identifier: "en_US_POSIX")), lat >= -90, lat <= 90,
                  DecimalText.isPlain(r["latitude"].trimmingCharacters(in: .whitespaces)) else {
                fail("latitude", "expected degrees from -90 to 90, found \"\(r["latitude"])\""); continue
            }
            guard let lon = Decimal(string: r["longitude"].trimmingCharacters(in: .whitespaces), locale: Locale(identifier: "en_US_POSIX")), lon >= -180, lon <= 180,
                  DecimalText.isPlain(r["longitude"].trimmingCharacters(in: .whitespaces)) else {
                fail("longitude", "expected degrees from -180 to 180, found \"\(r["longitude"])\""); continue
            }
            var fatalities: Int64 = 0
            let f = r["fatalities"].trimmingCharacters(in: .whitespaces)
            if !f.isEmpty { guard let n = Int64(f), n >= 0 else { fail("fatalities", "expected a whole number, found \"\(f)\""); continue }; fatalities = n }
            var precision: Int64?
            let g = r["geo_precision"].trimmingCharacters(in: .whitespaces)
            if !g.isEmpty { guard let n = Int64(g), (1...3).contains(n) else { fail("geo_precision", "expected 1, 2 or 3, found \"\(g)\""); continue }; precision = n }
            if r["event_type"].trimmingCharacters(in: .whitespaces).isEmpty { fail("event_type", "is empty"); continue }
            if r["sub_event_type"].trimmingCharacters(in: .whitespaces).isEmpty { fail("sub_event_type", "is empty"); continue }
            if r["actor1"].trimmingCharacters(in: .whitespaces).isEmpty { fail("actor1", "is empty"); continue }
            func opt(_ c: String) -> String? { let v = r[c].trimmingCharacters(in: .whitespaces); return v.isEmpty ? nil : v }
            let e = ConflictEvent(id: String(id.prefix(100)), date: day, type: r["event_type"], subType: r["sub_event_type"], actor1: String(r["actor1"].prefix(300)),
                                  actor2: opt("actor2").map { String($0.prefix(300)) }, admin1: opt("admin1"), location: opt("location").map { String($0.prefix(300)) },
                                  latitude: lat, longitude: lon, geoPrecision: precision, fatalities: fatalities,
                                  source: opt("source").map { String($0.prefix(2000)) }, notes: opt("notes").map { String($0.prefix(8000)) })
            summary.events += 1
            summary.byAdmin1[e.admin1 ?? "", default: 0] += 1
            if e.proposedControlChange != nil { summary.proposals += 1 }
            if e.isViolent { summary.violent += 1 }
            if recorded(e.id) { summary.alreadyRecorded += 1; continue }
            out.append(LocatedCommand(line: r.line, command: try IPISImport.normalized(.recordConflictEvent(e), file: file, line: r.line)))
        }
        if !errors.isEmpty { throw ImportErrors(errors) }
        return (out, summary)
    }
}
