import AssayDomain

/// The words the registry's own values are shown in: kinds, statuses, OECD responses, severities,
/// controller kinds and fact labels, in English and French. The API and the exports keep the values
/// as identifiers (`state-owned-enterprise`, `in-force`); a page shows them through ``Language/term(_:)``.
/// Kept apart from ``Language/table`` (the interface's sentences) because each group here must cover
/// every case of a domain enum, which `VocabularyTests` checks case by case in both languages.
enum Vocabulary {
    /// `group.value` → (English, French).
    static let table: [String: (String, String)] = [
        // PartyKind
        "party.state": ("state", "État"),
        "party.company": ("company", "entreprise"),
        "party.agency": ("agency", "agence"),
        "party.person": ("person", "personne"),
        "party.organisation": ("organisation", "organisation"),
        "party.state-owned-enterprise": ("state-owned enterprise", "entreprise publique"),
        "party.armed-group": ("armed group", "groupe armé"),
        "party.joint-body": ("joint body", "organe conjoint"),
        // SiteKind
        "site.industrial-mine": ("industrial mine", "mine industrielle"),
        "site.artisanal-site": ("artisanal site", "site artisanal"),
        "site.processing-plant": ("processing plant", "usine de traitement"),
        "site.smelter-refinery": ("smelter or refinery", "fonderie ou raffinerie"),
        "site.trading-post": ("trading post", "comptoir"),
        "site.border-crossing": ("border crossing", "poste frontière"),
        "site.port": ("port", "port"),
        // ConcessionStatus
        "title.applied": ("applied for", "demandé"),
        "title.granted": ("granted", "octroyé"),
        "title.suspended": ("suspended", "suspendu"),
        "title.refused": ("refused", "refusé"),
        "title.expired": ("expired", "expiré"),
        "title.revoked": ("revoked", "retiré"),
        "title.relinquished": ("relinquished", "renoncé"),
        // AgreementStatus
        "agreement.proposed": ("proposed", "proposé"),
        "agreement.negotiating": ("negotiating", "en négociation"),
        "agreement.signed": ("signed", "signé"),
        "agreement.in-force": ("in force", "en vigueur"),
        "agreement.suspended": ("suspended", "suspendu"),
        "agreement.disputed": ("disputed", "contesté"),
        "agreement.terminated": ("terminated", "résilié"),
        // AgreementKind
        "agreement-kind.minerals-for-security": ("minerals for security", "minerais contre sécurité"),
        "agreement-kind.offtake": ("offtake", "contrat d’enlèvement"),
        "agreement-kind.joint-venture": ("joint venture", "coentreprise"),
        "agreement-kind.minerals-for-infrastructure": ("minerals for infrastructure", "minerais contre infrastructures"),
        "agreement-kind.memorandum": ("memorandum", "protocole d’accord"),
        "agreement-kind.strategic-partnership": ("strategic partnership", "partenariat stratégique"),
        "agreement-kind.security-memorandum": ("security memorandum", "protocole d’accord de sécurité"),
        "agreement-kind.peace-agreement": ("peace agreement", "accord de paix"),
        // AgreementRole
        "role.grantor": ("grantor", "concédant"),
        "role.grantee": ("grantee", "bénéficiaire"),
        "role.partner": ("partner", "partenaire"),
        "role.guarantor": ("guarantor", "garant"),
        "role.witness": ("witness", "témoin"),
        "role.mediator": ("mediator", "médiateur"),
        "role.security-provider": ("security provider", "fournisseur de sécurité"),
        // AgreementRelation, read from either side
        "relation.conditional-on": ("conditional on", "conditionné à"),
        "relation.condition of": ("condition of", "condition de"),
        "relation.paired-with": ("paired with", "conclu avec"),
        "relation.implements": ("implements", "met en œuvre"),
        "relation.implemented by": ("implemented by", "mis en œuvre par"),
        // ObligationKind
        "obligation.training": ("training", "formation"),
        "obligation.equipment": ("equipment", "équipement"),
        "obligation.intelligence": ("intelligence", "renseignement"),
        "obligation.advisory": ("advisory", "conseil"),
        "obligation.sanctions-pressure": ("sanctions pressure", "pression par les sanctions"),
        "obligation.diplomatic-pressure": ("diplomatic pressure", "pression diplomatique"),
        "obligation.base-access": ("base access", "accès aux bases"),
        "obligation.troop-withdrawal": ("troop withdrawal", "retrait des troupes"),
        "obligation.security-operations": ("security operations", "opérations de sécurité"),
        "obligation.investment": ("investment", "investissement"),
        "obligation.infrastructure": ("infrastructure", "infrastructures"),
        "obligation.local-processing": ("local processing", "transformation locale"),
        "obligation.jobs": ("jobs", "emplois"),
        "obligation.mineral-delivery": ("mineral delivery", "livraison de minerais"),
        "obligation.payment": ("payment", "paiement"),
        // CustodyEventKind
        "custody.extraction": ("extraction", "extraction"),
        "custody.tagging": ("tagging", "étiquetage"),
        "custody.weighing": ("weighing", "pesée"),
        "custody.transfer": ("transfer", "cession"),
        "custody.acceptance": ("acceptance", "acceptation"),
        "custody.transport": ("transport", "transport"),
        "custody.processing": ("processing", "traitement"),
        "custody.split": ("split", "division"),
        "custody.blend": ("blend", "mélange"),
        "custody.export": ("export", "exportation"),
        "custody.receipt": ("receipt", "réception"),
        // ProductForm
        "form.ore": ("ore", "minerai"),
        "form.concentrate": ("concentrate", "concentré"),
        "form.hydroxide": ("hydroxide", "hydroxyde"),
        "form.carbonate": ("carbonate", "carbonate"),
        "form.sulphate": ("sulphate", "sulfate"),
        "form.oxide": ("oxide", "oxyde"),
        "form.cathode": ("cathode", "cathode"),
        "form.ingot": ("ingot", "lingot"),
        "form.metal": ("metal", "métal"),
        "form.other": ("other", "autre"),
        // LotRecord.status
        "lot.consumed": ("consumed", "consommé"),
        "lot.received": ("received", "réceptionné"),
        "lot.exported": ("exported", "exporté"),
        "lot.in-transfer": ("in transfer", "en cours de cession"),
        "lot.held": ("held", "détenu"),
        // A royalty line's status in the buyer's report
        "royalty.paid": ("paid", "payée"),
        "royalty.unpaid": ("unpaid", "impayée"),
        "royalty.no-price": ("no price declared", "aucun prix déclaré"),
        // Exclusivity of a grant, and the kind of a claim a collision names
        "exclusivity.exclusive": ("exclusive", "exclusif"),
        "exclusivity.first-offer": ("first offer", "premier refus"),
        "exclusivity.non-exclusive": ("non-exclusive", "non exclusif"),
        "claim.exclusive": ("exclusive grant", "droit exclusif"),
        "claim.first-offer": ("first-offer grant", "droit de premier refus"),
        "claim.non-exclusive": ("non-exclusive grant", "droit non exclusif"),
        "claim.concession": ("mining title", "titre minier"),
        // Right
        "right.explore": ("explore", "explorer"),
        "right.extract": ("extract", "extraire"),
        "right.export": ("export", "exporter"),
        "right.offtake": ("offtake", "enlèvement"),
        "right.refine": ("refine", "raffiner"),
        "right.first-offer": ("first offer", "premier refus"),
        // OECDResponse (and the portal's default when a flag names none)
        "response.disengage": ("disengage", "se désengager"),
        "response.suspend": ("suspend", "suspendre"),
        "response.mitigate": ("mitigate", "atténuer"),
        "response.review": ("review", "examiner"),
        // FlagSeverity
        "severity.low": ("low", "faible"),
        "severity.medium": ("medium", "moyenne"),
        "severity.high": ("high", "élevée"),
        // ControllerKind
        "controller.non-state": ("non-state", "non étatique"),
        "controller.state": ("state", "étatique"),
        // Fact labels on party, site and title pages
        "fact.id": ("id", "identifiant"),
        "fact.country": ("country", "pays"),
        "fact.members": ("members", "membres"),
        "fact.aliases": ("other names", "autres noms"),
        "fact.minerals": ("minerals", "minerais"),
        "fact.province": ("province", "province"),
        "fact.latlon": ("lat, lon", "lat., long."),
        "fact.capacity": ("t/year", "t/an"),
        "fact.ipis": ("IPIS", "IPIS"),
        "fact.holder": ("holder", "détenteur"),
        "fact.cells": ("cells", "carrés"),
        "fact.provinces": ("provinces", "provinces"),
        "fact.granted": ("granted", "octroyé le"),
        "fact.expires": ("expires", "expire le"),
    ]

    static let english: [String: String] = table.mapValues(\.0)
    static let french: [String: String] = table.mapValues(\.1)
}

extension Language {
    /// A registry value in words: `term("party", "state-owned-enterprise")` is "entreprise publique" in
    /// French. A value the catalogue lacks is shown as is (it is an identifier, never blank).
    func term(_ group: String, _ value: String) -> String {
        (self == .fr ? Vocabulary.french : Vocabulary.english)["\(group).\(value)"] ?? value
    }
}

extension Language {
    /// A collision in words: which claim, whose, how many cells where, which minerals, when.
    func collision(_ c: Collision) -> String {
        let minerals = c.minerals.sorted.map { self == .fr ? $0.frenchName : $0.englishName }.joined(separator: ", ")
        let box = c.boundingBox.map { " \(self == .fr ? "dans" : "in") \($0)" } ?? ""
        switch self {
        case .en:
            let what = c.claimKind == .concession ? "title \(c.claimID) held by \(c.holder)" : "\(term("claim", c.claimKind.rawValue)) \(c.claimID) to \(c.holder)"
            return "\(what): \(c.cellCount) cells\(box), \(minerals), \(c.period.text)"
        case .fr:
            let what = c.claimKind == .concession ? "titre \(c.claimID) détenu par \(c.holder)" : "\(term("claim", c.claimKind.rawValue)) \(c.claimID) accordé à \(c.holder)"
            return "\(what) : \(c.cellCount) carrés\(box), \(minerals), \(c.period.text)"
        }
    }

    /// Where a grant applies, in words.
    func area(_ a: Area) -> String {
        guard self == .fr else { return a.text }
        switch a {
        case .cells(let c): return "\(c.count) carrés"
        case .provinces(let p): return p.joined(separator: ", ")
        case .country(let c): return "tout le pays (\(c))"
        case .circle(let lat, let lon, let r): return "\(DecimalText.canonical(r)) km autour de \(DecimalText.canonical(lat)), \(DecimalText.canonical(lon))"
        }
    }
}
