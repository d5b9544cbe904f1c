/// Where a right applies: explicit grid cells, whole provinces, or a whole country. Provinces and
/// countries resolve to cells through ``Geography``, so every overlap is a cell intersection.
public enum Area: Sendable, Hashable {
    case cells(CellSet)
    case provinces([String])
    case country(String)

    /// JSON: `{"cells": [[first, last], …]}`, `{"provinces": ["CD-NK"]}` or `{"country": "CD"}`.
    public init(json o: JSONObject) throws(DomainError) {
        let given = ["cells", "provinces", "country"].filter { o.members[$0] != nil }
        guard given.count == 1 else {
            throw DomainError(.invalidField, field: o.path, "give exactly one of \"cells\", \"provinces\" or \"country\"")
        }
        switch given[0] {
        case "cells":
            let set = try CellSet(json: o.value("cells"), field: o.path("cells"))
            if set.isEmpty { throw DomainError(.invalidField, field: o.path("cells"), "name at least one cell") }
            self = .cells(set)
        case "provinces":
            let codes = try o.strings("provinces", maxCount: 100)
            if codes.isEmpty { throw DomainError(.invalidField, field: o.path("provinces"), "name at least one province") }
            self = .provinces(Array(Set(codes)).sorted())
        default:
            let c = try o.string("country", maxLength: 2)
            try Country.validate(c, field: o.path("country"))
            self = .country(c)
        }
        try o.rejectUnknown()
    }

    public var json: JSONValue {
        switch self {
        case .cells(let c): .object(["cells": c.json])
        case .provinces(let p): .object(["provinces": .array(p.map { .string($0) })])
        case .country(let c): .object(["country": .string(c)])
        }
    }

    /// The cells this area covers in `geography`.
    /// - Throws: ``DomainError`` for a province code or country the geography does not know.
    public func resolve(in geography: Geography, field: String = "area") throws(DomainError) -> CellSet {
        switch self {
        case .cells(let c): return c
        case .provinces(let codes):
            var ranges: [ClosedRange<UInt32>] = []
            for (i, code) in codes.enumerated() {
                guard let p = geography.province(code: code) else {
                    throw DomainError(.unknownReference, field: "\(field).provinces[\(i)]", "no province \"\(code)\" (use ISO 3166-2 codes like CD-NK)")
                }
                ranges += p.cells.ranges
            }
            return CellSet(ranges: ranges)
        case .country(let c):
            guard c == geography.country else {
                throw DomainError(.unknownReference, field: field + ".country", "no boundaries are loaded for \(c); only \(geography.country)")
            }
            return geography.countryCells
        }
    }

    public var text: String {
        switch self {
        case .cells(let c): "\(c.count) cells"
        case .provinces(let p): p.joined(separator: ", ")
        case .country(let c): "all of \(c)"
        }
    }
}
