import AssayDomain

/// The one place that decides what each role may see of the registry.
///
/// Confidential details are sealed out of the public log (see ``Sealing``); the projections keep them
/// for auditors and registrars. Every read that leaves the store for a caller — API records and lists,
/// portal pages, search, reports, exports, feeds, proof bundles — goes through one of these functions
/// *before* anything filters, searches, counts or renders it, so a filter can never match on a value
/// the caller may not read.
///
/// Sealed for the public and operators:
/// - a confidential obligation's description, quantity, value and sources;
/// - a delivery against a confidential obligation: its quantity, value, evidence, note and sources;
/// - a confidential agreement document's URL and title (its SHA-256 is in the log, so it stays);
/// - a confidential reserve's assets, until each is offered (its size, hash and commitments stay).
public enum Disclosure {
    /// Whether `role` reads sealed details.
    public static func seesSealed(_ role: Role) -> Bool { role == .registrar || role == .auditor }

    /// The members of a confidential obligation that only auditors and registrars read.
    public static let sealedObligationMembers = ["description", "quantity", "value", "sources"]
    /// The members of a delivery against a confidential obligation that only they read.
    public static let sealedDeliveryMembers = ["quantity", "value", "evidence", "note", "sources"]

    /// A record as `role` may see it. `isConfidentialObligation` answers for a delivery's obligation.
    public static func record(_ json: JSONValue, kind: EntityKind, role: Role,
                              isConfidentialObligation: (String) -> Bool) -> JSONValue {
        guard !seesSealed(role), case .object(var m) = json else { return json }
        switch kind {
        case .agreement:
            if case .array(let docs)? = m["documents"] { m["documents"] = .array(docs.map(document)) }
        case .obligation:
            if m["confidential"] == .bool(true) {
                for key in sealedObligationMembers { m.removeValue(forKey: key) }
                m["redacted"] = .bool(true)
            }
        case .delivery:
            if case .string(let obligation)? = m["obligation"], isConfidentialObligation(obligation) {
                for key in sealedDeliveryMembers { m.removeValue(forKey: key) }
                m["redacted"] = .bool(true)
            }
        default: break
        }
        return .object(m)
    }

    /// A confidential reserve as `role` may see it: for the public and operators, its logged entry (that
    /// it exists, its size, its sealed hash and one commitment per asset) with only the assets offered so
    /// far, each of which its offer's entry reveals with the salt of its commitment.
    public static func reserve(_ full: JSONValue, publicEntry: JSONValue?, offered: Set<String>, role: Role) -> JSONValue {
        guard !seesSealed(role), case .object(let m) = full, m["confidential"] == .bool(true) else { return full }
        var out: [String: JSONValue] = [:]
        if case .object(let p)? = publicEntry { out = p }
        out["type"] = nil
        for k in ["id", "agreement", "title", "confidential"] where out[k] == nil { out[k] = m[k] }
        if case .array(let assets)? = m["assets"] {
            out["assets"] = .array(assets.filter { a in
                if case .object(let x) = a, case .string(let id)? = x["id"] { offered.contains(id) } else { false }
            })
        }
        out["redacted"] = .bool(true)
        return .object(out)
    }

    /// A confidential document reduced to its hash; others unchanged.
    static func document(_ doc: JSONValue) -> JSONValue {
        guard case .object(let d) = doc, d["confidential"] == .bool(true) else { return doc }
        return .object(["sha256": d["sha256"] ?? .null, "confidential": .bool(true)])
    }

    /// The registry as `role` may see it: sealed values are removed from the values themselves, so
    /// balances, totals, charts and search computed from the result cannot reveal them.
    public static func registry(_ r: RegistrySnapshot, role: Role) -> RegistrySnapshot {
        guard !seesSealed(role) else { return r }
        var out = r
        let confidential = Set(r.obligations.filter(\.confidential).map(\.id))
        out.obligations = r.obligations.map { o in
            guard o.confidential else { return o }
            var x = o
            x.description = ""
            x.quantity = nil
            x.value = nil
            x.provenance.sources = []
            return x
        }
        out.deliveries = r.deliveries.map { d in
            guard confidential.contains(d.obligation) else { return d }
            var x = d
            x.quantity = nil
            x.value = nil
            x.evidence = []
            x.note = nil
            x.provenance.sources = []
            return x
        }
        out.agreements = r.agreements.map { a in
            var x = a
            x.documents = a.documents.map { d in
                guard d.confidential else { return d }
                var y = d
                y.url = nil
                y.title = nil
                return y
            }
            return x
        }
        return out
    }
}
