import AssayDomain
import AssayStore
import Foundation

/// The conflict-and-risk reports the CLI, the API and the portal share: red flags in one list per
/// lot, site, operator or agreement; supply at risk by month; owner-country shares of capacity by month.
public enum RiskReports {
    /// A custody flag in the unified list (custody rules have no OECD response of their own: review).
    static func custodyJSON(_ f: CustodyFlag) -> JSONValue {
        guard case .object(var m) = f.json else { return f.json }
        m["response"] = "review"; m["subject"] = .string(f.lot)
        return .object(m)
    }

    /// Every flag of one lot: OECD red flags from its origins and route (screened now), custody flags
    /// of it and its ancestors, and royalty gaps of its origin lots' payers.
    public static func lot(_ store: RelationalStore, _ id: String, schedule: RoyaltySchedule) async throws -> JSONValue? {
        guard let risk = try await store.lotRisk(id), let trace = try await store.trace(id) else { return nil }
        let family = Set([trace.lot.id] + trace.ancestors.map(\.lot.id))
        let royalty = try await CustodyReports.royalties(store, schedule: schedule)
        let payers = Set(royalty.lines.filter { family.contains($0.basis.lot) }.map(\.basis.payer))
        var flags = risk.map(\.json) + trace.flags.map(custodyJSON)
        flags += royalty.flags.filter { payers.contains($0.payer) }.map { $0.json(subjectKey: "subject", subject: trace.lot.id, response: true) }
        return .object(["subject": .string(trace.lot.id), "kind": "lot", "flags": .array(flags)])
    }

    /// A site's flags on a day, its control timeline, and the custody flags of lots from it.
    public static func site(_ store: RelationalStore, _ id: String, on day: Day) async throws -> JSONValue? {
        guard let r = try await store.siteRisk(id, on: day) else { return nil }
        let lots = try await store.lotsFrom(site: id)
        var flags = r.flags.map(\.json)
        for l in lots { flags += try await store.custodyFlags(lot: l).map(custodyJSON) }
        return .object(["subject": .string(id), "kind": "site", "date": .string(day.iso), "flags": .array(flags),
                        "control": .array(r.timeline.map(entryJSON))])
    }

    static func entryJSON(_ e: ControlEntry) -> JSONValue {
        .object(["assessment": .string(e.id), "controller": .string(e.controller), "kind": .string(e.kind.rawValue),
                 "from": .string(e.period.from?.iso ?? ""), "until": e.period.until.map { .string($0.iso) } ?? .null,
                 "confidence": .string(e.confidence.rawValue), "source": .string(e.sourceText), "recorded": .string(e.recordedDay.iso)])
    }

    /// Every flag of the lots an operator extracted, held or moved: OECD red flags screened now, custody
    /// flags, and royalty gaps of each lot's payer. With `limit`, only its most recently touched lots
    /// (the portal's party page: its cost then follows the page, not the operator's whole history).
    /// The royalty computation runs once per report, not once per lot, and no signature is re-verified
    /// (a lot's buyer's report does that).
    public static func operatorFlags(_ store: RelationalStore, _ party: String, schedule: RoyaltySchedule, limit: Int? = nil) async throws -> JSONValue {
        let (lots, truncated) = try await store.lotsTouched(by: party, limit: limit)
        let royalty = try await CustodyReports.royalties(store, schedule: schedule)
        var payersByLot: [String: Set<String>] = [:]
        for line in royalty.lines { payersByLot[line.basis.lot, default: []].insert(line.basis.payer) }
        var flags: [JSONValue] = []
        for l in lots {
            flags += (try await store.lotRisk(l) ?? []).map(\.json)
            flags += try await store.custodyFlags(lot: l).map(custodyJSON)
            let payers = payersByLot[l] ?? []
            flags += royalty.flags.filter { payers.contains($0.payer) }.map { $0.json(subjectKey: "subject", subject: l, response: true) }
        }
        return .object(["subject": .string(party), "kind": "operator", "lots": .int(Int64(lots.count)), "truncated": .bool(truncated),
                        "flags": .array(flags)])
    }

    /// An agreement's exposure on a day: the share of its granted area and of the capacity under it on
    /// ground held by non-state armed groups, and its overdue obligations.
    /// Read as `role` may see it: whether a confidential obligation is overdue is sealed.
    public static func agreement(_ store: RelationalStore, _ id: String, on day: Day, as role: Role) async throws -> JSONValue? {
        let r = try await store.registry(as: role)
        guard r.agreements.contains(where: { $0.id == id }) else { return nil }
        let inputs = try await store.riskInputs()
        var flags: [JSONValue] = []
        var grants: [JSONValue] = []
        for g in r.grants where g.agreement == id {
            let cells = (try? g.area.resolve(in: store.geography)) ?? .empty
            let held = SupplyRisk.heldShare(of: cells, on: day, map: inputs.map)
            var total = 0.0, heldCap = 0.0
            for s in r.sites where !s.capacities.isEmpty {
                guard let c = inputs.siteCells[s.id], cells.contains(c) else { continue }
                let t = s.capacities.values.reduce(0) { $0 + NSDecimalNumber(decimal: $1).doubleValue }
                total += t
                if inputs.map.nonStateHolder(cell: c, on: day) != nil { heldCap += t }
            }
            grants.append(.object(["grant": .string(g.id), "cells": .int(Int64(cells.count)), "heldCells": .int(Int64(held.heldCells)),
                                   "heldAreaShare": .string(String(format: "%.4f", held.share)), "capacityTonnes": .string(String(format: "%.0f", total)),
                                   "heldCapacityTonnes": .string(String(format: "%.0f", heldCap))]))
            if held.heldCells > 0 {
                flags.append(.object(["rule": "risk.grant-area-held", "severity": "high", "response": "suspend", "subject": .string(g.id),
                                      "explanation": .string("\(String(format: "%.1f", held.share * 100))% of grant \(g.id)'s area is on ground held by a non-state armed group on \(day.iso)"),
                                      "evidence": .object(["grant": .string(g.id), "heldPercent": .string(String(format: "%.1f", held.share * 100)), "day": .string(day.iso)])]))
            }
        }
        for b in r.balance(agreement: id, asOf: day).overdue where Disclosure.seesSealed(role) || !b.obligation.confidential {
            flags.append(.object(["rule": "obligation.overdue", "severity": "medium", "response": "review", "subject": .string(b.obligation.id),
                                  "explanation": .string("obligation \(b.obligation.id) of \(b.obligation.obligor) is overdue on \(day.iso)"),
                                  "evidence": .object(["obligation": .string(b.obligation.id), "obligor": .string(b.obligation.obligor), "day": .string(day.iso)])]))
        }
        return .object(["subject": .string(id), "kind": "agreement", "date": .string(day.iso), "grants": .array(grants), "flags": .array(flags)])
    }

    /// Every lot screened now (re-screening after new information): lots with at least one OECD flag.
    public static func allLots(_ store: RelationalStore) async throws -> JSONValue {
        var out: [JSONValue] = []
        var after: String?
        repeat {
            let page = try await lotsPage(store, after: after, limit: 500)
            out += page.flagged
            after = page.next
        } while after != nil
        return .object(["lots": .array(out)])
    }

    /// The flagged lots among the next `limit` lots after `after` (in id order), and the cursor of the page
    /// after it (nil at the end): what the API serves, so a request costs one page of lots, however many
    /// the registry holds (every lot on each request took seconds at a million lots).
    public static func lotsPage(_ store: RelationalStore, after: String?, limit: Int) async throws -> (flagged: [JSONValue], scanned: Int, next: String?) {
        let page = try await store.lots(after: after, limit: limit)
        var out: [JSONValue] = []
        for (lot, flags) in try await store.lotRisks(page.map(\.id)) where !flags.isEmpty {
            out.append(.object(["lot": .string(lot), "flags": .array(flags.map(\.json))]))
        }
        return (out, page.count, page.count == limit ? page.last?.id : nil)
    }

    /// Supply at risk per mineral by month. With `registry`, each month also says what the registered
    /// capacity covers of the national total of its year, and the held tonnes as a share of that total.
    public static func supplyJSON(_ series: [Mineral: [SupplyPoint]], registry: RegistrySnapshot? = nil) -> JSONValue {
        .object(Dictionary(uniqueKeysWithValues: series.map { entry in
            (entry.key.rawValue, JSONValue.array(entry.value.map { p in
                guard let r = registry, case .object(var m) = p.json else { return p.json }
                let c = r.coverage(p.mineral, registeredTonnes: p.totalTonnes, asOf: p.month)
                if let national = c.nationalTonnes, let share = c.share, let notRegistered = c.notRegistered {
                    m["nationalTonnes"] = .string(String(format: "%.0f", national))
                    m["registeredShare"] = .string(String(format: "%.4f", share))
                    m["notRegistered"] = .string(String(format: "%.4f", notRegistered))
                    m["heldShareOfNational"] = .string(String(format: "%.4f", p.heldTonnes / national))
                } else {
                    m["coverage"] = "unknown: no national total recorded"
                }
                return .object(m)
            }))
        }))
    }

    /// Owner-country shares of capacity and their concentration (HHI) per mineral, month by month.
    public static func owners(_ store: RelationalStore, from: Day, months: Int) async throws -> JSONValue {
        let r = try await store.registry()
        var out: [JSONValue] = []
        var d = from.firstOfMonth
        for _ in 0..<months {
            let cap = r.capacityOwnership(asOf: d)
            for row in cap.rows {
                out.append(.object([
                    "month": .string(d.monthKey), "mineral": .string(row.mineral.rawValue), "totalTonnes": .string(String(format: "%.0f", row.totalTonnes)),
                    "countryShares": .object(Dictionary(uniqueKeysWithValues: row.byCountry.map {
                        ($0.country, .string(String(format: "%.4f", row.totalTonnes > 0 ? $0.tonnes / row.totalTonnes : 0)))
                    })),
                    "countryHHI": .string(String(format: "%.0f", row.countryHHI)),
                    "coverage": ReportJSON.coverageJSON(r.coverage(row.mineral, registeredTonnes: row.totalTonnes, asOf: d), byCountry: row.byCountry),
                ]))
            }
            d = d.firstOfNextMonth
        }
        return .object(["months": .array(out)])
    }
}

