import AssayDomain
import Foundation

/// A command read from a file, with the line it came from.
public struct LocatedCommand: Sendable {
    public var line: Int
    public var command: Command
}

/// Reads commands from the formats `assay import` takes, reporting every bad line as
/// `FILE:LINE: field: message`:
/// - NDJSON (`.ndjson`, `.jsonl`): one command object a line (see ``Command``); blank lines and lines
///   starting with `#` are skipped.
/// - CSV of sites (columns `id,name,kind,latitude,longitude,minerals`, optional `operator`,
///   `capacities` as `cobalt:1000;copper:2000`, `external_id`, `sources`, `synthetic`) or of titles
///   (`id,code,title_type,holder,minerals,cells`, optional `granted`, `expires`, `status`, `site`,
///   `contested`, `sources`, `synthetic`; `cells` as `first-last;id;…`).
/// - GeoJSON (`.geojson`): each feature's `properties` is a command without its area; the geometry
///   supplies it (Polygon/MultiPolygon → cells for a title or a grant's area, Point → a site's location).
public enum CommandImporter {
    /// Reads a file by its extension (and, for CSV, its header).
    public static func read(path: String, text: String) throws -> [LocatedCommand] {
        let file = (path as NSString).lastPathComponent
        let ext = (path as NSString).pathExtension.lowercased()
        switch ext {
        case "ndjson", "jsonl", "json": return try ndjson(text, file: file)
        case "csv":
            let table = try CSVTable(text: text, file: file)
            if table.header.contains("title_type") { return try concessionsCSV(table, file: file) }
            if table.header.contains("latitude") { return try sitesCSV(table, file: file) }
            if table.header.contains("price_per_tonne") { return try pricesCSV(table, file: file) }
            throw ImportError(file: file, line: 1, field: "", message: "a CSV import needs the columns of sites (latitude, longitude, …), of titles (title_type, cells, …) or of prices (mineral, date, price_per_tonne, currency)")
        case "geojson": return try geojson(Array(text.utf8), file: file)
        default:
            throw ImportError(file: file, line: 0, field: "", message: "unknown file type .\(ext): use .ndjson, .csv or .geojson")
        }
    }

    public static func ndjson(_ text: String, file: String) throws(ImportErrors) -> [LocatedCommand] {
        var out: [LocatedCommand] = []
        var errors: [ImportError] = []
        var lineNo = 0
        // Split on the newline byte: as Characters, "\r\n" is one grapheme that "\n" does not match, so a
        // file with Windows line ends was one line.
        for raw in text.utf8.split(separator: 0x0A, omittingEmptySubsequences: false) {
            lineNo += 1
            let line = String(decoding: raw.last == 0x0D ? raw.dropLast() : raw, as: UTF8.self)
            if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") { continue }
            do {
                out.append(LocatedCommand(line: lineNo, command: try Command(jsonText: line)))
            } catch {
                errors.append(ImportError(file: file, line: lineNo, field: error.field, message: error.message))
            }
        }
        if !errors.isEmpty { throw ImportErrors(errors) }
        return out
    }

    static func list(_ s: String) -> [JSONValue] {
        s.split(whereSeparator: { $0 == ";" || $0 == "|" }).map { .string($0.trimmingCharacters(in: .whitespaces)) }.filter { $0 != .string("") }
    }

    static func sources(_ s: String) -> [JSONValue] {
        s.split(whereSeparator: { $0 == ";" || $0 == " " || $0 == "|" }).map { .string(String($0)) }.filter { $0 != .string("") }
    }

    static func bool(_ s: String) -> JSONValue? {
        switch s.lowercased() {
        case "yes", "true", "1": .bool(true)
        case "no", "false", "0": .bool(false)
        default: s.isEmpty ? nil : .string(s)
        }
    }

    static func convert(_ rows: [CSVTable.Row], file: String, _ make: (CSVTable.Row) throws -> JSONValue) throws(ImportErrors) -> [LocatedCommand] {
        var out: [LocatedCommand] = []
        var errors: [ImportError] = []
        for row in rows {
            do {
                out.append(LocatedCommand(line: row.line, command: try Command(json: try make(row))))
            } catch let e as DomainError {
                errors.append(ImportError(file: file, line: row.line, field: e.field, message: e.message))
            } catch let e as ImportError {
                errors.append(e)
            } catch {
                errors.append(ImportError(file: file, line: row.line, field: "", message: "\(error)"))
            }
        }
        if !errors.isEmpty { throw ImportErrors(errors) }
        return out
    }

    /// A price table: `mineral,date,price_per_tonne,currency`, optional `source`; one `record-price` a row.
    public static func pricesCSV(_ table: CSVTable, file: String) throws -> [LocatedCommand] {
        try table.require(["mineral", "date", "price_per_tonne", "currency"], file: file)
        return try convert(table.rows, file: file) { row in
            var m: [String: JSONValue] = [
                "type": "record-price", "mineral": .string(row["mineral"]), "date": .string(row["date"]),
                "pricePerTonne": .object(["amount": .string(row["price_per_tonne"]), "currency": .string(row["currency"])]),
            ]
            if !row["source"].isEmpty { m["source"] = .string(row["source"]) }
            return .object(m)
        }
    }

    public static func sitesCSV(_ table: CSVTable, file: String) throws -> [LocatedCommand] {
        try table.require(["id", "name", "kind", "latitude", "longitude", "minerals"], file: file)
        return try convert(table.rows, file: file) { row in
            var m: [String: JSONValue] = [
                "type": "register-site", "id": .string(row["id"]), "name": .string(row["name"]), "kind": .string(row["kind"]),
                "latitude": .string(row["latitude"]), "longitude": .string(row["longitude"]), "minerals": .array(list(row["minerals"])),
            ]
            if !row["operator"].isEmpty { m["operator"] = .string(row["operator"]) }
            if !row["external_id"].isEmpty { m["externalId"] = .string(row["external_id"]) }
            if !row["capacities"].isEmpty {
                var caps: [String: JSONValue] = [:]
                for item in row["capacities"].split(separator: ";") {
                    let parts = item.split(separator: ":", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    guard parts.count == 2 else {
                        throw ImportError(file: file, line: row.line, field: "capacities", message: "expected mineral:tonnes pairs separated by ';', found \"\(item)\"")
                    }
                    caps[parts[0]] = .string(parts[1])
                }
                m["capacities"] = .object(caps)
            }
            if !row["sources"].isEmpty { m["sources"] = .array(sources(row["sources"])) }
            if let s = bool(row["synthetic"]) { m["synthetic"] = s }
            return .object(m)
        }
    }

    /// Parses `first-last;id;…` into canonical cell ranges.
    static func cells(_ text: String, file: String, line: Int) throws(ImportError) -> JSONValue {
        var out: [JSONValue] = []
        for part in text.split(separator: ";") {
            let ends = part.split(separator: "-").map { $0.trimmingCharacters(in: .whitespaces) }
            guard (1...2).contains(ends.count), let lo = Int64(ends[0]), let hi = Int64(ends.last ?? "") else {
                throw ImportError(file: file, line: line, field: "cells", message: "expected cell ids or ranges like 12345-12360 separated by ';', found \"\(part)\"")
            }
            out.append(.array([.int(lo), .int(hi)]))
        }
        return .array(out)
    }

    public static func concessionsCSV(_ table: CSVTable, file: String) throws -> [LocatedCommand] {
        try table.require(["id", "code", "title_type", "holder", "minerals", "cells"], file: file)
        return try convert(table.rows, file: file) { row in
            var m: [String: JSONValue] = [
                "type": "register-concession", "id": .string(row["id"]), "code": .string(row["code"]),
                "titleType": .string(row["title_type"]), "holder": .string(row["holder"]), "minerals": .array(list(row["minerals"])),
                "cells": try cells(row["cells"], file: file, line: row.line),
            ]
            for (column, key) in [("granted", "granted"), ("expires", "expires"), ("status", "status"), ("site", "site"), ("contested", "contested")]
            where !row[column].isEmpty { m[key] = .string(row[column]) }
            if !row["sources"].isEmpty { m["sources"] = .array(sources(row["sources"])) }
            if let s = bool(row["synthetic"]) { m["synthetic"] = s }
            return .object(m)
        }
    }

    public static func geojson(_ bytes: [UInt8], file: String) throws -> [LocatedCommand] {
        let features: [GeoFeature]
        do { features = try GeoJSON.features(bytes) } catch let e as DomainError {
            throw ImportErrors([ImportError(file: file, line: 0, field: e.field, message: e.message)])
        }
        var out: [LocatedCommand] = []
        var errors: [ImportError] = []
        for (i, f) in features.enumerated() {
            var m = f.properties
            let type: String = if case .string(let t)? = m["type"] { t } else { "" }
            switch type {
            case "register-concession":
                m["cells"] = Rasterizer.cells(of: f.polygons).json
            case "record-grant", "record-control":
                m["area"] = .object(["cells": Rasterizer.cells(of: f.polygons).json])
            case "register-site":
                if let p = f.point {
                    m["latitude"] = .string(String(p.lat)); m["longitude"] = .string(String(p.lon))
                }
            default:
                errors.append(ImportError(file: file, line: i + 1, field: "features[\(i)].properties.type",
                                          message: "expected register-concession, record-grant, record-control or register-site"))
                continue
            }
            do { out.append(LocatedCommand(line: i + 1, command: try Command(json: .object(m)))) } catch {
                errors.append(ImportError(file: file, line: i + 1, field: "features[\(i)].properties." + error.field, message: error.message))
            }
        }
        if !errors.isEmpty { throw ImportErrors(errors) }
        return out
    }
}
