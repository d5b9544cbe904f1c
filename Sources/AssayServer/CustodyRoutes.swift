import AssayDomain
import AssayReports
import AssayStore
import Foundation
import Hummingbird
import TransparencyLog

/// The chain-of-custody API: lots and their traces, buyer's reports, signed custody events (one or a
/// batch), operator keys, flags, royalties and the EITI payments table.
///
/// Who may write: a registrar anything; an operator only its own party's events, keys and payments
/// (the event's signature must also be its own key: the store checks that). Reads are public: the
/// custody chain is in the public log anyway.
enum CustodyRoutes {
    static func register(on api: RouterGroup<AssayContext>, store: RelationalStore) {
        let schedule: RoyaltySchedule? = store.royalties

        api.get("lots") { request, _ in
            let limit = try AssayApplication.intParameter(request, "limit", default: 100, range: 1...1000)
            let q = request.uri.queryParameters
            var mineral: Mineral?
            if let m = q["mineral"] {
                guard let parsed = Mineral.named(String(m)) else { throw Problem.invalid("mineral", "unknown mineral \"\(m)\"") }
                mineral = parsed
            }
            let lots = try await store.lots(after: q["after"].map(String.init), limit: limit, holder: q["holder"].map(String.init), mineral: mineral)
            let next: JSONValue = lots.count == limit ? .string(lots.last?.id ?? "") : .null
            return AssayApplication.json(.object(["items": .array(lots.map(\.json)), "next": next]))
        }
        api.get("lots/:id") { _, context in
            let id = try context.parameters.require("id")
            guard let lot = try await store.lot(id) else { throw Problem.notFound("no lot or tag \"\(id)\"") }
            return AssayApplication.json(lot.json)
        }
        api.get("lots/:id/trace") { _, context in
            let id = try context.parameters.require("id")
            guard let trace = try await store.trace(id) else { throw Problem.notFound("no lot or tag \"\(id)\"") }
            return AssayApplication.json(trace.json)
        }
        api.get("lots/:id/report") { _, context in
            let id = try context.parameters.require("id")
            guard let schedule else { throw Problem(.internalServerError, type: "internal", title: "No royalty rates", detail: "the shipped rate table is missing") }
            guard let report = try await CustodyReports.buyer(store, lot: id, schedule: schedule) else { throw Problem.notFound("no lot or tag \"\(id)\"") }
            return AssayApplication.json(report)
        }
        api.get("flags") { request, _ in
            let limit = try AssayApplication.intParameter(request, "limit", default: 1000, range: 1...10_000)
            let flags = try await store.custodyFlags(party: request.uri.queryParameters["party"].map(String.init), limit: limit)
            return AssayApplication.json(.object(["items": .array(flags.map(\.json))]))
        }
        api.get("keys") { request, _ in
            let keys = try await store.operatorKeys(party: request.uri.queryParameters["party"].map(String.init))
            return AssayApplication.json(.object(["items": .array(keys.map { k in
                var m = k.json
                if let r = k.revokedAt { m["revokedAt"] = .string(r.iso) }
                return .object(m)
            })]))
        }
        api.post("keys") { request, context in
            try await submit(request, context, store: store, type: .registerKey)
        }
        api.post("keys/:id/revoke") { request, context in
            let id = try context.parameters.require("id")
            guard case .object(var m) = try await AssayApplication.body(request, context) else { throw Problem.invalid("", "expected a JSON object") }
            m["key"] = .string(id)
            return try await submitValue(.object(m), context, store: store, type: .revokeKey)
        }
        api.post("custody-events") { request, context in
            try await submit(request, context, store: store, type: .custodyEvent)
        }
        api.post("prices") { request, context in
            try await submit(request, context, store: store, type: .recordPrice)
        }
        api.post("payments") { request, context in
            try await submit(request, context, store: store, type: .recordPayment)
        }
        api.post("custody-policy") { request, context in
            try await submit(request, context, store: store, type: .setCustodyPolicy)
        }
        api.post("batch") { request, context in
            try context.require(.registrar, .operator)
            // Checked before anything is read or written: `?receipts=true`: a COSE receipt for every accepted line (one signature each), as single writes give.
            var receipts = false
            if let flag = request.uri.queryParameters["receipts"] {
                guard flag == "true" || flag == "false" else { throw Problem.invalid("receipts", "receipts is true or false, not \"\(flag)\"") }
                receipts = flag == "true"
            }
            let buffer: ByteBuffer
            do { buffer = try await request.body.collect(upTo: 16 << 20) } catch {
                throw Problem(.contentTooLarge, type: "too-large", title: "Request body too large", detail: "a batch is at most 16 MiB; split it")
            }
            let text = String(decoding: Array(buffer: buffer), as: UTF8.self)
            // NDJSON: one command a line (blank lines and # comments skipped).
            var lines: [(Int, Result<Command, DomainError>)] = []
            for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
                if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") { continue }
                do {
                    let c = try Command(bulkLine: String(line))
                    if let why = try await forbidden(c, context, store: store) { throw DomainError(.invalidField, field: "type", why) }
                    lines.append((i + 1, .success(c)))
                } catch let e as DomainError { lines.append((i + 1, .failure(e))) }
            }
            if lines.isEmpty { throw Problem.invalid("", "the batch holds no command (send NDJSON: one command a line)") }
            if lines.count > 100_000 { throw Problem.invalid("", "a batch holds at most 100,000 commands") }
            let good = lines.compactMap { if case .success(let c) = $0.1 { c } else { nil } }
            let outcomes = try await store.appendEach(good, author: context.token?.id ?? "unknown")
            var k = 0
            var results: [JSONValue] = []
            var accepted = 0
            for (line, r) in lines {
                switch r {
                case .failure(let e):
                    results.append(.object(["line": .int(Int64(line)), "status": "refused", "type": .string(e.code.rawValue), "field": .string(e.field), "detail": .string(e.message)]))
                case .success:
                    switch outcomes[k] {
                    case .accepted(let receipt):
                        accepted += 1
                        var m: [String: JSONValue] = ["line": .int(Int64(line)), "status": .string(receipt.replayed ? "already-recorded" : "accepted"),
                                                      "id": .string(receipt.subject), "entry": .int(receipt.sequence), "flags": .array(receipt.flags.map(\.json))]
                        if receipts { m["receipt"] = .string(Base64.encode(try store.receipt(sequence: receipt.sequence))) }
                        results.append(.object(m))
                    case .refused(let e):
                        results.append(.object(["line": .int(Int64(line)), "status": "refused", "type": .string(e.code.rawValue), "field": .string(e.field), "detail": .string(e.message)]))
                    }
                    k += 1
                }
            }
            return AssayApplication.json(.object(["accepted": .int(Int64(accepted)), "refused": .int(Int64(lines.count - accepted)),
                                                  "checkpoint": .string(store.latestCheckpoint()?.serialized ?? ""), "results": .array(results)]))
        }
    }

    /// Why the caller may not append `command`, or nil when it may.
    static func forbidden(_ command: Command, _ context: AssayContext, store: RelationalStore) async throws -> String? {
        switch context.role {
        case .registrar: return nil
        case .operator:
            let party = context.token?.party ?? ""
            switch command {
            case .custodyEvent(let s): return s.event.party == party ? nil : "an operator token of \(party) cannot submit events of \(s.event.party)"
            case .registerKey(let k): return k.party == party ? nil : "an operator token of \(party) cannot register keys of \(k.party)"
            case .revokeKey(let r):
                let owner = try await store.operatorKeys().first { $0.id == r.key }?.party
                return owner == nil || owner == party ? nil : "an operator token of \(party) cannot revoke keys of \(owner!)"
            case .recordPayment(let p): return p.payer == party ? nil : "an operator token of \(party) cannot declare payments of \(p.payer)"
            default: return "an operator token cannot append \(command.kind.rawValue) commands"
            }
        default: return "a \(context.role.rawValue) token cannot append commands"
        }
    }

    static func submit(_ request: Request, _ context: AssayContext, store: RelationalStore, type: Command.Kind) async throws -> Response {
        if type == .custodyEvent {
            // A custody event may come as a SCITT signed statement (Content-Type: application/cose).
            return try await submitValue(try await AssayApplication.body(request, context, statement: SignedCustodyEvent.command(statement:)),
                                         context, store: store, type: type)
        }
        return try await submitValue(try await AssayApplication.body(request, context), context, store: store, type: type)
    }

    /// Appends one custody-side command after checking the caller may; answers with the receipt (201),
    /// or the original receipt (200) when the same event was already recorded.
    static func submitValue(_ body: JSONValue, _ context: AssayContext, store: RelationalStore, type: Command.Kind) async throws -> Response {
        let writers: [Role] = [.setCustodyPolicy, .recordPrice].contains(type) ? [.registrar] : [.registrar, .operator]
        guard writers.contains(context.role) else {
            if context.role == .public { try context.require(.registrar) }
            throw Problem(.forbidden, type: "forbidden", title: "Forbidden", detail: "a \(context.role.rawValue) token cannot append \(type.rawValue) commands")
        }
        guard case .object(var m) = body else { throw Problem.invalid("", "expected a JSON object") }
        if m["type"] == nil { m["type"] = .string(type.rawValue) }
        guard m["type"] == .string(type.rawValue) else { throw Problem.invalid("type", "this resource takes \(type.rawValue) commands") }
        let command = try AssayApplication.command(.object(m))
        if let why = try await forbidden(command, context, store: store) {
            throw Problem(.forbidden, type: "forbidden", title: "Forbidden", detail: why)
        }
        let receipts: [AppendReceipt]
        do { receipts = try await store.append([command], author: context.token?.id ?? "unknown") } catch let r as BatchRejected {
            throw AssayApplication.problem(r.errors.first?.error ?? DomainError(.invalidField, field: "", "refused"))
        }
        guard let r = receipts.first, let note = r.checkpoint ?? store.latestCheckpoint() else {
            throw Problem(.internalServerError, type: "internal", title: "No receipt", detail: "no checkpoint")
        }
        let cp = try Checkpoint(body: note.text)
        let (proof, _) = try store.inclusionProof(index: Int(r.sequence) - 1, size: cp.size)
        return AssayApplication.json(.object([
            "id": .string(r.subject), "entry": .int(r.sequence), "index": .int(r.sequence - 1), "alreadyRecorded": .bool(r.replayed),
            "checkpoint": .string(note.serialized), "inclusionProof": .array(proof.map { .string($0.base64) }),
            "receipt": .string(Base64.encode(try store.receipt(sequence: r.sequence, size: cp.size, root: cp.root, path: proof))),
            "flags": .array(r.flags.map(\.json)),
        ]), status: r.replayed ? .ok : .created)
    }
}
