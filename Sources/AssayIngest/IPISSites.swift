import AssayDomain

/// IPIS artisanal mining site visits (`ipis_mine_sites_sample.csv`, IPIS open data, ODC-BY 1.0),
/// reduced to one record per site from its latest visit (latest `visit_date`, ties broken by the
/// larger `vid`). The full import of every visit as an observation comes with the conflict issue.
public enum IPISSites {
    public struct SiteVisit: Sendable {
        public var pcode: String
        public var name: String
        public var latitude: String
        public var longitude: String
        public var province: String
        public var visitDate: String
        public var vid: Int
        public var minerals: [Mineral]
    }

    public static func latestVisits(table: CSVTable? = nil) throws -> [SiteVisit] {
        let t = try table ?? ReferenceData.table("ipis_mine_sites_sample.csv")
        var latest: [String: SiteVisit] = [:]
        for row in t.rows {
            let minerals = ["mineral1", "mineral2", "mineral3"].compactMap { Mineral.named(row[$0]) }
            let v = SiteVisit(pcode: row["pcode"], name: row["name"], latitude: row["latitude"], longitude: row["longitude"],
                              province: row["province"], visitDate: row["visit_date"], vid: Int(row["vid"]) ?? 0,
                              minerals: Array(Set(minerals)).sorted())
            if let old = latest[v.pcode], (old.visitDate, old.vid) >= (v.visitDate, v.vid) { continue }
            latest[v.pcode] = v
        }
        return latest.values.sorted { $0.pcode < $1.pcode }
    }
}
