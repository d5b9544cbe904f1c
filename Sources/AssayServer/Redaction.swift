import AssayDomain
import AssayStore

/// What each role may see of a record. Agreement documents and obligations can be confidential: the
/// public and operators see that they exist (and a document's hash, which is in the log), not their
/// content; registrars and auditors see everything.
enum Redaction {
    static func view(_ record: JSONValue, kind: EntityKind, role: Role) -> JSONValue {
        guard role == .public || role == .operator, case .object(var m) = record else { return record }
        switch kind {
        case .agreement:
            if case .array(let docs)? = m["documents"] {
                m["documents"] = .array(docs.map { doc in
                    guard case .object(let d) = doc, d["confidential"] == .bool(true) else { return doc }
                    return .object(["sha256": d["sha256"] ?? .null, "confidential": .bool(true)])
                })
            }
        case .obligation:
            if m["confidential"] == .bool(true) {
                for key in ["description", "quantity", "value", "sources"] { m.removeValue(forKey: key) }
                m["redacted"] = .bool(true)
            }
        default: break
        }
        return .object(m)
    }
}
