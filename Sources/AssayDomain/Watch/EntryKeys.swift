/// The keys a journal entry touches: what feeds, subscriptions and monitors filter on.
///
/// A key is `kind:value`, with kind one of `type` (the command's type), `id` (the entry's subject, whatever it
/// is), `party`, `site`, `title`, `agreement`, `lot`, `mineral`, `province`, `reserve`. They are computed from
/// the entry's public command JSON alone — the bytes in the log — so anyone holding the log computes the same
/// keys (a monitor does, offline), and a sealed value, absent from the public entry, can never be matched.
///
/// The server's feeds add one key the entry alone does not give: an entry that touches a site or a title
/// also touches the provinces they lie in (`province:CD-LU`, from the registry's ADM1 boundaries).
///
/// Members are read by name wherever they sit in the command (a custody event's `event.lot.id`, an
/// agreement's `parties[].party`): a member named like a party (`party`, `holder`, `payer`, …) gives a
/// `party:` key, and so on; a member that holds an object gives its `id`.
public enum EntryKeys {
    /// The kinds of key, in the order their filters are named in the API (`?party=`, `?lot=`, …).
    public static let kinds = ["type", "id", "party", "site", "title", "agreement", "lot", "mineral", "province", "reserve"]

    /// Member names and the kind of key their values are.
    static let members: [String: String] = [
        "party": "party", "parties": "party", "holder": "party", "payer": "party", "obligor": "party", "beneficiary": "party",
        "operator": "party", "recipient": "party", "onBehalfOf": "party", "interestedParty": "party", "members": "party",
        "participants": "party", "designated": "party",
        "site": "site", "sites": "site",
        "concession": "title",
        "agreement": "agreement", "agreements": "agreement", "linked": "agreement",
        "lot": "lot", "lots": "lot", "inputs": "lot", "outputs": "lot",
        "mineral": "mineral", "minerals": "mineral",
        "province": "province", "provinces": "province",
        "reserve": "reserve",
    ]

    /// The kind of an entry's subject, by command type (others are only `id:`).
    static let subjects: [String: String] = [
        "register-party": "party", "register-site": "site", "update-site": "site", "register-concession": "title",
        "change-concession-status": "title", "register-agreement": "agreement", "change-agreement-status": "agreement",
        "sign-agreement": "agreement", "link-agreements": "agreement", "register-reserve": "reserve",
    ]

    /// The sorted keys of the entry whose command is `command` (its public JSON, as in the log).
    public static func keys(of command: JSONValue) -> [String] {
        guard case .object(let m) = command, case .string(let type)? = m["type"] else { return [] }
        var out: Set<String> = ["type:" + type]
        if let subject = subjectID(m) {
            out.insert("id:" + subject)
            if let kind = subjects[type] { out.insert(kind + ":" + subject) }
        }
        if type == "record-ownership", case .string(let s)? = m["subject"] { out.insert("party:" + s) }
        walk(command, into: &out, depth: 0)
        return out.sorted()
    }

    /// The subject as ``Command/subjectID`` gives it, read from the JSON (the command need not be decoded).
    static func subjectID(_ m: [String: JSONValue]) -> String? {
        for name in ["id", "subject", "key", "agreement", "offer"] {
            if case .string(let s)? = m[name] { return s }
        }
        if case .object(let e)? = m["event"], case .string(let s)? = e["id"] { return s }
        return nil
    }

    static func walk(_ value: JSONValue, into out: inout Set<String>, depth: Int) {
        guard depth < 8 else { return }
        switch value {
        case .object(let m):
            for (name, v) in m {
                if let kind = members[name] { collect(v, kind: kind, into: &out) }
                walk(v, into: &out, depth: depth + 1)
            }
        case .array(let items):
            for v in items { walk(v, into: &out, depth: depth + 1) }
        default: break
        }
    }

    /// A member's value as keys: a string, each string of an array, an object's `id` (or `party`).
    static func collect(_ value: JSONValue, kind: String, into out: inout Set<String>) {
        switch value {
        case .string(let s) where !s.isEmpty && s.count <= 200:
            out.insert(kind + ":" + (kind == "mineral" ? s.lowercased() : s))
        case .array(let items):
            for v in items { collect(v, kind: kind, into: &out) }
        case .object(let o):
            if case .string(let id)? = o["id"] { out.insert(kind + ":" + id) } else if case .string(let p)? = o["party"] { out.insert(kind + ":" + p) }
        default: break
        }
    }
}
