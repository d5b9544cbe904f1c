import AssayDomain
import Foundation

/// A reserve as one role may see it, with every offer of its visible assets: what the API, the portal
/// and `assay reserve show` print (window states are worked out by the caller for its day).
public struct ReserveView: Sendable {
    /// The reserve as the registry holds it, its assets reduced to those `role` may see.
    public var reserve: Reserve
    /// How many assets the reserve holds (also for a confidential one whose assets are not shown).
    public var assetCount: Int
    /// For a confidential reserve: the hash its log entry commits to, and one commitment per asset.
    public var sealedHash: String?
    public var commitments: [String]
    /// The entry that registered it.
    public var sequence: Int64
    /// Offers by asset id, in the order they were recorded, with their answers.
    public var windows: [String: [OfferWindow]]
    /// Whether assets are held back from this role (a confidential reserve seen by the public or an operator).
    public var redacted: Bool
}

extension RelationalStore {
    /// A reserve as `role` may see it (``Disclosure/reserve(_:publicEntry:offered:role:)`` decides), or nil.
    public func reserveView(_ id: String, as role: Role) async throws -> ReserveView? {
        try await engine.read { db in
            guard let row = try db.row("SELECT r.json, e.seq FROM reserve r JOIN entity e ON e.id = r.id WHERE r.id = ?", [id]) else { return nil }
            var reserve = try Reserve(json: JSONObject(JSONParser.parse(row[0] as String), path: ""))
            let seq: Int64 = try row[1]
            let offers = try db.rows("SELECT json, months FROM asset_offer WHERE reserve = ? ORDER BY seq", [id])
            var windows: [String: [OfferWindow]] = [:]
            let lookup = ProjectionLookup(db: db, cache: LookupCache())
            for o in offers {
                let w = try lookup.window(o)
                windows[w.offer.asset, default: []].append(w)
            }
            let entry = try RelationalStore.publicCommand(db, sequence: seq)
            let disclosed = Disclosure.reserve(.object(reserve.json), publicEntry: entry, offered: Set(windows.keys), role: role)
            let redacted: Bool
            if case .object(let m) = disclosed, m["redacted"] == .bool(true) {
                redacted = true
                reserve.assets = reserve.assets.filter { windows[$0.id] != nil }
            } else {
                redacted = false
            }
            var hash: String?
            var commitments: [String] = []
            if case .object(let p)? = entry {
                if case .string(let h)? = p["sealed"] { hash = h }
                if case .array(let cs)? = p["assetCommitments"] { commitments = cs.compactMap { if case .string(let s) = $0 { s } else { nil } } }
            }
            return ReserveView(reserve: reserve, assetCount: commitments.isEmpty ? reserve.assets.count : commitments.count, sealedHash: hash,
                               commitments: commitments, sequence: seq, windows: windows, redacted: redacted)
        }
    }

    /// The command of a journal entry as it was logged (sealed members replaced by their hash).
    static func publicCommand(_ db: any SQLConnection, sequence: Int64) throws -> JSONValue? {
        guard let data = try db.value(Data.self, "SELECT bytes FROM journal WHERE seq = ?", [sequence]),
              case .object(let entry) = try JSONParser.parse([UInt8](data)) else { return nil }
        return entry["command"]
    }

    /// What an offer of a confidential reserve's asset reveals (nil for an open reserve): read from the
    /// reserve's sealed details, which only the store holds.
    static func reveal(offer o: AssetOffer, db: any SQLConnection) throws -> JSONValue? {
        guard let seq = try db.value(Int64.self, "SELECT seq FROM entity WHERE id = ?", [o.reserve]),
              case .object(let command)? = try publicCommand(db, sequence: seq), case .string(let hash)? = command["sealed"],
              let text = try db.value(String.self, "SELECT json FROM sealed_detail WHERE hash = ?", [hash]),
              case .object(let wrapper) = try JSONParser.parse(text), case .string(let salt)? = wrapper["salt"],
              case .object(let details)? = wrapper["details"], case .array(let assets)? = details["assets"] else { return nil }
        guard let asset = assets.first(where: { a in if case .object(let m) = a { m["id"] == .string(o.asset) } else { false } }) else { return nil }
        return Sealing.reveal(asset: asset, salt: Sealing.assetSalt(salt, o.asset))
    }

    /// A reserve record as `role` may see it (for `find` and `list`).
    func disclosedReserve(_ record: EntityRecord, role: Role) async throws -> EntityRecord {
        guard !Disclosure.seesSealed(role), case .object(let m) = record.json, m["confidential"] == .bool(true) else { return record }
        return try await engine.read { db in
            var out = record
            let offered = Set(try db.values(String.self, "SELECT DISTINCT asset FROM asset_offer WHERE reserve = ?", [record.id]))
            out.json = Disclosure.reserve(record.json, publicEntry: try RelationalStore.publicCommand(db, sequence: record.sequence), offered: offered, role: role)
            return out
        }
    }
}

extension RelationalStore {
    /// The reserves held under an agreement (their titles are public, confidential or not), by id.
    public func reserves(of agreement: String) async throws -> [(id: String, title: String)] {
        try await engine.read { db in
            try db.rows("SELECT id, json FROM reserve WHERE agreement = ? ORDER BY id", [agreement]).map { r in
                (try r[0] as String, try Reserve(json: JSONObject(JSONParser.parse(r[1] as String), path: "")).title)
            }
        }
    }
}
