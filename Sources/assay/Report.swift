import ArgumentParser
import AssayDomain
import AssayIngest
import AssayReports
import AssayStore
import Foundation

/// `assay report balance|ownership|collisions`.
struct Report: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reports: the quid-pro-quo balance, who owns production, recorded collisions, royalties due vs paid, EITI payments, a lot's due-diligence report.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "balance | ownership | collisions | royalties | eiti | lot | risk | supply | owners") var which: String
    @Argument(help: "For `lot`: the lot id or tag.") var subject: String?
    @Option(name: .customLong("as-of"), help: "The day (YYYY-MM-DD; default today).") var asOf: String?
    @Option(help: "Only this agreement (balance).") var agreement: String?
    @Option(help: "Royalties and EITI: first day (YYYY-MM-DD).") var from: String?
    @Option(help: "Royalties and EITI: first day after the period.") var until: String?
    @Option(help: "Royalties: only this payer.") var payer: String?
    @Option(help: "EITI: csv or json (default csv; --json also gives json).") var format: String?
    @Option(help: "Risk: one lot's flags.") var lot: String?
    @Option(help: "Risk: one site's flags and control timeline (on --as-of).") var site: String?
    @Option(name: .customLong("operator"), help: "Risk: the flags of every lot a party acted on.") var operatorParty: String?

    func validate() throws {
        guard ["balance", "ownership", "coverage", "collisions", "royalties", "eiti", "lot", "risk", "supply", "owners"].contains(which) else {
            throw ValidationError("unknown report \"\(which)\"; use balance, ownership, coverage, collisions, royalties, eiti, lot, risk, supply or owners")
        }
        if which == "lot", subject == nil { throw ValidationError("`report lot` needs the lot's id") }
        if let format, !["csv", "json"].contains(format) { throw ValidationError("--format: use csv or json") }
    }

    func period() throws -> Period {
        do {
            return try Period(from: from.map { s throws(DomainError) in try Day(iso: s, field: "--from") },
                              until: until.map { s throws(DomainError) in try Day(iso: s, field: "--until") }, field: "--from/--until")
        } catch { throw InputFailure(message: error.description) }
    }

    func risk(_ store: RelationalStore) async throws {
        let day = try Report.day(asOf)
        let (start, months): (Day, Int)
        do { (start, months) = try RiskReports.months(from: from, until: until) } catch let e as DomainError { throw InputFailure(message: e.description) }
        let value: JSONValue
        switch which {
        case "supply":
            let series = try await store.supplyRisk(from: start, months: months)
            if !options.json {
                print("Supply at risk: capacity (t/yr) on ground held by non-state armed groups at any time in the month, and halted")
                let r = try await store.registry()
                var t = TextTable("month", "mineral", "total", "held", "held %", "halted", "held sites", "coverage")
                for m in series.keys.sorted() {
                    for p in series[m]! where p.heldTonnes > 0 || p.haltedTonnes > 0 {
                        t.add(p.month.monthKey, m.rawValue, String(format: "%.0f", p.totalTonnes), String(format: "%.0f", p.heldTonnes),
                              percent(p.heldShare), String(format: "%.0f", p.haltedTonnes), p.heldSites.joined(separator: ","),
                              r.coverage(m, registeredTonnes: p.totalTonnes, asOf: p.month).text)
                    }
                }
                print(t.render())
                return
            }
            value = AssayReports.RiskReports.supplyJSON(series, registry: try await store.registry())
        case "owners":
            value = try await AssayReports.RiskReports.owners(store, from: start, months: months)
        default:
            let schedule = try RoyaltyRates.schedule()
            if let lot {
                guard let v = try await AssayReports.RiskReports.lot(store, lot, schedule: schedule) else { throw InputFailure(message: "--lot: no lot \"\(lot)\"") }
                value = v
            } else if let site {
                guard let v = try await AssayReports.RiskReports.site(store, site, on: day) else { throw InputFailure(message: "--site: no site \"\(site)\"") }
                value = v
            } else if let operatorParty {
                value = try await AssayReports.RiskReports.operatorFlags(store, operatorParty, schedule: schedule)
            } else if let agreement {
                guard let v = try await AssayReports.RiskReports.agreement(store, agreement, on: day, as: .auditor) else { throw InputFailure(message: "--agreement: no agreement \"\(agreement)\"") }
                value = v
            } else {
                value = try await AssayReports.RiskReports.allLots(store)
            }
        }
        if options.json { Context.printJSON(value); return }
        printFlags(value)
    }

    /// Prints the `flags` of a risk report (or of each lot) as lines.
    func printFlags(_ value: JSONValue) {
        guard case .object(let m) = value else { return }
        func s(_ v: JSONValue?) -> String { if case .string(let x)? = v { x } else { "" } }
        func lines(_ flags: JSONValue?) {
            guard case .array(let list)? = flags else { return }
            if list.isEmpty { print("  no flags") }
            for f in list {
                guard case .object(let x) = f else { continue }
                let since = s(x["since"]).isEmpty ? "" : " (since \(s(x["since"])))"
                print("  [\(s(x["severity"]))/\(s(x["response"]))] \(s(x["rule"])) \(s(x["subject"])): \(s(x["explanation"]))\(since)")
            }
        }
        if case .array(let lots)? = m["lots"] {
            for l in lots { guard case .object(let x) = l else { continue }; print("lot \(s(x["lot"])):"); lines(x["flags"]) }
            if lots.isEmpty { print("no lot has an OECD red flag") }
            return
        }
        print("\(s(m["kind"])) \(s(m["subject"])):")
        lines(m["flags"])
        if case .array(let control)? = m["control"], !control.isEmpty {
            print("control of its ground:")
            for c in control { guard case .object(let x) = c else { continue }; print("  \(s(x["controller"])) (\(s(x["kind"]))) \(s(x["from"])) → \(s(x["until"]).isEmpty ? "…" : s(x["until"])) [\(s(x["confidence"]))] \(s(x["source"]))") }
        }
        if case .array(let grants)? = m["grants"] {
            for g in grants { guard case .object(let x) = g else { continue }; print("  grant \(s(x["grant"])): \(s(x["heldAreaShare"])) of its area held; capacity \(s(x["heldCapacityTonnes"]))/\(s(x["capacityTonnes"])) t held") }
        }
    }

    func custody(_ store: RelationalStore) async throws {
        let schedule = try RoyaltyRates.schedule()
        switch which {
        case "royalties":
            let r = try await CustodyReports.royalties(store, schedule: schedule, period: try period(), payer: payer)
            if options.json { Context.printJSON(CustodyReports.royaltiesJSON(r)); return }
            print("Royalties due (Mining Code 2018, art. 241) vs paid, \(r.period.text)\(payer.map { " for \($0)" } ?? "")")
            var t = TextTable("payer", "currency", "due", "paid", "gap", "unpriced lots")
            for p in r.payers {
                t.add(p.payer, p.currency, (Decimal(p.dueMinor) / 100).grouped, (Decimal(p.paidMinor) / 100).grouped,
                      (Decimal(p.gapMinor) / 100).grouped, String(p.unpricedLots))
            }
            print(t.render())
            var lots = TextTable("day", "lot", "payer", "site", "mineral", "contained kg", "rate", "due", "status")
            for l in r.lines {
                let paid = r.paidBy[l.basis.lot] ?? []
                lots.add(l.basis.day.iso, l.basis.lot, l.basis.payer, l.basis.site, l.basis.mineral.rawValue, Mass(grams: l.basis.containedGrams).kilogramText,
                         l.rate.map(\.description) ?? "—", l.priceMinor == nil ? "no price" : "\((Decimal(l.dueMinor) / 100).grouped) \(l.currency ?? "")",
                         l.priceMinor == nil ? "no-price" : (paid.isEmpty ? "unpaid" : "paid (\(paid.joined(separator: ",")))"))
            }
            print("\n" + lots.render())
            for f in r.flags { print("\nFLAG \(RoyaltyFlag.rule): \(f.explanation)") }
        case "eiti":
            let rows = try await CustodyReports.eiti(store, period: try period())
            if options.json || format == "json" { Context.printJSON(CustodyReports.eitiJSON(rows)) } else { print(CustodyReports.eitiCSV(rows), terminator: "") }
        default:
            guard let report = try await CustodyReports.buyer(store, lot: subject ?? "", schedule: schedule) else {
                throw InputFailure(message: "no lot or tag \"\(subject ?? "")\"")
            }
            // The buyer's report is a document to file: always JSON (the portal renders it as a page).
            Context.printJSON(report)
        }
    }

    static func day(_ text: String?) throws -> Day {
        guard let text else { return RelationalStore.systemClock().day }
        do { return try Day(iso: text, field: "--as-of") } catch { throw InputFailure(message: error.description) }
    }

    func run() async throws {
        let store = try await Context.store(options)
        if ["royalties", "eiti", "lot"].contains(which) { return try await custody(store) }
        if ["risk", "supply", "owners"].contains(which) { return try await risk(store) }
        let day = try Report.day(asOf)
        let r = try await store.registry()
        switch which {
        case "balance": balance(r, day)
        case "ownership": ownership(r, day)
        case "coverage": coverage(r, day)
        default: collisions(r)
        }
    }

    func balance(_ r: RegistrySnapshot, _ day: Day) {
        let report = r.balance(agreement: agreement, asOf: day)
        let linked = agreement.map { r.linkedBalances(of: $0, asOf: day) } ?? []
        if options.json {
            var out = ReportJSON.balance(report)
            if agreement != nil, case .object(var m) = out { m["linked"] = ReportJSON.linked(linked, hideConfidential: false); out = .object(m) }
            Context.printJSON(out)
            return
        }
        print("Balance as of \(day.iso)\(agreement.map { " for \($0)" } ?? ""): promised vs delivered, by party and category")
        var t = TextTable("party", "category", "measure", "promised", "due so far", "delivered", "overdue")
        for x in report.totals {
            t.add(x.party, x.category.rawValue, x.measure, x.promised.grouped, x.due.grouped, x.delivered.grouped, x.overdue.grouped)
        }
        print(t.render())
        let overdue = report.overdue
        if !overdue.isEmpty {
            print("\nOverdue as of \(day.iso):")
            for b in overdue {
                let v = b.obligation.value.map { "\(b.overdueValue.grouped) \($0.currency)" }
                let q = b.obligation.quantity.map { "\(b.overdueQuantity.grouped) \($0.unit)" }
                print("  \(b.obligation.id) (\(b.obligation.obligor) → \(b.obligation.beneficiary)): \([v, q].compactMap { $0 }.joined(separator: ", "))\(b.obligation.provenance.synthetic ? " [synthetic]" : "")")
            }
        }
        for l in linked {
            print("\nLinked: \(l.agreement.id) (\(l.relation)), \(l.agreement.status.rawValue): \(l.agreement.title)")
            for b in l.report.obligations {
                let state = b.isOverdue ? "OVERDUE" : String(format: "%.0f%% delivered", b.progress * 100)
                print("  \(b.obligation.id) (\(b.obligation.obligor) → \(b.obligation.beneficiary), \(b.obligation.kind.rawValue)\(b.obligation.due.map { ", due \($0.iso)" } ?? "")): \(state)")
            }
        }
        if r.obligations.contains(where: \.provenance.synthetic) || !r.deliveries.isEmpty {
            print("\nIncludes synthetic (illustrative) quantities and deliveries; see `assay list obligations`.")
        }
    }

    func ownership(_ r: RegistrySnapshot, _ day: Day) {
        let graph = r.ownershipGraph(asOf: day)
        let cap = r.capacityOwnership(asOf: day)
        let titles = r.concessions.map { c in (c, graph.countryShares(of: c.holder)) }
        if options.json {
            Context.printJSON(ReportJSON.ownership(r, asOf: day))
            return
        }
        print("Ownership of mining titles by ultimate owners' country, as of \(day.iso)")
        var t = TextTable("concession", "holder", "owner countries")
        for (c, shares) in titles { t.add(c.id, c.holder, shares.map { "\($0.country) \(percent($0.share))" }.joined(separator: ", ")) }
        print(t.render())
        print("\nCapacity (tonnes a year) by owner country, with Herfindahl–Hirschman index (0–10,000)")
        var c = TextTable("mineral", "t/year", "by owner country (of registered)", "HHI countries", "HHI owners", "coverage")
        for row in cap.rows {
            c.add(row.mineral.rawValue, String(format: "%.0f", row.totalTonnes),
                  row.byCountry.map { "\($0.country) \(percent($0.tonnes / row.totalTonnes))" }.joined(separator: ", "),
                  String(Int(row.countryHHI.rounded())), String(Int(row.ownerHHI.rounded())),
                  r.coverage(row.mineral, registeredTonnes: row.totalTonnes, asOf: day).text)
        }
        print(c.render())
        print("Shares are of the capacity the registry holds; coverage compares it with the national total (assay report coverage).")
    }

    func coverage(_ r: RegistrySnapshot, _ day: Day) {
        if options.json { Context.printJSON(ReportJSON.coverage(r, asOf: day)); return }
        print("Registered capacity against national production, as of \(day.iso)")
        var t = TextTable("mineral", "registered t/year", "coverage", "sources")
        for c in r.coverage(asOf: day) {
            t.add(c.mineral.rawValue, String(format: "%.0f", c.registeredTonnes), c.text, c.national?.provenance.sources.joined(separator: " ") ?? "—")
        }
        print(t.render())
    }

    func collisions(_ r: RegistrySnapshot) {
        if options.json {
            Context.printJSON(ReportJSON.collisions(r))
            return
        }
        if r.contestedCollisions.isEmpty { print("No recorded collisions."); return }
        print("Rights recorded as contested, and what they collide with")
        var t = TextTable("contested", "collides with", "holder", "cells", "minerals", "overlap")
        for (claim, c) in r.contestedCollisions {
            t.add(claim, "\(c.claimKind.rawValue) \(c.claimID)", c.holder, String(c.cellCount), c.minerals.sorted.map(\.rawValue).joined(separator: ","), c.period.text)
        }
        print(t.render())
    }
}
