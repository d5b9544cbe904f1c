import AssayDomain
import Foundation

/// The reference data the project ships (`Sources/AssayIngest/Reference`, with `SOURCES.md`): DRC
/// province boundaries, major mines, agreements, royalty rates, the IPIS sample. Read from the
/// package's resource bundle, or from `ASSAY_REFERENCE_DIR` when set.
public enum ReferenceData {
    /// The folder holding the reference files.
    public static var directory: URL {
        get throws {
            if let dir = ProcessInfo.processInfo.environment["ASSAY_REFERENCE_DIR"] { return URL(fileURLWithPath: dir) }
            guard let url = Bundle.module.url(forResource: "Reference", withExtension: nil) else {
                throw ReferenceDataMissing(file: "Reference")
            }
            return url
        }
    }

    /// The bytes of one reference file.
    public static func bytes(_ name: String) throws -> [UInt8] {
        let url = try directory.appendingPathComponent(name)
        guard let data = FileManager.default.contents(atPath: url.path) else { throw ReferenceDataMissing(file: name) }
        return [UInt8](data)
    }

    /// One reference CSV file, parsed.
    public static func table(_ name: String) throws -> CSVTable {
        try CSVTable(text: String(decoding: bytes(name), as: UTF8.self), file: name)
    }

    /// The DRC's 26 provinces from `drc_provinces_adm1.geojson` (geoBoundaries, ODbL), rasterised to cells.
    public static func geography() throws -> Geography {
        let features = try GeoJSON.features(bytes("drc_provinces_adm1.geojson"))
        var provinces: [Province] = []
        for (i, f) in features.enumerated() {
            guard case .string(let code)? = f.properties["iso_3166_2"], case .string(let name)? = f.properties["name"] else {
                throw DomainError(.missingField, field: "features[\(i)].properties.iso_3166_2", "province without code or name")
            }
            provinces.append(Province(code: code, name: name, polygons: f.polygons))
        }
        return Geography(country: "CD", provinces: provinces)
    }

    /// The credit lines the licences of the shipped data require, shown wherever the data is.
    public static let credits = [
        "Administrative boundaries courtesy of geoBoundaries (geoboundaries.org), derived from OpenStreetMap (© OpenStreetMap contributors, ODbL 1.0).",
        "Artisanal mining sites: IPIS open data (ODC-BY 1.0).",
        "Mines, agreements and royalty rates compiled from the public sources named in each row (see SOURCES.md).",
    ]
}

/// A reference file that should ship with Assay is not where it should be.
public struct ReferenceDataMissing: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var description: String {
        "reference file \(file) not found: build with `swift build` (it ships as a resource) or set ASSAY_REFERENCE_DIR"
    }
}
