import AssayDomain

/// One party's signature of an agreement as the log holds it, with the entry that recorded it.
public struct RecordedSignature: Sendable, Hashable {
    public var signature: AgreementSignature
    /// The journal entry (its index is `sequence - 1`): anyone can ask the log for its inclusion proof.
    public var sequence: Int64
}

/// Where an agreement that asks for every party's signature stands.
public struct SignatureStatus: Sendable {
    public var agreement: Agreement
    /// The digest every signature must cover (``Agreement/termsDigest``).
    public var terms: String
    /// In the order they were recorded.
    public var signatures: [RecordedSignature]
    /// The parties whose signature is not recorded yet, in the agreement's order.
    public var missing: [String]
}

extension RelationalStore {
    /// The signatures recorded for `agreement`, and who has not signed yet; nil when there is no such agreement.
    public func signatureStatus(_ agreement: String) async throws -> SignatureStatus? {
        try await engine.read { db in
            guard let json = try db.value(String.self, "SELECT json FROM agreement WHERE id = ?", [agreement]) else { return nil }
            let a = try Agreement(json: JSONObject(JSONParser.parse(json), path: ""))
            var signatures: [RecordedSignature] = []
            for row in try db.rows("SELECT seq, json FROM agreement_signature WHERE agreement = ? ORDER BY seq", [agreement]) {
                guard case .signAgreement(let s) = try Command(jsonText: row[1] as String) else { continue }
                signatures.append(RecordedSignature(signature: s, sequence: try row[0]))
            }
            let signed = Set(signatures.map(\.signature.party))
            return SignatureStatus(agreement: a, terms: a.termsDigest, signatures: signatures,
                                   missing: a.parties.map(\.party).filter { !signed.contains($0) })
        }
    }
}
