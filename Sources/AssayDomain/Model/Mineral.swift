import Foundation

/// A mineral substance Assay tracks: what the DRC's titles, agreements and artisanal sites name.
///
/// Each has a chemical symbol, the Harmonized System heading used for its ore or first product, whether
/// it is a *strategic substance* under the 2018 DRC Mining Code (decree of 24 Nov 2018: cobalt,
/// germanium, coltan), and the names real data uses for it, French and English ("Or", "Cassitérite",
/// "Coltan", "tin (cassiterite)", …). ``named(_:)`` reads any of them.
public enum Mineral: String, Sendable, CaseIterable, Hashable, Comparable {
    case cobalt, copper, lithium, tantalum, niobium, tin, tungsten, gold, silver, uranium, germanium
    case zinc, manganese, iron, diamond, tourmaline, bauxite
    case rareEarths = "rare-earths"

    public static func < (a: Mineral, b: Mineral) -> Bool { a.bit < b.bit }

    /// Position in ``MineralSet`` masks; stable (append new minerals at the end of `allCases`).
    public var bit: Int { Mineral.allCases.firstIndex(of: self) ?? 0 }

    public var symbol: String {
        switch self {
        case .cobalt: "Co"; case .copper: "Cu"; case .lithium: "Li"; case .tantalum: "Ta"; case .niobium: "Nb"
        case .tin: "Sn"; case .tungsten: "W"; case .gold: "Au"; case .silver: "Ag"; case .uranium: "U"
        case .germanium: "Ge"; case .zinc: "Zn"; case .manganese: "Mn"; case .iron: "Fe"; case .diamond: "C"
        case .tourmaline: "Tur"; case .bauxite: "Al"; case .rareEarths: "REE"
        }
    }

    /// HS 2022 subheading of the ore, concentrate or first traded form.
    public var hsCode: String {
        switch self {
        case .cobalt: "2605.00"; case .copper: "2603.00"; case .lithium: "2530.90"; case .tantalum: "2615.90"
        case .niobium: "2615.90"; case .tin: "2609.00"; case .tungsten: "2611.00"; case .gold: "7108.12"
        case .silver: "7106.91"; case .uranium: "2612.10"; case .germanium: "8112.92"; case .zinc: "2608.00"
        case .manganese: "2602.00"; case .iron: "2601.11"; case .diamond: "7102.31"; case .tourmaline: "7103.99"
        case .bauxite: "2606.00"; case .rareEarths: "2612.20"
        }
    }

    /// Strategic substance under the 2018 DRC Mining Code (10% royalty).
    public var isStrategic: Bool { self == .cobalt || self == .germanium || self == .tantalum }

    public var englishName: String {
        switch self {
        case .tantalum: "tantalum (coltan)"; case .tin: "tin (cassiterite)"; case .tungsten: "tungsten (wolframite)"
        case .rareEarths: "rare earth elements"; default: rawValue
        }
    }

    public var frenchName: String {
        switch self {
        case .cobalt: "Cobalt"; case .copper: "Cuivre"; case .lithium: "Lithium"; case .tantalum: "Coltan"
        case .niobium: "Niobium"; case .tin: "Cassitérite"; case .tungsten: "Wolframite"; case .gold: "Or"
        case .silver: "Argent"; case .uranium: "Uranium"; case .germanium: "Germanium"; case .zinc: "Zinc"
        case .manganese: "Manganèse"; case .iron: "Fer"; case .diamond: "Diamant"; case .tourmaline: "Tourmaline"
        case .bauxite: "Bauxite"; case .rareEarths: "Terres rares"
        }
    }

    /// Every name, lower-cased and without accents, that reads as this mineral.
    var aliases: [String] {
        switch self {
        case .cobalt: ["cobalt", "co", "heterogenite"]
        case .copper: ["copper", "cuivre", "cu", "malachite"]
        case .lithium: ["lithium", "li", "spodumene"]
        case .tantalum: ["tantalum", "tantale", "coltan", "columbo-tantalite", "columbite-tantalite", "ta"]
        case .niobium: ["niobium", "pyrochlore", "nb"]
        case .tin: ["tin", "etain", "cassiterite", "sn"]
        case .tungsten: ["tungsten", "tungstene", "wolframite", "wolfram", "w"]
        case .gold: ["gold", "or", "au"]
        case .silver: ["silver", "argent", "ag"]
        case .uranium: ["uranium", "u"]
        case .germanium: ["germanium", "ge"]
        case .zinc: ["zinc", "zn"]
        case .manganese: ["manganese", "mn"]
        case .iron: ["iron", "fer", "fe"]
        case .diamond: ["diamond", "diamant", "diamonds"]
        case .tourmaline: ["tourmaline"]
        case .bauxite: ["bauxite", "aluminium", "aluminum"]
        case .rareEarths: ["rare-earths", "rare earth elements", "rare earths", "ree", "terres rares", "monazite"]
        }
    }

    private static let byAlias: [String: Mineral] = {
        var m: [String: Mineral] = [:]
        for mineral in Mineral.allCases { for a in mineral.aliases { m[a] = mineral } }
        return m
    }()

    /// The mineral a name stands for: its id, English or French name, an ore name, or a form like
    /// `"tin (cassiterite)"`; case and accents are ignored. `nil` when unknown.
    public static func named(_ text: String) -> Mineral? {
        if let m = Mineral(rawValue: text) { return m }  // the canonical id: no folding needed
        let folded = text.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: nil)
            .lowercased().trimmingCharacters(in: .whitespaces)
        if let m = byAlias[folded] { return m }
        if let paren = folded.firstIndex(of: "(") {
            let before = folded[..<paren].trimmingCharacters(in: .whitespaces)
            if let m = byAlias[before] { return m }
            let inside = folded[folded.index(after: paren)...].trimmingCharacters(in: CharacterSet(charactersIn: ") "))
            return byAlias[inside]
        }
        return nil
    }
}

/// A set of minerals as a bit mask: collision checks compare minerals with one AND.
public struct MineralSet: Sendable, Hashable, Sequence {
    public private(set) var mask: UInt64

    public init(mask: UInt64) { self.mask = mask }
    public init<S: Sequence>(_ minerals: S) where S.Element == Mineral {
        mask = minerals.reduce(0) { $0 | (1 << UInt64($1.bit)) }
    }

    public func contains(_ m: Mineral) -> Bool { mask & (1 << UInt64(m.bit)) != 0 }
    public func intersection(_ o: MineralSet) -> MineralSet { MineralSet(mask: mask & o.mask) }
    public var isEmpty: Bool { mask == 0 }
    public var sorted: [Mineral] { Mineral.allCases.filter(contains) }
    public func makeIterator() -> IndexingIterator<[Mineral]> { sorted.makeIterator() }

    /// Canonical JSON: the ids in `allCases` order.
    public var json: JSONValue { .array(sorted.map { .string($0.rawValue) }) }

    /// Reads an array of mineral names (any name ``Mineral/named(_:)`` knows).
    public init(from o: JSONObject, _ key: String, required: Bool = true) throws(DomainError) {
        var set = MineralSet(mask: 0)
        for (v, p) in try o.array(key, maxCount: 64) {
            guard case .string(let s) = v, let m = Mineral.named(s) else {
                let accepted = Mineral.allCases.map(\.rawValue).joined(separator: ", ")
                throw DomainError(.invalidField, field: p, "unknown mineral \(v == .null ? "null" : CanonicalJSON.string(v)); use one of: \(accepted)")
            }
            set.mask |= 1 << UInt64(m.bit)
        }
        if required, set.isEmpty { throw DomainError(.missingField, field: o.path(key), "name at least one mineral") }
        self = set
    }
}
