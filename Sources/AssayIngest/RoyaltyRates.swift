import AssayDomain
import Foundation

/// The royalty schedule of the 2018 DRC Mining Code, read from the shipped rate table
/// (`drc_mining_code_2018_royalty_rates.csv`, art. 241 of Law 18/001).
///
/// The table gives rates by category; which category each mineral falls in is decided here:
/// strategic substances (cobalt, germanium, coltan, by the decree of 24 Nov 2018) take the strategic
/// rate; tin, tungsten, niobium, lithium, manganese, bauxite, copper and zinc the non-ferrous base
/// metal rate; gold and silver the precious-metal rate; iron the ferrous rate; diamond and tourmaline
/// the precious-stone rate; uranium and rare earths the rate for other substances.
public enum RoyaltyRates {
    static func category(_ m: Mineral) -> String {
        if m.isStrategic { return "strategic_substances" }
        switch m {
        case .copper, .zinc, .tin, .tungsten, .niobium, .lithium, .manganese, .bauxite: return "non_ferrous_base_metals"
        case .gold, .silver: return "precious_metals"
        case .iron: return "iron_and_ferrous_metals"
        case .diamond, .tourmaline: return "precious_stones"
        default: return "industrial_minerals_solid_hydrocarbons_other"
        }
    }

    /// The schedule from the shipped table; every mineral gets a rate.
    /// Read once: portal pages and reports ask for it on every request (it was read from disk each time).
    public static func schedule() throws -> RoyaltySchedule { try loaded.get() }

    private static let loaded: Result<RoyaltySchedule, any Error> = Result {
        try schedule(from: ReferenceData.table("drc_mining_code_2018_royalty_rates.csv"))
    }

    public static func schedule(from table: CSVTable) throws -> RoyaltySchedule {
        try table.require(["category", "rate_pct_law_18_001"], file: "drc_mining_code_2018_royalty_rates.csv")
        var byCategory: [String: Percent] = [:]
        for row in table.rows {
            guard let d = Decimal(string: row["rate_pct_law_18_001"], locale: Locale(identifier: "en_US_POSIX")) else {
                throw ImportError(file: "drc_mining_code_2018_royalty_rates.csv", line: row.line, field: "rate_pct_law_18_001", message: "not a number")
            }
            byCategory[row["category"]] = try Percent(percent: d, field: "rate_pct_law_18_001")
        }
        var rates: [Mineral: Percent] = [:]
        for m in Mineral.allCases {
            guard let r = byCategory[category(m)] else {
                throw ImportError(file: "drc_mining_code_2018_royalty_rates.csv", line: 0, field: "category", message: "no row for \(category(m))")
            }
            rates[m] = r
        }
        return RoyaltySchedule(rates: rates)
    }
}
