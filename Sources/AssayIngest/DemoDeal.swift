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

    /// What the peace track owes beside the minerals deal, and how the agreements hang together: the
    /// obligations of the DRC–Rwanda Peace Agreement (27 Jun 2025) whose obligors are not parties to the
    /// US–DRC partnership, and the links that put them on the partnership's page and balance.
    static func links() throws -> [JSONValue] {
        let peace = try DemoSet.agreementSources("drc-rwanda-peace-2025")
        let accords = try DemoSet.agreementSources("washington-accords-2025")
        return [
            ["type": "record-obligation", "id": "rw-troop-withdrawal-2025", "agreement": "drc-rwanda-peace-2025", "obligor": "rw", "beneficiary": "cd",
             "kind": "troop-withdrawal", "description": "Disengagement and withdrawal of Rwandan defensive measures (troops) from DRC territory within 90 days of signing.",
             "quantity": ["amount": "1", "unit": "withdrawal completed"], "due": "2025-09-25", "sources": .array(peace)],
            ["type": "record-obligation", "id": "cd-fdlr-operations-2025", "agreement": "drc-rwanda-peace-2025", "obligor": "cd", "beneficiary": "rw",
             "kind": "security-operations", "description": "Operations to neutralise the FDLR, under the harmonised concept of operations.",
             "sources": .array(peace)],
            ["type": "link-agreements", "agreement": "us-drc-spa-2025", "linked": "washington-accords-2025", "relation": "paired-with",
             "note": "Signed the same day in Washington (4 Dec 2025).", "sources": .array(accords)],
            ["type": "link-agreements", "agreement": "washington-accords-2025", "linked": "drc-rwanda-peace-2025", "relation": "implements",
             "note": "The Accords reaffirm and carry out the Peace Agreement of 27 Jun 2025.", "sources": .array(accords)],
        ]
    }

    static func party(_ id: String, _ name: String, _ kind: String, _ country: String?, aliases: [String] = [], members: [String] = []) -> JSONValue {
        var m: [String: JSONValue] = ["type": "register-party", "id": .string(id), "name": .string(name), "kind": .string(kind)]
        if let country { m["country"] = .string(country) }
        if !aliases.isEmpty { m["aliases"] = .array(aliases.map { .string($0) }) }
        if !members.isEmpty { m["members"] = .array(members.map { .string($0) }) }
        return .object(m)
    }

    static func event(_ id: String, _ kind: String, _ date: String, _ title: String, actors: [String], participants: [String] = [],
                      onBehalfOf: String? = nil, agreements: [String] = [], changes: [String] = [], month: Bool = false,
                      summary: String? = nil, sources: [JSONValue]) -> JSONValue {
        var m: [String: JSONValue] = ["type": "record-event", "id": .string(id), "kind": .string(kind), "date": .string(date), "title": .string(title),
                                      "actors": .array(actors.map { .string($0) }), "sources": .array(sources)]
        if !participants.isEmpty { m["participants"] = .array(participants.map { .string($0) }) }
        if let onBehalfOf { m["onBehalfOf"] = .string(onBehalfOf) }
        if !agreements.isEmpty { m["agreements"] = .array(agreements.map { .string($0) }) }
        if !changes.isEmpty { m["changes"] = .array(changes.map { .string($0) }) }
        if month { m["precision"] = "month" }
        if let summary { m["summary"] = .string(summary) }
        return .object(m)
    }

    /// The 2025–2026 record: the approaches that led to the partnership, the peace track beside it and the
    /// Joint Steering Committee's designation — each event with its sources. Joint bodies are parties made
    /// of parties. The seeds spell two names two ways: the variants are kept as aliases (search finds both).
    static func record() throws -> [JSONValue] {
        let letter = try DemoSet.agreementSources("drc-letter-to-trump-2025-02")
        let senator = try DemoSet.agreementSources("drc-senator-proposal-2025-02")
        return [
            party("pierre-kanda-kalambayi", "Pierre Kanda Kalambayi", "person", "CD", aliases: ["Pierre Kandi Kalambayi"]),
            party("marco-rubio", "Marco Rubio (US Secretary of State)", "person", "US", aliases: ["Marc Rubio"]),
            party("africa-usa-business-council", "Africa-USA Business Council", "organisation", "US"),
            party("ronny-jackson", "Ronny Jackson (US Representative)", "person", "US"),
            party("massad-boulos", "Massad Boulos (US Senior Advisor for Africa)", "person", "US"),
            party("erik-prince", "Erik Prince", "person", "US"),
            party("denham-capital", "Denham Capital", "company", "US"),
            party("qa", "Qatar", "state", "QA"),
            party("spa-joint-steering-committee", "Joint Steering Committee of the US–DRC Strategic Partnership Agreement", "joint-body", nil, members: ["cd", "us"]),
            party("drc-rwanda-jscm", "Joint Security Coordination Mechanism (DRC–Rwanda Peace Agreement)", "joint-body", nil, members: ["cd", "rw"]),
            event("ev-2025-02-08-letter", "letter", "2025-02-08", "President Tshisekedi writes to President Trump proposing minerals access for a security pact",
                  actors: ["cd"], participants: ["us"], agreements: ["drc-letter-to-trump-2025-02"], sources: letter),
            event("ev-2025-02-21-lobbying", "lobbying", "2025-02-21", "A lobbyist of the Africa-USA Business Council writes to Secretary Rubio and other officials on behalf of Senator Kanda Kalambayi",
                  actors: ["africa-usa-business-council"], participants: ["marco-rubio"], onBehalfOf: "pierre-kanda-kalambayi",
                  agreements: ["drc-senator-proposal-2025-02"], sources: senator),
            event("ev-2025-03-16-visit", "visit", "2025-03-16", "US Representative Ronny Jackson meets President Tshisekedi in Kinshasa",
                  actors: ["ronny-jackson"], participants: ["cd"],
                  summary: "The presidency called him President Trump's special envoy; the US embassy later said he was not one.",
                  sources: ["https://www.miningmx.com/trending/60499-congos-tshisekedi-meets-us-over-minerals-deal/",
                            "https://fr.allafrica.com/stories/202503260517.html"]),
            event("ev-2025-03-18-doha", "meeting", "2025-03-18", "Presidents Tshisekedi and Kagame meet in Doha, hosted by the Emir of Qatar",
                  actors: ["qa"], participants: ["cd", "rw"], agreements: ["drc-rwanda-peace-2025"],
                  sources: ["https://www.ktpress.rw/2025/03/drc-crisis-cautious-optimism-as-presidents-kagame-tshisekedi-hold-talks-in-qatar/",
                            "https://newscentral.africa/rwanda-drc-leaders-meet-in-qatar-back-immediate-ceasefire"]),
            event("ev-2025-03-denham-lobbying", "lobbying", "2025-03-01", "Denham Capital's Washington lobbyists ask Massad Boulos to protect Alphamin's Bisie tin mine",
                  actors: ["denham-capital"], participants: ["massad-boulos"], onBehalfOf: "denham-capital", month: true,
                  sources: ["https://africa-confidential.com/article/id/15443/washington-tries-a-new-push-in-kinshasa"]),
            event("ev-2025-04-01-envoy", "statement", "2025-04-01", "The State Department names Massad Boulos Senior Advisor for Africa (the Great Lakes envoy)",
                  actors: ["us"], participants: ["massad-boulos"],
                  sources: ["https://gbc1.net/index.php/2025/04/18/trump-highly-values-africa-and-african-people-says-new-us-senior-advisor-for-africa-massad-boulos/"]),
            event("ev-2025-04-03-boulos", "meeting", "2025-04-03", "Massad Boulos and President Tshisekedi agree on a path forward for a minerals deal",
                  actors: ["massad-boulos"], participants: ["cd"], agreements: ["us-drc-spa-2025"],
                  sources: ["https://semafor.com/article/04/11/2025/trumps-africa-envoy-laid-groundwork-for-minerals-deal-in-dr-congo",
                            "https://africaninsider.com/countries/leader-of-crisis-hit-drc-meets-trump-africa-advisor"]),
            event("ev-2025-01-prince", "meeting", "2025-01-01", "The DRC agrees with Erik Prince to help secure and tax its mineral revenues (reported 18 Apr 2025)",
                  actors: ["cd"], participants: ["erik-prince"], month: true,
                  summary: "Reported as reached before the M23 offensive of January 2025; focused on tax collection and smuggling in Katanga.",
                  sources: ["https://www.timeslive.co.za/sunday-times-daily/africa/2025-04-18-trump-supporter-prince-reaches-deal-with-drc-to-secure-mineral-wealth/",
                            "https://www.military.africa/2025/04/blackwater-to-secure-and-tax-dr-congos-vast-mineral-wealth/"]),
            event("ev-2026-01-shortlist", "proposal", "2026-01-01", "The DRC sends Washington a shortlist of state-owned mining assets",
                  actors: ["cd"], participants: ["us"], agreements: ["us-drc-spa-2025"], changes: ["spa-reserve-shortlist-2026-01"], month: true,
                  sources: shortlistSources),
            event("ev-2026-02-04-designation", "decision", "2026-02-04", "The Joint Steering Committee designates the initial Strategic Asset Reserve list (not public)",
                  actors: ["spa-joint-steering-committee"], agreements: ["us-drc-spa-2025"], changes: ["spa-reserve-initial-2026-02"],
                  sources: designationSources),
        ]
    }

    /// Where the sources disagree: the day of Representative Jackson's visit, and whether he was the
    /// president's special envoy. Both sides are kept with their sources; the registry says what it uses.
    static func claims() -> [JSONValue] {
        [
            ["type": "record-claim", "id": "claim-jackson-date-16", "subject": "ev-2025-03-16-visit", "field": "date", "value": "2025-03-16 (Sunday)",
             "source": "https://plumeinfos.net/?p=11584", "confidence": "high", "used": true,
             "reason": "The presidency's account, as reported, and the other reports give Sunday 16 March."],
            ["type": "record-claim", "id": "claim-jackson-date-15", "subject": "ev-2025-03-16-visit", "field": "date", "value": "2025-03-15 (\"dimanche 15 mars\")",
             "source": "https://www.alwihdainfo.com/RDC-le-president-Tshisekedi-a-recu-l-envoye-special-du-president-americain-Donald-Trump_a139547.html",
             "confidence": "low"],
            ["type": "record-claim", "id": "claim-jackson-envoy", "subject": "ronny-jackson", "field": "role", "value": "Special envoy of President Trump",
             "source": "https://www.miningmx.com/trending/60499-congos-tshisekedi-meets-us-over-minerals-deal/", "confidence": "medium"],
            ["type": "record-claim", "id": "claim-jackson-not-envoy", "subject": "ronny-jackson", "field": "role", "value": "Not a special envoy of the President (US embassy in Kinshasa)",
             "source": "https://fr.allafrica.com/stories/202503260517.html", "confidence": "high", "used": true,
             "reason": "The US embassy speaks for the US government on who represents it; the presidency's title was not confirmed."],
        ]
    }

    /// National totals the aggregates state their coverage against (the demo registers the capacities of a
    /// few major producers only; the rest of each country total shows as "not registered").
    static func nationalOutputs() -> [JSONValue] {
        [
            ["type": "record-national-output", "mineral": "cobalt", "year": 2023, "tonnes": "170000",
             "note": "DRC mine production, as the US Geological Survey gives it for 2023.",
             "sources": ["https://www.usgs.gov/publications/mineral-commodity-summaries-2024",
                         "https://wearecryptonians.com/5-largest-cobalt-mines-in-the-world-updated-2024"]],
            ["type": "record-national-output", "mineral": "copper", "year": 2024, "tonnes": "2900000",
             "note": "Benchmark Mineral Intelligence's estimate of the DRC's 2024 copper output.",
             "sources": ["https://fmdrc-zambia.com/ivanhoe-achieves-record-copper-production-in-november-at-its-kamoa-kakula-copper-complex-in-drc/"]],
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
        out += try links()
        out += try record()
        out += claims()
        out += nationalOutputs()
        return out
    }
}
