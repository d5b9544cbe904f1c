import ArgumentParser
import AssayDomain
import AssayReports
import AssayStore
import Foundation

/// `assay show ID`: one entity with what relates to it.
struct Show: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one party, site, concession, agreement, grant, obligation or delivery.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The id.") var id: String
    @Option(name: .customLong("as-of"), help: "The day for ownership and balances (YYYY-MM-DD; default today).") var asOf: String?

    func run() async throws {
        let store = try await Context.store(options)
        guard let record = try await store.find(id) else { throw InputFailure(message: "no entity with id \"\(id)\"") }
        let day = try Report.day(asOf)
        let r = try await store.registry()
        var related: [String: JSONValue] = [:]
        var lines: [String] = []
        let graph = r.ownershipGraph(asOf: day)

        func owners(_ party: String) {
            let ult = graph.ultimateOwners(of: party)
            related["ultimateOwners"] = .array(ult.map {
                .object(["owner": $0.owner.map { .string($0) } ?? .null, "country": $0.country.map { .string($0) } ?? .null,
                         "share": .string(String(format: "%.4f", $0.share)), "path": .array($0.path.map { .string($0) })])
            })
            let countries = graph.countryShares(of: party)
            related["countryShares"] = .object(Dictionary(uniqueKeysWithValues: countries.map { ($0.country, .string(String(format: "%.4f", $0.share))) }))
            lines.append("ultimate owners of \(party) on \(day.iso):")
            for u in ult { lines.append("  \(u.owner ?? "unknown"): \(percent(u.share))\(u.country.map { " [\($0)]" } ?? "")  via \(u.path.joined(separator: " → "))") }
            lines.append("by owner country: " + countries.map { "\($0.country) \(percent($0.share))" }.joined(separator: ", "))
        }
        func collisions(_ claim: String) {
            let cs = r.collisions(involving: claim)
            guard !cs.isEmpty else { return }
            related["collisions"] = .array(cs.map { .object(["contested": .string($0.claim), "collision": $0.collision.json]) })
            lines.append("CONTESTED — recorded collisions:")
            for c in cs { lines.append("  \(c.claim) ⟷ \(c.collision)") }
        }

        switch record.kind {
        case .party:
            let direct = graph.directOwners(of: id)
            if !direct.isEmpty { lines.append("direct owners: " + direct.map { "\($0.interestedParty) \($0.share.text)" }.joined(separator: ", ")) }
            owners(id)
            let held = r.concessions.filter { $0.holder == id }.map(\.id)
            if !held.isEmpty { lines.append("titles held: \(held.joined(separator: ", "))"); related["concessions"] = .array(held.map { .string($0) }) }
            let agreements = r.agreements.filter { $0.parties.contains { $0.party == id } }.map(\.id)
            if !agreements.isEmpty { lines.append("agreements: \(agreements.joined(separator: ", "))"); related["agreements"] = .array(agreements.map { .string($0) }) }
        case .concession:
            if let c = r.concessions.first(where: { $0.id == id }) {
                let provinces = store.geography.provinces(of: c.cells)
                lines.append("area: \(c.cells.count) cells, \(Int(c.cells.hectares.rounded())) ha, \(c.cells.boundingBox?.description ?? "")")
                lines.append("provinces: \(provinces.joined(separator: ", "))")
                related["hectares"] = .int(Int64(c.cells.hectares.rounded()))
                related["provinces"] = .array(provinces.map { .string($0) })
                owners(c.holder)
                collisions(id)
            }
        case .site:
            if let s = r.sites.first(where: { $0.id == id }) {
                let province = store.geography.province(latitude: s.latitudeDegrees, longitude: s.longitudeDegrees)
                let cell = (try? s.cell).map(Int64.init) ?? 0
                lines.append("province: \(province.map { "\($0.name) (\($0.code))" } ?? "outside the loaded provinces"); cell \(cell)")
                related["province"] = province.map { .string($0.code) } ?? .null
                related["cell"] = .int(cell)
                if let owner = r.siteOwners[id] { owners(owner) }
            }
        case .agreement:
            if let a = r.agreements.first(where: { $0.id == id }) {
                if let newer = r.supersededBy[id] { lines.append("SUPERSEDED by \(newer)"); related["supersededBy"] = .string(newer) }
                lines.append("parties: " + a.parties.map { "\($0.party) (\($0.role.rawValue))" }.joined(separator: ", "))
                let grants = r.grants.filter { $0.agreement == id }
                for g in grants {
                    lines.append("grant \(g.id): \(g.exclusivity.rawValue) \(g.rights.map(\.rawValue).joined(separator: "+")) of \(g.minerals.sorted.map(\.rawValue).joined(separator: ", ")) to \(g.beneficiary) over \(g.area.text)\(g.provenance.synthetic ? " [synthetic area]" : "")")
                    if g.contested != nil { collisions(g.id) }
                }
                related["grants"] = .array(grants.map { .object($0.json) })
                let balance = r.balance(agreement: id, asOf: day)
                for b in balance.obligations {
                    let o = b.obligation
                    let promised = [o.value.map { "\($0.amount.grouped) \($0.currency)" }, o.quantity.map { "\($0.amount.grouped) \($0.unit)" }].compactMap { $0 }.joined(separator: ", ")
                    lines.append("obligation \(o.id) (\(o.obligor) → \(o.beneficiary), \(o.kind.rawValue)): promised \(promised.isEmpty ? "—" : promised); delivered \(percent(b.progress))\(b.isOverdue ? " OVERDUE" : "")\(o.provenance.synthetic ? " [synthetic]" : "")")
                }
                related["obligations"] = .array(balance.obligations.map { ReportJSON.obligation($0) })
            }
        case .grant:
            if let g = r.grants.first(where: { $0.id == id }) {
                let cells = (try? g.area.resolve(in: store.geography)) ?? .empty
                lines.append("area: \(g.area.text), \(cells.count) cells, \(Int(cells.hectares.rounded())) ha")
                collisions(g.id)
            }
        case .claim:
            lines.append("every claim about the same subject: assay list claims, or /conflicts on the portal")
        case .event:
            lines.append("the record around it: assay timeline")
        case .reserve:
            lines.append("its assets and windows: assay reserve show \(id)")
        case .offer:
            if case .object(let m) = record.json, case .string(let reserve)? = m["reserve"] { lines.append("its window: assay reserve show \(reserve)") }
        case .ownership, .obligation, .delivery:
            break
        }
        if options.json {
            Context.printJSON(.object(["id": .string(id), "kind": .string(record.kind.rawValue), "entry": .int(record.sequence),
                                       "record": record.json, "related": .object(related)]))
            return
        }
        print("\(record.kind.rawValue) \(id) (journal entry \(record.sequence))")
        if case .object(let m) = record.json {
            for key in m.keys.sorted() where key != "cells" {
                let v = m[key] ?? .null
                let text: String = if case .string(let s) = v { s } else { CanonicalJSON.string(v) }
                print("  \(key): \(text.count > 200 ? String(text.prefix(199)) + "…" : text)")
            }
            if m["synthetic"] == .bool(true) { print("  ⚠ SYNTHETIC: illustrative data, not a sourced fact") }
        }
        for l in lines { print(l) }
    }
}
