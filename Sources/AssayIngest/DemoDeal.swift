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

    static let shortlistSources: [JSONValue] = [
        "https://miningandbusiness.com/2026/01/26/congo-offers-u-s-investors-a-shortlist-of-state-mining-assets",
        "https://www.fsxbusiness.com/dr-congo-opens-state-mineral-assets-to-us-investors",
    ]
    static let designationSources: [JSONValue] = [
        "https://www.thefollowup.ai/article/joint-statement-on-the-inaugural-meeting-of-the-joint-steering-committee-of-the-us-drc-strategic-partnership-agreement",
        "https://allafrica.com/stories/202602060495.html",
    ]

    static func asset(_ id: String, _ name: String, _ province: String, _ minerals: [String]) -> JSONValue {
        ["id": .string(id), "name": .string(name), "area": ["provinces": [.string(province)]], "minerals": .array(minerals.map { .string($0) })]
    }

    /// The SPA's Strategic Asset Reserve: the shortlist the DRC sent in January 2026 (as reported; the
    /// areas are whole provinces, synthetic, since the licences' polygons are not published), and the
    /// initial list the Joint Steering Committee designated on 4 Feb 2026, which is not public — here a
    /// confidential reserve whose contents and offers are synthetic, to show the windows and the sealing.
    static func reserves() -> [JSONValue] {
        [
            ["type": "register-party", "id": "demo-us-investor", "name": "US investor (synthetic, demo)", "kind": "company", "country": "US"],
            ["type": "register-reserve", "id": "spa-reserve-shortlist-2026-01", "agreement": "us-drc-spa-2025",
             "title": "Shortlist of state-owned assets the DRC sent to the United States (January 2026, as reported)",
             "assets": [
                asset("kisenge", "Kisenge: manganese, gold and cassiterite licences (area: the province, synthetic)", "CD-LU", ["manganese", "gold", "tin"]),
                asset("mutoshi", "Gécamines' Mutoshi copper-cobalt project (area: the province, synthetic)", "CD-LU", ["copper", "cobalt"]),
                asset("sokimo", "Sokimo's four gold permits (area: the province, synthetic)", "CD-IT", ["gold"]),
                asset("cominiere-lithium", "Cominière's lithium licences (area: the province, synthetic)", "CD-TA", ["lithium"]),
                asset("sakima", "Sakima's coltan, gold and wolframite assets (area: the province, synthetic)", "CD-MA", ["tantalum", "gold", "tungsten"]),
             ],
             "sources": .array(shortlistSources)],
            ["type": "register-reserve", "id": "spa-reserve-initial-2026-02", "agreement": "us-drc-spa-2025", "confidential": true,
             "title": "Initial Strategic Asset Reserve list designated by the Joint Steering Committee (not public; contents synthetic)",
             "designated": "2026-02-04", "synthetic": true,
             "assets": [
                asset("a-mutoshi", "Mutoshi copper-cobalt (synthetic)", "CD-LU", ["copper", "cobalt"]),
                asset("a-kisenge", "Kisenge manganese (synthetic)", "CD-LU", ["manganese"]),
                asset("a-cominiere", "Cominière lithium (synthetic)", "CD-TA", ["lithium"]),
             ],
             "sources": .array(designationSources)],
            ["type": "offer-asset", "id": "spa-offer-1-demo", "reserve": "spa-reserve-initial-2026-02", "asset": "a-mutoshi",
             "beneficiary": "demo-us-investor", "opens": "2026-02-10", "synthetic": true],
            ["type": "resolve-offer", "offer": "spa-offer-1-demo", "status": "renewed", "date": "2026-05-04", "reason": "synthetic: the single renewal"],
            ["type": "offer-asset", "id": "spa-offer-2-demo", "reserve": "spa-reserve-initial-2026-02", "asset": "a-cominiere",
             "beneficiary": "demo-us-investor", "opens": "2026-03-02", "synthetic": true],
            ["type": "resolve-offer", "offer": "spa-offer-2-demo", "status": "refused", "date": "2026-04-20", "reason": "synthetic"],
        ]
    }

    static func commands() throws -> [JSONValue] {
        var out: [JSONValue] = []
        for p in keyParties {
            out.append(Command.registerKey(key(p).registration(validFrom: time("2025-01-01T00:00:00.000Z"))).json)
        }
        out.append(Command.registerAgreement(guidelines).json)
        out.append(Command.signAgreement(try key("cd").sign(agreement: guidelines, at: time("2026-02-04T15:00:00.000Z"))).json)
        out += reserves()
        return out
    }
}
