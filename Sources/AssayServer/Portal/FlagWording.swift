import AssayDomain

/// A flag's explanation in the reader's language. The domain explains each flag in English (what the
/// API and the exports carry); a French page words it again here from the flag's evidence, rule by
/// rule, so no English sentence reaches a French reader. Every rule has a French wording: the switches
/// are exhaustive, so a new rule does not compile until it has one.
enum FlagWording {
    /// `explanation` as is in English; in French, the rule's sentence filled from `evidence` (or, for a
    /// rule whose evidence lacks a value, the sentence with what is known).
    static func explain(rule: String, evidence: [String: String], explanation: String, language: Language) -> String {
        guard language == .fr else { return explanation }
        func e(_ k: String) -> String { evidence[k] ?? "?" }
        if let r = RiskFlag.Rule(rawValue: rule) {
            switch r {
            case .originNonStateControl:
                return "le site \(e("site")) est sur un terrain tenu par \(e("controller")) le \(e("day")) — évaluation \(e("assessment")) (\(confidence(e("confidence"))))"
            case .routeNonStateControl:
                return "le lot est passé par \(e("site")) le \(e("day")), terrain tenu par \(e("controller")) — évaluation \(e("assessment")) (\(confidence(e("confidence"))))"
            case .originArmedInterference:
                return "la visite du \(e("visitDate")) à \(e("site")) a trouvé \(e("actor")) (\(e("actorType"))) intervenant sur le site (\(e("activities")))"
            case .stateForcesIllegalTaxation:
                return "la visite du \(e("visitDate")) à \(e("site")) a trouvé \(e("actor")) (\(e("actorType"))) prélevant des taxes"
            case .worstFormsOfLabour:
                return "la visite du \(e("visitDate")) à \(e("site")) a signalé du travail forcé ou des enfants de moins de 15 ans au travail"
            case .conflictNearSite:
                return "violences à \(e("distanceKm")) km de \(e("site")) le \(e("eventDate")) (événement \(e("event")))"
            }
        }
        if let r = CustodyFlag.Rule(rawValue: rule) {
            switch r {
            case .massGain:
                return "la transformation donne \(e("outputKg")) kg à partir de \(e("inputKg")) kg, plus que la tolérance de \(e("tolerancePercent")) % ne le permet"
            case .siteOverCapacity:
                return "\(e("site")) aurait produit \(e("declaredTonnes")) t en \(e("year")), au-delà de sa capacité de \(e("capacityTonnes")) t par an"
            case .exportExceedsReceipts:
                return "\(e("party")) a exporté \(e("exportedKg")) kg mais n’en a reçu que \(e("receivedKg")) kg"
            case .timeOutOfOrder:
                return "l’événement est daté du \(e("eventTime")), avant l’événement précédent du lot (\(e("previousTime")))"
            case .untraceableExportToNeighbour:
                return "\(e("untracedPercent")) % du lot vient de sites sans titre enregistré (\(e("untracedSites"))), et il est exporté vers le pays voisin \(e("destination"))"
            case .mineralNotListedAtSite:
                return "\(e("mineral")) ne fait pas partie des minerais enregistrés pour \(e("site"))"
            }
        }
        // The agreement report's two rules (`RiskReports.agreement`).
        if rule == "risk.grant-area-held" {
            return "\(e("heldPercent")) % de la zone du droit \(e("grant")) est sur un terrain tenu par un groupe armé non étatique le \(e("day"))"
        }
        if rule == "obligation.overdue" {
            return "l’obligation \(e("obligation")) de \(e("obligor")) est en retard le \(e("day"))"
        }
        if rule == RoyaltyFlag.rule {
            return "\(e("payer")) doit \(e("due")) de redevances sur la période \(e("period")) et a déclaré \(e("paid")) payés"
        }
        return explanation
    }

    /// A confidence level as the evidence carries it (`high`), in French.
    static func confidence(_ raw: String) -> String {
        Confidence(rawValue: raw).map { Language.fr.confidence($0) } ?? raw
    }

    /// The evidence object of a flag as JSON gives it.
    static func evidence(_ flag: [String: JSONValue]) -> [String: String] {
        guard case .object(let m)? = flag["evidence"] else { return [:] }
        return m.compactMapValues { if case .string(let s) = $0 { s } else { nil } }
    }
}
