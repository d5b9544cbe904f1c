import Foundation

/// The fixed global cadastral grid: cells of 30 × 30 arc-seconds, as DRC mining titles use.
///
/// Row 0 starts at 90° S and rows grow northwards (21,600 rows); column 0 starts at 180° W and
/// columns grow eastwards (43,200 columns). A cell's id is `row × 43,200 + column`, which fits in a
/// `UInt32`; consecutive cells of one row have consecutive ids, so a row run is an id range.
///
/// For example:
/// ```swift
/// let cell = try CellGrid.cell(latitude: -10.7792, longitude: 25.9292)   // Kisanfu
/// CellGrid.hectares(of: cell)                                           // ≈ 84 ha
/// ```
public enum CellGrid {
    /// Cells per degree (3600″ / 30″).
    public static let cellsPerDegree = 120
    public static let rows = 180 * cellsPerDegree
    public static let columns = 360 * cellsPerDegree
    /// One past the largest cell id.
    public static let cellCount = UInt32(rows * columns)
    /// Mean Earth radius (IUGG), in kilometres, for areas.
    public static let earthRadiusKm = 6371.0088

    /// The row and column of a cell id.
    public static func rowColumn(_ cell: UInt32) -> (row: Int, column: Int) {
        (Int(cell) / columns, Int(cell) % columns)
    }

    /// The id of the cell at `row`, `column`.
    public static func id(row: Int, column: Int) -> UInt32 { UInt32(row * columns + column) }

    /// The cell containing a point (a point on a cell's south or west edge belongs to that cell).
    /// - Throws: ``DomainError`` when the coordinates are out of range or not finite.
    public static func cell(latitude: Double, longitude: Double, field: String = "location") throws(DomainError) -> UInt32 {
        guard latitude.isFinite, (-90...90).contains(latitude) else {
            throw DomainError(.invalidField, field: field + ".latitude", "must be between -90 and 90, found \(latitude)")
        }
        guard longitude.isFinite, (-180...180).contains(longitude) else {
            throw DomainError(.invalidField, field: field + ".longitude", "must be between -180 and 180, found \(longitude)")
        }
        let row = min(rows - 1, Int(((latitude + 90) * Double(cellsPerDegree)).rounded(.down)))
        let column = min(columns - 1, Int(((longitude + 180) * Double(cellsPerDegree)).rounded(.down)))
        return id(row: row, column: column)
    }

    /// The centre of a cell, in degrees.
    public static func centre(_ cell: UInt32) -> (latitude: Double, longitude: Double) {
        let (r, c) = rowColumn(cell)
        return (-90 + (Double(r) + 0.5) / Double(cellsPerDegree), -180 + (Double(c) + 0.5) / Double(cellsPerDegree))
    }

    /// The latitude of the centre of `row`.
    public static func rowCentreLatitude(_ row: Int) -> Double { -90 + (Double(row) + 0.5) / Double(cellsPerDegree) }

    /// The area of one cell of `row` in hectares (exact on the sphere: R²·Δλ·(sin φ₂ − sin φ₁)).
    public static func hectares(row: Int) -> Double {
        let d = 1.0 / Double(cellsPerDegree) * .pi / 180
        let phi1 = (-90 + Double(row) / Double(cellsPerDegree)) * .pi / 180
        let km2 = earthRadiusKm * earthRadiusKm * d * (sin(phi1 + d) - sin(phi1))
        return km2 * 100
    }

    public static func hectares(of cell: UInt32) -> Double { hectares(row: rowColumn(cell).row) }
}

/// A latitude/longitude box, south-west to north-east corners, in degrees.
public struct BoundingBox: Sendable, Hashable, CustomStringConvertible {
    public var south: Double, west: Double, north: Double, east: Double

    public init(south: Double, west: Double, north: Double, east: Double) {
        self.south = south; self.west = west; self.north = north; self.east = east
    }

    public var description: String {
        func f(_ v: Double) -> String { String(format: "%.4f", v) }
        return "[\(f(south)), \(f(west))] – [\(f(north)), \(f(east))]"
    }

    /// `[south, west, north, east]` for JSON.
    public var json: JSONValue {
        func d(_ v: Double) -> JSONValue { .string(String(format: "%.5f", v)) }
        return .array([d(south), d(west), d(north), d(east)])
    }
}
