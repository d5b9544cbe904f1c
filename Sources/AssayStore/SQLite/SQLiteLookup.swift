import AssayDomain
import Foundation
import GRDB

/// Answers ``RegistryLookup`` from the projection tables, inside the caller's transaction, so a
/// command sees every command applied before it in the same batch.
struct SQLiteLookup: RegistryLookup {
    let db: Database

    func kind(of id: String) throws -> EntityKind? {
        let s = try db.cachedStatement(sql: "SELECT kind FROM entity WHERE id = ?")
        return try String.fetchOne(s, arguments: [id]).flatMap(EntityKind.init(rawValue:))
    }

    func agreement(_ id: String) throws -> Agreement? {
        let s = try db.cachedStatement(sql: "SELECT json FROM agreement WHERE id = ?")
        return try String.fetchOne(s, arguments: [id]).map { try Agreement(json: JSONObject(JSONParser.parse($0), path: "")) }
    }

    func supersededBy(_ id: String) throws -> String? {
        let s = try db.cachedStatement(sql: "SELECT superseded_by FROM agreement WHERE id = ?")
        return try String.fetchOne(s, arguments: [id])
    }

    func concession(_ id: String) throws -> Concession? {
        let s = try db.cachedStatement(sql: "SELECT json FROM concession WHERE id = ?")
        return try String.fetchOne(s, arguments: [id]).map { try Concession(json: JSONObject(JSONParser.parse($0), path: "")) }
    }

    func obligation(_ id: String) throws -> Obligation? {
        let s = try db.cachedStatement(sql: "SELECT json FROM obligation WHERE id = ?")
        return try String.fetchOne(s, arguments: [id]).map { try Obligation(json: JSONObject(JSONParser.parse($0), path: "")) }
    }

    func ownerships(of party: String) throws -> [Ownership] {
        let s = try db.cachedStatement(sql: "SELECT json FROM ownership WHERE subject = ?")
        return try String.fetchAll(s, arguments: [party]).map { try Ownership(json: JSONObject(JSONParser.parse($0), path: "")) }
    }

    func activeClaims(near cells: CellSet, minerals: MineralSet) throws -> [Claim] {
        let buckets = cells.buckets
        guard !buckets.isEmpty else { return [] }
        // Bucket ids are integers we computed, so inlining them is safe; it avoids one query per bucket.
        let list = buckets.map(String.init).joined(separator: ",")
        // Driven from the bucket index (its primary key), so the cost follows the candidates, not the registry size.
        let rows = try Row.fetchAll(db, sql: """
            SELECT DISTINCT c.id, c.kind, c.holder, c.agreement, c.minerals, c.from_day, c.until_day, c.cells, c.contested
            FROM claim_bucket b JOIN claim c ON c.id = b.claim
            WHERE b.bucket IN (\(list)) AND c.active = 1 AND (c.minerals & ?) != 0
            """, arguments: [Int64(bitPattern: minerals.mask)])
        return try rows.map(SQLiteLookup.claim)
    }

    static func claim(_ row: Row) throws -> Claim {
        let cellsData: Data = row["cells"]
        guard let kind = Claim.Kind(rawValue: row["kind"]), let cells = CellSet(blob: cellsData) else {
            throw StoreCorruption(table: "claim", key: row["id"], reason: "unreadable kind or cells")
        }
        let from: Int32? = row["from_day"], until: Int32? = row["until_day"]
        let mask: Int64 = row["minerals"]
        return Claim(id: row["id"], kind: kind, holder: row["holder"], agreement: row["agreement"],
                     minerals: MineralSet(mask: UInt64(bitPattern: mask)), cells: cells,
                     period: (try? Period(from: from.map(Day.init(ordinal:)), until: until.map(Day.init(ordinal:)))) ?? .always,
                     contested: row["contested"])
    }
}

/// A projection or journal row the store cannot read back: the database was changed outside Assay.
public struct StoreCorruption: Error, Sendable, CustomStringConvertible {
    public var table: String
    public var key: String
    public var reason: String
    public var description: String { "\(table) row \(key): \(reason) (the database was changed outside Assay; run `assay rebuild`)" }
}
