/// An API token as stored: its id, role and party; the secret itself is never stored.
public struct APIToken: Sendable, Hashable {
    public var id: String
    public var role: Role
    public var party: String?
    public var created: String
    public var revoked: String?
    /// When it stops being accepted (ISO 8601, UTC), if it expires.
    public var expires: String?
    /// When it was last accepted, to the minute (written at most once a minute per token).
    public var lastUsed: String?

    public init(id: String, role: Role, party: String?, created: String, revoked: String?, expires: String? = nil, lastUsed: String? = nil) {
        self.id = id; self.role = role; self.party = party; self.created = created; self.revoked = revoked
        self.expires = expires; self.lastUsed = lastUsed
    }
}
