/// Which witnesses must have cosigned a checkpoint before it is called final, in the policy format of
/// C2SP tlog-witness deployments (as Sigsum writes it):
///
/// ```
/// # the partner registry's witness and an independent one: both
/// witness partner  partner.example/witness+1a2b3c4d+BO…
/// witness ngo      ngo.example/witness+5e6f7a8b+BO…
/// group both all partner ngo
/// quorum both
/// ```
///
/// `witness NAME KEY` names a cosigner key (type 0x04); `group NAME K|any|all MEMBER…` is satisfied when
/// `K` of its members are (a member is a witness or an earlier group); `quorum NAME` says which witness or
/// group decides. Blank lines and `#` comments are skipped; any other line is an error naming its line.
public struct WitnessPolicy: Sendable {
    public struct Group: Sendable {
        public var threshold: Int
        public var members: [String]
    }

    public private(set) var witnesses: [String: CosignatureVerifier] = [:]
    public private(set) var groups: [String: Group] = [:]
    public private(set) var quorum: String

    public init(text: String) throws(LogFormatError) {
        var quorum: String?
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
            let words = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            guard let keyword = words.first else { continue }
            let at = "policy line \(i + 1)"
            switch keyword {
            case "witness":
                guard words.count >= 3 else { throw LogFormatError("\(at): expected \"witness NAME KEY\"") }
                guard witnesses[words[1]] == nil, groups[words[1]] == nil else { throw LogFormatError("\(at): \(words[1]) is named twice") }
                do { witnesses[words[1]] = try CosignatureVerifier(verifierKey: words[2]) } catch { throw LogFormatError("\(at): \(error.message)") }
            case "group":
                guard words.count >= 4 else { throw LogFormatError("\(at): expected \"group NAME K|any|all MEMBER…\"") }
                let members = Array(words.dropFirst(3))
                guard witnesses[words[1]] == nil, groups[words[1]] == nil else { throw LogFormatError("\(at): \(words[1]) is named twice") }
                for m in members where witnesses[m] == nil && groups[m] == nil { throw LogFormatError("\(at): no witness or group \(m) before this line") }
                guard Set(members).count == members.count else { throw LogFormatError("\(at): a member is listed twice") }
                let k: Int
                switch words[2] {
                case "any": k = 1
                case "all": k = members.count
                default:
                    guard let n = Int(words[2]), n >= 1, n <= members.count else {
                        throw LogFormatError("\(at): the threshold must be any, all or 1 to \(members.count)")
                    }
                    k = n
                }
                groups[words[1]] = Group(threshold: k, members: members)
            case "quorum":
                guard words.count == 2, witnesses[words[1]] != nil || groups[words[1]] != nil else {
                    throw LogFormatError("\(at): expected \"quorum NAME\" naming a witness or group defined before it")
                }
                guard quorum == nil else { throw LogFormatError("\(at): a second quorum") }
                quorum = words[1]
            case "log":
                continue  // the log's own key, for tools that keep it in the same file
            default:
                throw LogFormatError("\(at): unknown keyword \(keyword) (witness, group, quorum, log)")
            }
        }
        guard let quorum else { throw LogFormatError("policy: no quorum line") }
        self.quorum = quorum
    }

    /// The witnesses whose cosignature in `note` verifies over its text.
    public func cosigners(of note: SignedNote) -> Set<String> {
        var out: Set<String> = []
        let text = Array(note.text.utf8)
        for (name, v) in witnesses where note.signatures.contains(where: { $0.name == v.name && $0.keyID == v.keyID && v.verify(text: text, signature: $0.signature) }) {
            out.insert(name)
        }
        return out
    }

    /// Whether the witnesses `cosigned` satisfy the quorum.
    public func isSatisfied(by cosigned: Set<String>) -> Bool { satisfied(quorum, cosigned, depth: 0) }

    func satisfied(_ name: String, _ cosigned: Set<String>, depth: Int) -> Bool {
        if witnesses[name] != nil { return cosigned.contains(name) }
        guard let g = groups[name], depth < 32 else { return false }
        return g.members.filter { satisfied($0, cosigned, depth: depth + 1) }.count >= g.threshold
    }

    /// The witness in the policy with this cosigner key, if any.
    public func witness(name: String, keyID: UInt32) -> (String, CosignatureVerifier)? {
        witnesses.first { $0.value.name == name && $0.value.keyID == keyID }.map { ($0.key, $0.value) }
    }
}
