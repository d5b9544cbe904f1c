import AssayDomain
import AssayStore
import Foundation
import TransparencyLog

/// The custody reports the CLI, the API and the portal share: royalties due against paid, the
/// EITI-style payments table, and the buyer's due-diligence report of a lot.
public enum CustodyReports {
    /// Royalties over `period` (all time when open), optionally for one payer.
    public static func royalties(_ store: RelationalStore, schedule: RoyaltySchedule, period: Period = .always, payer: String? = nil) async throws -> RoyaltyReport {
        let inputs = try await store.royaltyInputs()
        let bases = payer.map { p in inputs.bases.filter { $0.payer == p } } ?? inputs.bases
        let payments = payer.map { p in inputs.payments.filter { $0.payer == p } } ?? inputs.payments
        let lines = RoyaltyCalculator.lines(bases, prices: PriceTable(inputs.prices), schedule: schedule)
        return RoyaltyReport(period: period, lines: lines, payments: payments)
    }

    static func money(_ minor: Int64, _ currency: String?) -> JSONValue {
        .object(["amount": .string(DecimalText.canonical(Decimal(minor) / 100)), "currency": .string(currency ?? "")])
    }

    public static func lineJSON(_ l: RoyaltyLine, paidBy: [String]) -> JSONValue {
        var m: [String: JSONValue] = [
            "lot": .string(l.basis.lot), "event": .string(l.basis.event), "day": .string(l.basis.day.iso), "payer": .string(l.basis.payer),
            "site": .string(l.basis.site), "mineral": .string(l.basis.mineral.rawValue),
            "containedKg": .string(Mass(grams: l.basis.containedGrams).kilogramText),
            "status": .string(l.priceMinor == nil ? "no-price" : (paidBy.isEmpty ? "unpaid" : "paid")),
            "paidBy": .array(paidBy.map { .string($0) }),
        ]
        if let c = l.basis.concession { m["concession"] = .string(c) }
        if let r = l.rate { m["ratePercent"] = .string(r.text) }
        if let p = l.priceMinor {
            m["pricePerTonne"] = money(p, l.currency); m["grossValue"] = money(l.valueMinor, l.currency); m["due"] = money(l.dueMinor, l.currency)
        }
        return .object(m)
    }

    public static func royaltiesJSON(_ r: RoyaltyReport) -> JSONValue {
        var bySite: [String: [String: Int64]] = [:], byMonth: [String: [String: Int64]] = [:]
        for l in r.lines where l.currency != nil {
            bySite[l.basis.site, default: [:]][l.currency!, default: 0] += l.dueMinor
            byMonth[l.basis.day.monthKey, default: [:]][l.currency!, default: 0] += l.dueMinor
        }
        func totals(_ d: [String: [String: Int64]], key: String) -> JSONValue {
            .array(d.keys.sorted().flatMap { k in d[k]!.keys.sorted().map { c in .object([key: .string(k), "due": money(d[k]![c]!, c)]) } })
        }
        return .object([
            "period": .object(["from": r.period.from.map { .string($0.iso) } ?? .null, "until": r.period.until.map { .string($0.iso) } ?? .null]),
            "lines": .array(r.lines.map { lineJSON($0, paidBy: r.paidBy[$0.basis.lot] ?? []) }),
            "byPayer": .array(r.payers.map { t in
                .object(["payer": .string(t.payer), "due": money(t.dueMinor, t.currency), "paid": money(t.paidMinor, t.currency),
                         "gap": money(t.gapMinor, t.currency), "unpricedLots": .int(Int64(t.unpricedLots))])
            }),
            "bySite": totals(bySite, key: "site"),
            "byMonth": totals(byMonth, key: "month"),
            "flags": .array(r.flags.map { f in
                .object(["rule": .string(RoyaltyFlag.rule), "severity": "high", "payer": .string(f.payer), "explanation": .string(f.explanation),
                         "evidence": .object(["due": money(f.dueMinor, f.currency), "paid": money(f.paidMinor, f.currency)])])
            }),
        ])
    }

    /// One row of the EITI-style table: payments of one company, stream, project and currency.
    public struct EITIRow: Sendable, Hashable {
        public var company: String
        public var companyName: String
        public var stream: String
        public var project: String
        public var currency: String
        public var amountMinor: Int64
        public var payments: Int
        public var first: Day
        public var last: Day
    }

    public static func eiti(_ store: RelationalStore, period: Period = .always) async throws -> [EITIRow] {
        let payments = try await store.royaltyInputs().payments.filter { period.contains($0.date) }
        let names = try await store.partyNames(Set(payments.map(\.payer)))
        var rows: [String: EITIRow] = [:]
        for p in payments {
            let key = [p.payer, p.stream.rawValue, p.project ?? "", p.amount.currency].joined(separator: "\u{0}")
            var row = rows[key] ?? EITIRow(company: p.payer, companyName: names[p.payer] ?? p.payer, stream: p.stream.rawValue,
                                           project: p.project ?? "", currency: p.amount.currency, amountMinor: 0, payments: 0, first: p.date, last: p.date)
            row.amountMinor += Money.minorUnits(p.amount.amount); row.payments += 1
            row.first = min(row.first, p.date); row.last = max(row.last, p.date)
            rows[key] = row
        }
        return rows.values.sorted { ($0.company, $0.stream, $0.project, $0.currency) < ($1.company, $1.stream, $1.project, $1.currency) }
    }

    public static func eitiCSV(_ rows: [EITIRow]) -> String {
        var out = "company_id,company_name,revenue_stream,project,currency,amount,payments,first_payment,last_payment\n"
        for r in rows {
            out += [r.company, r.companyName, r.stream, r.project, r.currency, DecimalText.canonical(Decimal(r.amountMinor) / 100),
                    String(r.payments), r.first.iso, r.last.iso].map(CSVText.field).joined(separator: ",") + "\n"
        }
        return out
    }

    public static func eitiJSON(_ rows: [EITIRow]) -> JSONValue {
        .array(rows.map { r in
            .object(["companyId": .string(r.company), "companyName": .string(r.companyName), "revenueStream": .string(r.stream),
                     "project": .string(r.project), "amount": money(r.amountMinor, r.currency), "payments": .int(Int64(r.payments)),
                     "firstPayment": .string(r.first.iso), "lastPayment": .string(r.last.iso)])
        })
    }

    /// The buyer's due-diligence report of a lot: the trace (origins, custody chain with signatures
    /// checked, flags), the royalty status of every origin lot, and for each event and key registration
    /// a tlog-proof bundle against the latest checkpoint, so the whole report checks offline.
    public static func buyer(_ store: RelationalStore, lot: String, schedule: RoyaltySchedule) async throws -> JSONValue? {
        guard let trace = try await store.trace(lot) else { return nil }
        let family = Set([trace.lot.id] + trace.ancestors.map(\.lot.id))
        let royalty = try await royalties(store, schedule: schedule)
        let lines = royalty.lines.filter { family.contains($0.basis.lot) }
        var proofs: [JSONValue] = []
        var keySeqs: [String: Int64] = [:]
        for e in trace.events {
            let bundle = try await store.proofBundle(sequence: e.sequence)
            proofs.append(.object(["event": .string(e.signed.event.id), "seq": .int(e.sequence), "bundle": .string(bundle.text)]))
            keySeqs[e.signed.event.key] = nil
        }
        for k in Set(trace.events.map(\.signed.event.key)).sorted() {
            if let seq = try await store.keyRegistrationSequence(k) { keySeqs[k] = seq }
        }
        var keyProofs: [JSONValue] = []
        for (k, seq) in keySeqs.sorted(by: { $0.key < $1.key }) {
            let bundle = try await store.proofBundle(sequence: seq)
            keyProofs.append(.object(["key": .string(k), "seq": .int(seq), "bundle": .string(bundle.text)]))
        }
        // Every flag in one list: OECD red flags screened now, custody flags, royalty gaps.
        let risk = (try await store.lotRisk(trace.lot.id) ?? []).map { f -> JSONValue in
            guard case .object(var x) = f.json else { return f.json }
            x["lot"] = .string(trace.lot.id)
            return .object(x)
        }
        let flags = risk + trace.flags.map(\.json) + royalty.flags.filter { f in lines.contains { $0.basis.payer == f.payer } }.map { $0.json(subjectKey: "lot", subject: trace.lot.id, response: false) }
        guard case .object(var m) = trace.json else { return nil }
        m["flags"] = .array(flags)
        m["royalties"] = .array(lines.map { lineJSON($0, paidBy: royalty.paidBy[$0.basis.lot] ?? []) })
        m["proofs"] = .array(proofs)
        m["keyProofs"] = .array(keyProofs)
        m["log"] = .object(["origin": .string(store.origin), "verifierKey": .string(store.verifierKey),
                            "checkpoint": .string(store.latestCheckpoint()?.serialized ?? "")])
        m["names"] = .object(trace.names.mapValues { .string($0) })
        m["report"] = "assay buyer's due-diligence report v1"
        return .object(m)
    }
}

