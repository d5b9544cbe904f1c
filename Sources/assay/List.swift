import ArgumentParser
import AssayDomain
import AssayStore
import Foundation

/// `assay list KIND`: entities of one kind, or lots (the same page and filters as `GET /api/v1/lots`).
struct List: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List parties, ownerships, sites, concessions, agreements, grants, obligations, deliveries, lots or provinces.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "parties | ownerships | sites | concessions | agreements | grants | obligations | deliveries | lots | provinces")
    var kind: String
    @Option(help: "Show at most this many.") var limit: Int = 1000
    @Option(help: "Start after this id (cursor pagination).") var after: String?
    @Option(help: "Lots: only those this party holds.") var holder: String?
    @Option(help: "Lots: only those of this mineral (its id or a name, e.g. cobalt, tin, coltan).") var mineral: String?

    static let kinds: [String: EntityKind] = [
        "parties": .party, "ownerships": .ownership, "sites": .site, "concessions": .concession, "agreements": .agreement,
        "grants": .grant, "obligations": .obligation, "deliveries": .delivery, "reserves": .reserve, "offers": .offer, "events": .event, "claims": .claim,
    ]

    func validate() throws {
        guard List.kinds[kind] != nil || kind == "provinces" || kind == "lots" else {
            throw ValidationError("unknown kind \"\(kind)\"; use one of: \((List.kinds.keys.sorted() + ["lots", "provinces"]).joined(separator: ", "))")
        }
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 100000") }
        if kind != "lots", holder != nil || mineral != nil { throw ValidationError("--holder and --mineral apply only to `list lots`") }
        if let mineral, Mineral.named(mineral) == nil {
            throw ValidationError("--mineral: unknown mineral \"\(mineral)\"; use one of: \(Mineral.allCases.map(\.rawValue).joined(separator: ", "))")
        }
    }

    func run() async throws {
        let store = try await Context.store(options)
        if kind == "provinces" { return listProvinces(store.geography) }
        if kind == "lots" { return try await listLots(store) }
        guard let k = List.kinds[kind] else { return }
        let records = try await store.list(k, after: after, limit: limit)
        if options.json {
            Context.printJSON(.object(["items": .array(records.map(\.json)),
                                       "next": records.count == limit ? .string(records.last?.id ?? "") : .null]))
            return
        }
        var table: TextTable
        func s(_ r: EntityRecord, _ key: String) -> String {
            guard case .object(let m) = r.json, let v = m[key] else { return "" }
            switch v {
            case .string(let x): return x
            case .array(let xs): return xs.map { if case .string(let x) = $0 { x } else { CanonicalJSON.string($0) } }.joined(separator: ";")
            case .bool(let b): return b ? "yes" : ""
            default: return CanonicalJSON.string(v)
            }
        }
        switch k {
        case .party: table = TextTable("id", "name", "kind", "country"); records.forEach { table.add($0.id, s($0, "name"), s($0, "kind"), s($0, "country")) }
        case .ownership:
            table = TextTable("id", "subject", "owner", "share", "from", "until")
            for r in records {
                let share = (try? Share(json: JSONObject((r.json.object?["share"]) ?? .null, path: "")))?.text ?? ""
                table.add(r.id, s(r, "subject"), s(r, "interestedParty"), share, s(r, "from"), s(r, "until"))
            }
        case .site: table = TextTable("id", "name", "kind", "minerals", "synthetic"); records.forEach { table.add($0.id, s($0, "name"), s($0, "kind"), s($0, "minerals"), s($0, "synthetic")) }
        case .concession: table = TextTable("id", "code", "type", "holder", "status", "minerals", "synthetic", "contested")
            records.forEach { table.add($0.id, s($0, "code"), s($0, "titleType"), s($0, "holder"), s($0, "status"), s($0, "minerals"), s($0, "synthetic"), s($0, "contested").isEmpty ? "" : "yes") }
        case .agreement: table = TextTable("id", "kind", "status", "signed", "title")
            records.forEach { table.add($0.id, s($0, "kind"), s($0, "status"), s($0, "signed"), s($0, "title")) }
        case .grant: table = TextTable("id", "agreement", "beneficiary", "exclusivity", "minerals", "contested")
            records.forEach { table.add($0.id, s($0, "agreement"), s($0, "beneficiary"), s($0, "exclusivity"), s($0, "minerals"), s($0, "contested").isEmpty ? "" : "yes") }
        case .obligation: table = TextTable("id", "agreement", "obligor", "kind", "due", "synthetic")
            records.forEach { table.add($0.id, s($0, "agreement"), s($0, "obligor"), s($0, "kind"), s($0, "due"), s($0, "synthetic")) }
        case .delivery: table = TextTable("id", "obligation", "date", "synthetic")
            records.forEach { table.add($0.id, s($0, "obligation"), s($0, "date"), s($0, "synthetic")) }
        case .reserve: table = TextTable("id", "agreement", "confidential", "title")
            records.forEach { table.add($0.id, s($0, "agreement"), s($0, "confidential"), s($0, "title")) }
        case .claim: table = TextTable("id", "subject", "field", "value", "confidence", "used")
            records.forEach { table.add($0.id, s($0, "subject"), s($0, "field"), s($0, "value"), s($0, "confidence"), s($0, "used")) }
        case .event: table = TextTable("id", "date", "kind", "title")
            records.forEach { table.add($0.id, s($0, "date"), s($0, "kind"), s($0, "title")) }
        case .offer: table = TextTable("id", "reserve", "asset", "beneficiary", "opens", "synthetic")
            records.forEach { table.add($0.id, s($0, "reserve"), s($0, "asset"), s($0, "beneficiary"), s($0, "opens"), s($0, "synthetic")) }
        }
        print(table.render())
        if records.count == limit, let last = records.last { print("… more after \(last.id): add --after \(last.id)") }
    }

    /// Lots by id, a page at a time, as `GET /api/v1/lots` gives them (`--json`: the same `items` and `next`).
    func listLots(_ store: RelationalStore) async throws {
        let lots = try await store.lots(after: after, limit: limit, holder: holder, mineral: mineral.flatMap(Mineral.named))
        if options.json {
            Context.printJSON(.object(["items": .array(lots.map(\.json)), "next": lots.count == limit ? .string(lots.last?.id ?? "") : .null]))
            return
        }
        var t = TextTable("id", "mineral", "form", "kg", "grade %", "holder", "status", "location")
        for l in lots {
            t.add(l.id, l.mineral.rawValue, l.form.rawValue, l.mass.kilogramText, l.grade?.text ?? "", l.holder, l.status, l.location ?? "")
        }
        print(t.render())
        if lots.count == limit, let last = lots.last { print("… more after \(last.id): add --after \(last.id)") }
    }

    func listProvinces(_ g: Geography) {
        if options.json {
            Context.printJSON(.array(g.provinces.map {
                .object(["code": .string($0.code), "name": .string($0.name), "cells": .int(Int64($0.cells.count)),
                         "hectares": .int(Int64($0.cells.hectares.rounded()))])
            }))
            return
        }
        var t = TextTable("code", "name", "cells", "km²")
        for p in g.provinces { t.add(p.code, p.name, String(p.cells.count), String(Int((p.cells.hectares / 100).rounded()))) }
        print(t.render())
    }
}

extension JSONValue {
    var object: [String: JSONValue]? { if case .object(let m) = self { m } else { nil } }
    var stringValue: String? { if case .string(let s) = self { s } else { nil } }
}
