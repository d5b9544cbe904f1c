import AssayDomain

/// The parties of the demo set, with the sources that name them. Names in the reference CSVs map to
/// these ids through ``aliases``.
enum DemoParties {
    struct Entry {
        let id: String, name: String, kind: PartyKind, country: String?
    }

    static let all: [Entry] = [
        Entry(id: "cd", name: "Democratic Republic of the Congo", kind: .state, country: "CD"),
        Entry(id: "us", name: "United States", kind: .state, country: "US"),
        Entry(id: "cn", name: "China", kind: .state, country: "CN"),
        Entry(id: "rw", name: "Rwanda", kind: .state, country: "RW"),
        Entry(id: "zm", name: "Zambia", kind: .state, country: "ZM"),
        Entry(id: "ao", name: "Angola", kind: .state, country: "AO"),
        Entry(id: "eu", name: "European Union", kind: .organisation, country: nil),
        Entry(id: "afdb", name: "African Development Bank", kind: .organisation, country: nil),
        Entry(id: "africa-finance-corporation", name: "Africa Finance Corporation", kind: .organisation, country: nil),
        Entry(id: "afc-m23", name: "AFC/M23", kind: .armedGroup, country: nil),
        Entry(id: "drc-ministry-of-mines", name: "Ministry of Mines of the DRC", kind: .agency, country: "CD"),
        Entry(id: "sa-ministry-of-industry", name: "Ministry of Industry and Mineral Resources of Saudi Arabia", kind: .agency, country: "SA"),
        Entry(id: "jogmec", name: "Japan Organization for Metals and Energy Security", kind: .agency, country: "JP"),
        Entry(id: "meti", name: "Ministry of Economy, Trade and Industry of Japan", kind: .agency, country: "JP"),
        Entry(id: "gecamines", name: "Gécamines", kind: .stateOwnedEnterprise, country: "CD"),
        Entry(id: "cominiere", name: "Cominière", kind: .stateOwnedEnterprise, country: "CD"),
        Entry(id: "cmoc", name: "CMOC Group", kind: .company, country: "CN"),
        Entry(id: "catl-brunp", name: "Ningbo Brunp (CATL)", kind: .company, country: "CN"),
        Entry(id: "tfm", name: "Tenke Fungurume Mining SA", kind: .company, country: "CD"),
        Entry(id: "kfm", name: "KFM (Kisanfu Mining)", kind: .company, country: "CD"),
        Entry(id: "glencore", name: "Glencore", kind: .company, country: "CH"),
        Entry(id: "kcc", name: "Kamoto Copper Company SA", kind: .company, country: "CD"),
        Entry(id: "mutanda-mining", name: "Mutanda Mining SARL", kind: .company, country: "CD"),
        Entry(id: "kamoa-copper", name: "Kamoa Copper SA", kind: .company, country: "CD"),
        Entry(id: "ivanhoe", name: "Ivanhoe Mines", kind: .company, country: "CA"),
        Entry(id: "zijin", name: "Zijin Mining", kind: .company, country: "CN"),
        Entry(id: "crystal-river", name: "Crystal River Global", kind: .company, country: "VG"),
        Entry(id: "dathcom", name: "Dathcom Mining SA", kind: .company, country: "CD"),
        Entry(id: "dathomir", name: "Dathomir Mining Resources", kind: .company, country: "CD"),
        Entry(id: "avz", name: "AVZ Minerals", kind: .company, country: "AU"),
        Entry(id: "manono-lithium-sas", name: "Manono Lithium SAS", kind: .company, country: "CD"),
        Entry(id: "kobold", name: "KoBold Metals", kind: .company, country: "US"),
        Entry(id: "alphamin-bisie", name: "Alphamin Bisie Mining SA", kind: .company, country: "CD"),
        Entry(id: "alphamin", name: "Alphamin Resources Corp.", kind: .company, country: "CA"),
        Entry(id: "tremont", name: "Tremont Master Holdings", kind: .company, country: "MU"),
        Entry(id: "gec", name: "Groupement d'Entreprises Chinoises", kind: .company, country: "CN"),
        Entry(id: "sicomines", name: "Sicomines SA", kind: .company, country: "CD"),
        Entry(id: "orion-cmc", name: "Orion Critical Mineral Consortium", kind: .company, country: "US"),
    ]

    /// Party names as `drc_agreements.csv` writes them (without the country in brackets) → ids.
    static let aliases: [String: String] = [
        "United States": "us", "Democratic Republic of the Congo": "cd", "Rwanda": "rw", "Zambia": "zm", "Angola": "ao",
        "European Union": "eu", "African Development Bank": "afdb", "Africa Finance Corporation": "africa-finance-corporation",
        "AFC/M23": "afc-m23", "Groupement d'Entreprises Chinoises": "gec", "Cominière": "cominiere",
        "Dathomir Mining Resources": "dathomir", "AVZ Minerals": "avz", "Zijin Mining via Jinxiang Lithium": "zijin",
        "KoBold Metals": "kobold", "Glencore": "glencore", "Orion Critical Mineral Consortium": "orion-cmc",
        "Ministry of Mines of the DRC": "drc-ministry-of-mines",
        "Ministry of Industry and Mineral Resources of Saudi Arabia": "sa-ministry-of-industry",
        "Japan Organization for Metals and Energy Security": "jogmec",
        "Ministry of Economy, Trade and Industry of Japan": "meti",
    ]
}
