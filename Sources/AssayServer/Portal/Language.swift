import Hummingbird

/// The portal's languages: French (the DRC's official language) and English.
public enum Language: String, Sendable, CaseIterable {
    case fr, en

    /// `?lang=` first, then the first of fr/en in Accept-Language, then French.
    /// `?lang=` (fr or en; anything else is refused), else the browser's Accept-Language, else French.
    static func choose(_ request: Request) throws -> Language {
        if let q = request.uri.queryParameters["lang"] {
            guard let l = Language(rawValue: String(q)) else { throw Problem.invalid("lang", "lang must be fr or en") }
            return l
        }
        let header = request.headers[.acceptLanguage] ?? ""
        for part in header.split(separator: ",") {
            let tag = part.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
            if tag.hasPrefix("fr") { return .fr }
            if tag.hasPrefix("en") { return .en }
        }
        return .fr
    }

    /// The portal's words in this language (built once: pages read it on every request).
    var strings: [String: String] { self == .fr ? Language.french : Language.english }

    /// One of the portal's words ("" for a key it lacks, as a template renders a missing value).
    subscript(_ key: String) -> String { strings[key] ?? "" }

    static let english: [String: String] = table.mapValues(\.0)
    static let french: [String: String] = table.mapValues(\.1)

    static let table: [String: (String, String)] = [
        "title": ("Assay — minerals-for-security registry", "Assay — registre des accords minerais contre sécurité"),
        "overview": ("Overview", "Vue d’ensemble"),
        "next_page": ("Next page", "Page suivante"),
        "agreements": ("Agreements", "Accords"),
        "map": ("Map", "Carte"),
        "log": ("Verifiable log", "Journal vérifiable"),
        "concessions": ("Mining titles", "Titres miniers"),
        "sites": ("Sites", "Sites"),
        "parties": ("Parties", "Parties"),
        "status": ("Status", "Statut"),
        "kind": ("Kind", "Type"),
        "signed": ("Signed", "Signé le"),
        "entries": ("Journal entries", "Entrées du journal"),
        "latest_checkpoint": ("Latest checkpoint", "Dernier point de contrôle"),
        "recent": ("Recent entries", "Entrées récentes"),
        "grants": ("Rights granted", "Droits accordés"),
        "obligations": ("Obligations", "Obligations"),
        "delivered": ("delivered", "livré"),
        "overdue": ("overdue", "en retard"),
        "contested": ("Contested", "Contesté"),
        "collides_with": ("collides with", "entre en collision avec"),
        "sources": ("Sources", "Sources"),
        "lots": ("Lots", "Lots"),
        "month": ("Month", "Mois"),
        "exposure": ("Ground held by non-state armed groups today", "Terrain tenu aujourd’hui par des groupes armés non étatiques"),
        "held_area": ("share of the granted area", "part de la zone accordée"),
        "held_capacity": ("capacity held", "capacité tenue"),
        "control": ("Who held its ground", "Qui tenait le terrain"),
        "visits": ("Latest visits (IPIS)", "Dernières visites (IPIS)"),
        "workers": ("Workers", "Travailleurs"),
        "armed": ("Armed actors present", "Acteurs armés présents"),
        "qualification": ("Qualification", "Qualification"),
        "show": ("Show", "Afficher"),
        "date": ("Date", "Date"),
        "held_zones": ("zones held by non-state armed groups on this day", "zones tenues par des groupes armés non étatiques ce jour-là"),
        "supply": ("Supply at risk", "Approvisionnement à risque"),
        "held_share": ("Share of capacity on armed-group-held ground (red) and halted (blue, dashed), by month",
                       "Part de la capacité en zone tenue par des groupes armés (rouge) et à l’arrêt (bleu, pointillé), par mois"),
        "supply_how": ("A site counts as held in a month when any assessment of non-state control over its cell overlaps the month.",
                       "Un site compte comme tenu un mois donné quand une évaluation de contrôle non étatique de sa cellule chevauche ce mois."),
        "lot": ("Lot", "Lot"),
        "mass": ("Mass", "Masse"),
        "grade": ("grade", "teneur"),
        "holder": ("Holder", "Détenteur"),
        "flags": ("Flags", "Alertes"),
        "buyer_report": ("Due-diligence report", "Rapport de diligence raisonnable"),
        "origins": ("Origins", "Origines"),
        "untraced": ("no title registered — untraced ", "aucun titre enregistré — non tracé "),
        "lineage": ("Lineage", "Filiation"),
        "custody_chain": ("Chain of custody", "Chaîne de traçabilité"),
        "all_verified": ("every signature verified against its registered key", "toutes les signatures vérifiées avec leur clé enregistrée"),
        "not_verified": ("some signatures do not verify", "certaines signatures ne se vérifient pas"),
        "event": ("Event", "Événement"),
        "party": ("Party", "Partie"),
        "key": ("Key", "Clé"),
        "signature": ("Signature", "Signature"),
        "no_flags": ("No flags.", "Aucune alerte."),
        "royalties": ("Royalties (Mining Code 2018, art. 241)", "Redevance minière (Code minier 2018, art. 241)"),
        "day": ("Day", "Jour"),
        "payer": ("Payer", "Redevable"),
        "due": ("Due", "Due"),
        "proofs": ("Log proofs", "Preuves du journal"),
        "proofs_how": ("Each event's entry with its inclusion proof and the signed checkpoint (C2SP tlog-proof), checkable offline with `assay log verify-proof` or `assay log verify-report`.",
                       "L’entrée de chaque événement avec sa preuve d’inclusion et le point de contrôle signé (C2SP tlog-proof), vérifiables hors ligne avec `assay log verify-proof` ou `assay verify-report`."),
        "synthetic": ("synthetic (illustrative, not a sourced fact)", "synthétique (illustratif, pas un fait sourcé)"),
        "verifier_key": ("Verifier key", "Clé de vérification"),
        "verify_offline": ("Verify offline", "Vérifier hors ligne"),
        "summary": ("Summary", "Résumé"),
        "party_roles": ("Parties and roles", "Parties et rôles"),
        "signatures": ("Signatures", "Signatures"),
        "rv_reserves": ("Reserves", "Réserves"),
        "tl_title": ("The negotiation on the record", "La négociation au registre"),
        "cf_title": ("Sources that disagree", "Sources en désaccord"),
        "cf_intro": ("Each fact with what every source says, side by side; nothing is merged. The registry names the claim it uses and why.",
                     "Chaque fait avec ce que dit chaque source, côte à côte ; rien n’est fusionné. Le registre indique l’affirmation qu’il retient et pourquoi."),
        "cf_none": ("No sources disagree.", "Aucune source n’est en désaccord."),
        "cf_value": ("What the source says", "Ce que dit la source"),
        "cf_source": ("Source", "Source"),
        "cf_confidence": ("Confidence", "Confiance"),
        "cf_high": ("high", "élevée"),
        "cf_medium": ("medium", "moyenne"),
        "cf_low": ("low", "faible"),
        "cf_used": ("used by the registry", "retenue par le registre"),
        "cf_uses": ("The registry uses", "Le registre retient"),
        "cf_unchosen": ("The registry has not chosen between them.", "Le registre n’a pas tranché."),
        "tl_record": ("The negotiation on the record (letters, visits, meetings, lobbying, decisions)", "La négociation au registre (lettres, visites, réunions, lobbying, décisions)"),
        "tl_party": ("Party", "Partie"),
        "tl_from": ("From", "Du"),
        "tl_until": ("Until", "Au"),
        "tl_for": ("on behalf of", "pour le compte de"),
        "tl_changes": ("Changes", "Modifie"),
        "tl_none": ("No event matches.", "Aucun événement ne correspond."),
        "tl_proposal": ("proposal", "proposition"),
        "tl_letter": ("letter", "lettre"),
        "tl_visit": ("visit", "visite"),
        "tl_meeting": ("meeting", "réunion"),
        "tl_call": ("call", "appel"),
        "tl_statement": ("statement", "déclaration"),
        "tl_lobbying": ("lobbying", "lobbying"),
        "tl_decision": ("decision", "décision"),
        "ln_linked": ("Linked agreements and what their parties owe", "Accords liés et ce que leurs parties doivent"),
        "rv_under": ("Under", "Au titre de"),
        "rv_designated": ("designated on", "désignée le"),
        "rv_rule": ("Each asset is offered first to one beneficiary; within an open window nothing else on it is accepted. Window (months):",
                    "Chaque actif est d’abord offert à un bénéficiaire ; pendant une fenêtre ouverte, rien d’autre n’y est accepté. Fenêtre (mois) :"),
        "rv_renewals": ("renewals allowed:", "renouvellements permis :"),
        "rv_confidential": ("Confidential list.", "Liste confidentielle."),
        "rv_count": ("The public sees that it exists, its size and its hash, and each asset once it is offered. Assets on the list:",
                     "Le public voit qu’elle existe, sa taille et son empreinte, et chaque actif une fois offert. Actifs sur la liste :"),
        "rv_hash": ("hash in the log", "empreinte dans le journal"),
        "rv_assets": ("Assets and their windows", "Actifs et leurs fenêtres"),
        "rv_as_of": ("as of", "au"),
        "rv_asset": ("Asset", "Actif"),
        "rv_offers": ("Offers", "Offres"),
        "rv_beneficiary": ("Beneficiary", "Bénéficiaire"),
        "rv_opens": ("Opens", "Ouverture"),
        "rv_state": ("State", "État"),
        "rv_open": ("open until", "ouverte jusqu’au"),
        "rv_accepted": ("accepted on", "acceptée le"),
        "rv_refused": ("refused on", "refusée le"),
        "rv_lapsed": ("lapsed on", "caduque le"),
        "rv_free": ("free to offer", "libre d’être offert"),
        "signatures_rule": ("This agreement counts only when every party has signed its terms. Each signature covers the terms whose SHA-256 is",
                            "Cet accord ne compte que lorsque chaque partie a signé ses termes. Chaque signature porte sur les termes dont l’empreinte SHA-256 est"),
        "signatory": ("Party", "Partie"),
        "signed_at": ("Signed at", "Signée le"),
        "log_entry": ("Log entry", "Entrée du journal"),
        "not_signed": ("not signed", "non signé"),
        "confidential": ("confidential", "confidentiel"),
        "search": ("Search", "Rechercher"),
        "owners": ("Ultimate owners", "Propriétaires ultimes"),
        "credits": ("Boundaries: geoBoundaries / © OpenStreetMap contributors (ODbL). Artisanal sites: IPIS open data (ODC-BY).",
                    "Limites : geoBoundaries / © contributeurs OpenStreetMap (ODbL). Sites artisanaux : données ouvertes IPIS (ODC-BY)."),
    ]
}
