import AssayDomain

extension RelationalStore {
    /// The entity with this id as `role` may see it (``Disclosure``).
    public func find(_ id: String, as role: Role) async throws -> EntityRecord? {
        guard var record = try await find(id) else { return nil }
        guard !Disclosure.seesSealed(role) else { return record }
        if record.kind == .reserve { return try await disclosedReserve(record, role: role) }
        let sealed = try await confidentialObligations(among: [record])
        record.json = Disclosure.record(record.json, kind: record.kind, role: role, isConfidentialObligation: sealed.contains)
        return record
    }

    /// Entities of one kind, by id after `cursor`, as `role` may see them (``Disclosure``): callers
    /// filter what this returns, never the raw rows.
    public func list(_ kind: EntityKind, after cursor: String?, limit: Int, as role: Role) async throws -> [EntityRecord] {
        var records = try await list(kind, after: cursor, limit: limit)
        guard !Disclosure.seesSealed(role) else { return records }
        if kind == .reserve {
            for i in records.indices { records[i] = try await disclosedReserve(records[i], role: role) }
            return records
        }
        let sealed = try await confidentialObligations(among: records)
        return records.map { r in
            var x = r
            x.json = Disclosure.record(r.json, kind: kind, role: role, isConfidentialObligation: sealed.contains)
            return x
        }
    }

    /// The registry as `role` may see it (``Disclosure``).
    public func registry(as role: Role) async throws -> RegistrySnapshot {
        Disclosure.registry(try await registry(), role: role)
    }

    /// Of the obligations the given deliveries are against, those that are confidential.
    func confidentialObligations(among records: [EntityRecord]) async throws -> Set<String> {
        var ids = Set<String>()
        for r in records where r.kind == .delivery {
            if case .object(let m) = r.json, case .string(let o)? = m["obligation"] { ids.insert(o) }
        }
        var out = Set<String>()
        for id in ids {
            guard let o = try await find(id) else { continue }
            if case .object(let m) = o.json, m["confidential"] == .bool(true) { out.insert(id) }
        }
        return out
    }
}
