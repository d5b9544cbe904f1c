import Foundation

/// Where a right applies: explicit grid cells, whole provinces, or a whole country. Provinces and
/// countries resolve to cells through ``Geography``, so every overlap is a cell intersection.
public enum Area: Sendable, Hashable {
    case cells(CellSet)
    case provinces([String])
    case country(String)
    /// A radius around a point (control of a town and its surroundings), in kilometres.
    case circle(latitude: Decimal, longitude: Decimal, radiusKm: Decimal)

    /// JSON: `{"cells": [[first, last], …]}`, `{"provinces": ["CD-NK"]}`, `{"country": "CD"}` or
    /// `{"circle": {"latitude": "-1.5782", "longitude": "28.8889", "radiusKm": "10"}}`.
    public init(json o: JSONObject) throws(DomainError) {
        let given = ["cells", "provinces", "country", "circle"].filter { o.members[$0] != nil }
        guard given.count == 1 else {
            throw DomainError(.invalidField, field: o.path, "give exactly one of \"cells\", \"provinces\", \"country\" or \"circle\"")
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
        case "circle":
            let c = try o.object("circle")
            let lat = try c.decimal("latitude"), lon = try c.decimal("longitude"), r = try c.decimal("radiusKm")
            guard lat >= -90, lat <= 90 else { throw DomainError(.invalidField, field: c.path("latitude"), "must be between -90 and 90") }
            guard lon >= -180, lon <= 180 else { throw DomainError(.invalidField, field: c.path("longitude"), "must be between -180 and 180") }
            guard r > 0, r <= 500 else { throw DomainError(.invalidField, field: c.path("radiusKm"), "must be more than 0 and at most 500 km") }
            try c.rejectUnknown()
            self = .circle(latitude: lat, longitude: lon, radiusKm: r)
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
        case .circle(let lat, let lon, let r):
            .object(["circle": .object(["latitude": .string(DecimalText.canonical(lat)), "longitude": .string(DecimalText.canonical(lon)),
                                        "radiusKm": .string(DecimalText.canonical(r))])])
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
        case .circle(let lat, let lon, let r):
            return Area.circleCells(latitude: NSDecimalNumber(decimal: lat).doubleValue, longitude: NSDecimalNumber(decimal: lon).doubleValue,
                                    radiusKm: NSDecimalNumber(decimal: r).doubleValue)
        }
    }

    /// The cells whose centres lie within `radiusKm` of a point (distance on a sphere of radius 6371 km,
    /// equirectangular within a row: exact enough at the scale of a cell, 0.93 km).
    public static func circleCells(latitude: Double, longitude: Double, radiusKm: Double) -> CellSet {
        let kmPerDegree = 6371.0 * Double.pi / 180
        let per = Double(CellGrid.cellsPerDegree)
        let dLat = radiusKm / kmPerDegree
        let rowLo = max(0, Int(((latitude - dLat) + 90) * per)), rowHi = min(180 * CellGrid.cellsPerDegree - 1, Int(((latitude + dLat) + 90) * per))
        var ranges: [ClosedRange<UInt32>] = []
        for row in rowLo...max(rowLo, rowHi) {
            let lat = CellGrid.rowCentreLatitude(row)
            let dy = (lat - latitude) * kmPerDegree
            let rest = radiusKm * radiusKm - dy * dy
            guard rest >= 0 else { continue }
            let cosLat = max(1e-6, cos(lat * Double.pi / 180))
            let dLon = rest.squareRoot() / (kmPerDegree * cosLat)
            // Columns whose centre longitude lies within [longitude - dLon, longitude + dLon].
            let first = Int(((longitude - dLon) + 180) * per - 0.5).clamped(0, 360 * CellGrid.cellsPerDegree - 1)
            let last = Int(((longitude + dLon) + 180) * per - 0.5).clamped(0, 360 * CellGrid.cellsPerDegree - 1)
            var lo = first, hi = last
            while lo <= hi, abs(CellGrid.centre(CellGrid.id(row: row, column: lo)).longitude - longitude) > dLon { lo += 1 }
            while hi >= lo, abs(CellGrid.centre(CellGrid.id(row: row, column: hi)).longitude - longitude) > dLon { hi -= 1 }
            if lo <= hi { ranges.append(CellGrid.id(row: row, column: lo)...CellGrid.id(row: row, column: hi)) }
        }
        return CellSet(ranges: ranges)
    }

    public var text: String {
        switch self {
        case .cells(let c): "\(c.count) cells"
        case .provinces(let p): p.joined(separator: ", ")
        case .country(let c): "all of \(c)"
        case .circle(let lat, let lon, let r): "\(DecimalText.canonical(r)) km around \(DecimalText.canonical(lat)), \(DecimalText.canonical(lon))"
        }
    }
}

extension Int {
    func clamped(_ lo: Int, _ hi: Int) -> Int { Swift.min(Swift.max(self, lo), hi) }
}
