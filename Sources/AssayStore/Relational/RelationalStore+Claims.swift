import AssayDomain

/// The claims of one subject's field, side by side: conflicting when they give different values.
public struct ClaimGroup: Sendable {
    public var subject: String
    public var field: String
    /// In the order they were recorded.
    public var claims: [SourceClaim]
    /// The claim the registry uses, if one was chosen.
    public var used: SourceClaim? { claims.first(where: \.used) }
    public var conflicting: Bool { Set(claims.map(\.value)).count > 1 }
}

extension RelationalStore {
    /// What sources say, grouped by subject and field (`subject`: only that one's; `conflictsOnly`: only
    /// where they disagree). Claims hold nothing sealed: every role reads the same.
    public func claimGroups(subject: String? = nil, conflictsOnly: Bool = false) async throws -> [ClaimGroup] {
        try await engine.read { db in
            let rows = try subject.map { try db.values(String.self, "SELECT json FROM source_claim WHERE subject = ? ORDER BY seq", [$0]) }
                ?? db.values(String.self, "SELECT json FROM source_claim ORDER BY seq")
            var groups: [String: ClaimGroup] = [:]
            var order: [String] = []
            for text in rows {
                let c = try SourceClaim(json: JSONObject(JSONParser.parse(text), path: ""))
                let key = c.subject + "\u{0}" + c.field
                if groups[key] == nil { order.append(key); groups[key] = ClaimGroup(subject: c.subject, field: c.field, claims: []) }
                groups[key]?.claims.append(c)
            }
            return order.compactMap { groups[$0] }.filter { !conflictsOnly || $0.conflicting }
        }
    }
}
