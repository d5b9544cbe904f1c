import AssayDomain
import Foundation

extension RelationalStore {
    /// Lots extracted at a site (their single origin).
    public func lotsFrom(site: String) async throws -> [String] {
        try await engine.read { db in
            // An exact prefix, not LIKE: `_` is a legal id character and LIKE's single-character wildcard.
            try db.values(String.self, "SELECT id FROM lot WHERE substr(origins, 1, length(?) + 1) = ? || '|' ORDER BY id", [site, site])
        }
    }

    /// Lots on which a party acted (extracted, held, moved, received), sorted; with `limit`, the
    /// `limit` it acted on most recently, and whether there were more.
    public func lotsTouched(by party: String, limit: Int? = nil) async throws -> (lots: [String], truncated: Bool) {
        try await engine.read { db in
            let seqs = try db.values(Int64.self, "SELECT seq FROM custody_event WHERE party = ? ORDER BY seq DESC", [party])
            var lots = Set<String>()
            var truncated = false
            let bytesOf = ("SELECT bytes FROM journal WHERE seq = ?")
            for s in seqs {
                guard let b = try db.value(Data.self, bytesOf, [s]), case .custodyEvent(let e) = try JournalEntry(bytes: [UInt8](b)).command else { continue }
                let touched = e.event.inputLots + e.event.outputLots.map(\.id)
                if let limit, lots.count >= limit, touched.contains(where: { !lots.contains($0) }) { truncated = true; break }
                lots.formUnion(touched)
            }
            return (lots.sorted(), truncated)
        }
    }

    public func custodyFlags(lot: String) async throws -> [CustodyFlag] {
        try await engine.read { db in
            try db.rows("SELECT event, lot, rule, time, explanation, evidence FROM custody_flag WHERE lot = ? ORDER BY time", [lot])
                .map(RelationalStore.flag)
        }
    }
}
