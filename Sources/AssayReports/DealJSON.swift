import AssayDomain
import AssayStore

/// The deal's records as JSON — signatures, the negotiation record, sources that disagree — shared by the
/// command line (`--json`) and the HTTP API.
public enum DealJSON {
    /// `{"agreement","requiresSignatures","status","signed"?,"terms","signatures":[…with "entry"],"missing":[…]}`.
    public static func signatures(_ s: SignatureStatus) -> JSONValue {
        var m: [String: JSONValue] = [
            "agreement": .string(s.agreement.id), "requiresSignatures": .bool(s.agreement.requiresSignatures),
            "status": .string(s.agreement.status.rawValue), "terms": .string(s.terms),
            "signatures": .array(s.signatures.map { r in
                var x = r.signature.json
                x["entry"] = .int(r.sequence)
                return .object(x)
            }),
            "missing": .array((s.agreement.requiresSignatures ? s.missing : []).map { .string($0) }),
        ]
        if let d = s.agreement.signed { m["signed"] = .string(d.iso) }
        return .object(m)
    }

    /// `{"items":[event…]}`, each event with `dateText` (the date as known: to the day or the month).
    public static func timeline(_ events: [NegotiationEvent]) -> JSONValue {
        .object(["items": .array(events.map { e in
            var m = e.json
            m["dateText"] = .string(e.dateText)
            return .object(m)
        })])
    }

    /// `{"items":[{"subject","field","conflicting","used"?,"claims":[…]}…]}`.
    public static func claims(_ groups: [ClaimGroup]) -> JSONValue {
        .object(["items": .array(groups.map { g in
            var m: [String: JSONValue] = ["subject": .string(g.subject), "field": .string(g.field), "conflicting": .bool(g.conflicting),
                                          "claims": .array(g.claims.map { .object($0.json) })]
            if let u = g.used { m["used"] = .string(u.id) }
            return .object(m)
        })])
    }
}
