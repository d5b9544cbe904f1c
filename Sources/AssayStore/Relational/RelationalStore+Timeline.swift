import AssayDomain

/// Which events of the record to read: any combination of an agreement, a party (in any role), kinds and a period.
public struct TimelineFilter: Sendable {
    public var agreement: String?
    public var party: String?
    public var kinds: Set<EventKind>
    public var from: Day?
    public var until: Day?
    public var limit: Int

    public init(agreement: String? = nil, party: String? = nil, kinds: Set<EventKind> = [], from: Day? = nil, until: Day? = nil, limit: Int = 500) {
        self.agreement = agreement; self.party = party; self.kinds = kinds; self.from = from; self.until = until; self.limit = limit
    }
}

extension RelationalStore {
    /// The negotiation record, oldest first (by date, then id), as the filter asks: per agreement, per party, by kind and period.
    /// Events hold nothing sealed, so every role reads the same.
    public func timeline(_ f: TimelineFilter) async throws -> [NegotiationEvent] {
        try await engine.read { db in
            var sql = "SELECT e.json FROM negotiation_event e WHERE 1 = 1"
            var args: SQLArguments = []
            if let a = f.agreement { sql += " AND e.id IN (SELECT event FROM event_agreement WHERE agreement = ?)"; args.values.append(a.sqlValue) }
            if let p = f.party { sql += " AND e.id IN (SELECT event FROM event_party WHERE party = ?)"; args.values.append(p.sqlValue) }
            if !f.kinds.isEmpty {
                sql += " AND e.kind IN (\(f.kinds.map { _ in "?" }.joined(separator: ", ")))"
                for k in f.kinds.map(\.rawValue).sorted() { args.values.append(k.sqlValue) }
            }
            if let d = f.from { sql += " AND e.day >= ?"; args.values.append(Int64(d.ordinal).sqlValue) }
            if let d = f.until { sql += " AND e.day < ?"; args.values.append(Int64(d.ordinal).sqlValue) }
            sql += " ORDER BY e.day, e.id LIMIT ?"
            args.values.append(f.limit.sqlValue)
            return try db.values(String.self, sql, args).map { try NegotiationEvent(json: JSONObject(JSONParser.parse($0), path: "")) }
        }
    }
}
