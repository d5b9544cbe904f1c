/// ISO 3166-1 alpha-2 country codes, checked against the full list (officially assigned codes).
public enum Country {
    private static let codes: Set<String> = Set("""
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ \
    CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR \
    GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO \
    JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR \
    MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO \
    RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV \
    TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
    """.split(separator: " ").map(String.init))

    /// Whether `code` is an assigned ISO 3166-1 alpha-2 code (upper case).
    public static func isValid(_ code: String) -> Bool { codes.contains(code) }

    /// Checks a code, naming `field` when it is not one.
    public static func validate(_ code: String, field: String) throws(DomainError) {
        guard isValid(code) else {
            throw DomainError(.invalidField, field: field, "\"\(code)\" is not an ISO 3166-1 alpha-2 country code (like CD, US, CN)")
        }
    }
}

/// ISO 4217 currency codes Assay accepts for values (three upper-case letters, checked against a short
/// list of those used in the reference data and common trade; extend as needed).
public enum Currency {
    private static let codes: Set<String> = ["USD", "EUR", "CDF", "CNY", "GBP", "JPY", "ZAR", "RWF", "ZMW", "AUD", "CAD", "CHF", "SAR", "AED"]

    public static func validate(_ code: String, field: String) throws(DomainError) {
        guard codes.contains(code) else {
            throw DomainError(.invalidField, field: field, "\"\(code)\" is not a supported ISO 4217 currency (\(codes.sorted().joined(separator: ", ")))")
        }
    }
}
