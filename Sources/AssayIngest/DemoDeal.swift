import AssayDomain
import Foundation

/// The demo's part of the deal as it works (issue 13): an agreement that counts only when every party
/// has signed, with demo keys for the two states.
///
/// Synthetic, and labelled so: the agreement below is an illustration (the real agreements' statuses come
/// from their sources in `drc_agreements.csv`), and the keys are demo keys derived from public seeds, as the
/// custody story's are — they prove the mechanism, not anyone's consent.
enum DemoDeal {
    /// Parties with a demo key for signing agreements.
    static let keyParties = ["cd", "us"]

    static func key(_ party: String) -> OperatorSigningKey {
        OperatorSigningKey(keyID: "\(party)-agreements-demo-key", party: party, demoSeed: Array("assay demo agreement key \(party)".utf8))
    }

    static func time(_ s: String) -> Timestamp {
        // The demo's fixed instants are well-formed: a failure here is a typo in this file.
        (try? Timestamp(iso: s, field: "demo")) ?? Timestamp(milliseconds: 0)
    }

    /// Guidelines under the SPA that the DRC has signed and the United States has not (yet): the
    /// agreement shows as negotiating, with one signature in and one missing.
    static let guidelines = Agreement(
        id: "spa-offtake-guidelines-demo", title: "Offtake guidelines under the US–DRC Strategic Partnership Agreement (synthetic example)",
        kind: .strategicPartnership, parties: [.init(party: "cd", role: .grantor), .init(party: "us", role: .partner)],
        status: .negotiating, signed: nil, supersedes: nil,
        summary: "A synthetic agreement that counts only when both states have signed its terms: the DRC's signature is in the log, the United States' is not.",
        requiresSignatures: true, provenance: Provenance(synthetic: true))

    static func commands() throws -> [JSONValue] {
        var out: [JSONValue] = []
        for p in keyParties {
            out.append(Command.registerKey(key(p).registration(validFrom: time("2025-01-01T00:00:00.000Z"))).json)
        }
        out.append(Command.registerAgreement(guidelines).json)
        out.append(Command.signAgreement(try key("cd").sign(agreement: guidelines, at: time("2026-02-04T15:00:00.000Z"))).json)
        return out
    }
}
