import AssayDomain
import AssayReports
import AssayStore
import Foundation
import Hummingbird
import HummingbirdCore
import NIOCore
import Logging
import Prometheus
import TransparencyLog

/// Builds the HTTP application: the JSON API under `/api/v1` and the log's C2SP read API under `/log`.
///
/// For example:
/// ```swift
/// let app = AssayApplication.make(store: store, host: "127.0.0.1", port: 8080)
/// try await app.runService()   // graceful on SIGTERM/SIGINT
/// ```
public enum AssayApplication {
    public static func make(store: RelationalStore, host: String = "127.0.0.1", port: Int = 8080,
                            logger: Logger = Logger(label: "assay"), metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
                            witness: WitnessEndpoint? = nil, limits: ServerLimits = .standard,
                            deliverWebhooks: Bool = true, witnessPolicy: WitnessPolicy? = nil) -> some ApplicationProtocol {
        let r = router(store: store, metrics: metrics, limits: limits, witnessPolicy: witnessPolicy)
        witness?.register(on: r)
        let timeout = limits.requestTimeout.map { TimeAmount.nanoseconds(Int64($0.components.seconds) * 1_000_000_000 + $0.components.attoseconds / 1_000_000_000) }
        let server: HTTPServerBuilder = .http1(configuration: .init(additionalChannelHandlers: timeout.map { t in [RequestDeadlineHandler(timeout: t)] } ?? []))
        return Application(router: r, server: server,
                           configuration: .init(address: .hostname(host, port: port), serverName: "assay",
                                                availableConnectionsDelegate: limits.maxConnections.map { MaximumAvailableConnections($0, logger: logger) }),
                           services: (store.isShared ? [LogFollower(store: store, logger: logger)] : [])
                               + (deliverWebhooks ? [WebhookDeliverer(store: store, logger: logger)] : []),
                           logger: logger)
    }

    /// Plural resource names → entity kinds.
    static let resources: [String: EntityKind] = [
        "parties": .party, "ownerships": .ownership, "sites": .site, "concessions": .concession, "agreements": .agreement,
        "grants": .grant, "obligations": .obligation, "deliveries": .delivery, "reserves": .reserve, "offers": .offer, "events": .event, "claims": .claim,
    ]

    /// - Parameter limits: write rates per token and address (connections and request time are the
    ///   server's, see ``make(store:host:port:logger:metrics:witness:limits:)``).
    public static func router(store: RelationalStore, metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
                              limits: ServerLimits = .unlimited, witnessPolicy: WitnessPolicy? = nil) -> Router<AssayContext> {
        let router = Router(context: AssayContext.self)
        router.add(middleware: MetricsMiddleware())
        router.add(middleware: SecurityHeadersMiddleware())
        router.add(middleware: ProblemMiddleware())
        router.add(middleware: TokenMiddleware(store: store))
        router.add(middleware: WriteRateLimitMiddleware(limiter: WriteRateLimiter(limits)))
        router.get("healthz") { _, _ in "ok" }
        let logSize = metrics.makeGauge(name: "assay_log_size", help: "Entries covered by the latest signed checkpoint")
        let batches = metrics.makeGauge(name: "assay_group_commit_batches", help: "Transactions written by the group committer since start")
        let batched = metrics.makeGauge(name: "assay_group_commit_appends", help: "Appends those transactions carried")
        let walFailures = metrics.makeGauge(name: "assay_wal_checkpoint_failures_total", help: "WAL checkpoints that failed since the server started")
        let servedSize = metrics.makeGauge(name: "assay_log_served_size", help: "Entries covered by the checkpoint the log API serves (with --read-db: the replicas' latest)")
        let replicaLag = metrics.makeGauge(name: "assay_replica_lag_entries", help: "Signed entries the read replicas do not hold yet (0 without --read-db)")
        let replicaDelay = metrics.makeGauge(name: "assay_replica_replay_delay_seconds", help: "Seconds since the read replica last replayed a transaction (grows while nothing is written)")
        router.get("metrics") { _, _ in
            walFailures.set(Double(store.walCheckpointFailures))
            if let note = store.latestCheckpoint(), let cp = try? Checkpoint(body: note.text) { logSize.set(Double(cp.size)) }
            servedSize.set(Double(store.servedSize))
            replicaLag.set(Double(max(0, store.publishedSize - store.servedSize)))
            replicaDelay.set(store.replicaState?.replayDelay ?? 0)
            let stats = await store.groupCommitStats()
            batches.set(Double(stats.batches))
            batched.set(Double(stats.requests))
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.emitToBuffer())))
        }
        Portal.register(on: router, store: store)

        let api = router.group("api/v1")
        api.get("openapi.json") { _, _ in json(OpenAPIDocument.document) }
        CustodyRoutes.register(on: api, store: store)
        FeedRoutes.register(on: router, api: api, store: store)
        SubscriptionRoutes.register(on: api, store: store)
        RiskRoutes.register(on: api, store: store)
        AgreementRoutes.register(on: api, store: store)
        ReserveRoutes.register(on: api, store: store)
        TimelineRoutes.register(on: api, store: store)
        ConflictRoutes.register(on: api, store: store)
        api.get(":resource") { request, context in
            let kind = try resource(context)
            let limit = try intParameter(request, "limit", default: 100, range: 1...1000)
            var after = request.uri.queryParameters["after"].map(String.init)
            // Filters: any other query parameter must equal the record's top-level member of that name
            // (a string, or one of an array's strings: `?minerals=tin`, `?status=signed`, `?holder=kfm`).
            var filters: [(String, String)] = []
            for (k, v) in request.uri.queryParameters where !["limit", "after"].contains(String(k)) {
                filters.append((String(k), String(v)))
            }
            func matches(_ record: JSONValue) -> Bool {
                guard case .object(let m) = record else { return false }
                return filters.allSatisfy { key, want in
                    switch m[key] {
                    case .string(let s)?: s == want
                    case .array(let xs)?: xs.contains(.string(want))
                    case .bool(let b)?: String(b) == want
                    default: false
                    }
                }
            }
            // Filters run on what the caller may see (the store redacts before anything reads it), so a
            // guess at a sealed value matches nothing. A scan stops after `listScanLimit` records and answers a
            // cursor to continue from, with the items found so far (perhaps fewer than `limit`).
            let pageSize = filters.isEmpty ? limit : 500
            var items: [EntityRecord] = []
            var scanned = 0
            var next: JSONValue = .null
            while true {
                let page = try await store.list(kind, after: after, limit: pageSize, as: context.role)
                scanned += page.count
                var consumed = 0
                for r in page {
                    consumed += 1
                    if filters.isEmpty || matches(r.json) {
                        items.append(r)
                        if items.count == limit { break }
                    }
                }
                let more = consumed < page.count || page.count == pageSize
                if items.count == limit {
                    if more, let last = items.last { next = .string(last.id) }
                    break
                }
                guard more, let last = page.last else { break }
                after = last.id
                if scanned >= limits.listScanLimit { next = .string(last.id); break }
            }
            return json(.object(["items": .array(items.map(\.json)), "next": next]))
        }
        api.get(":resource/:id") { _, context in
            let kind = try resource(context)
            let id = try context.parameters.require("id")
            guard let record = try await store.find(id, as: context.role), record.kind == kind else {
                throw Problem.notFound("no \(kind.rawValue) \"\(id)\"")
            }
            return json(.object(["id": .string(id), "kind": .string(kind.rawValue), "entry": .int(record.sequence),
                                 "record": record.json]))
        }
        api.get("reports/:which") { request, context in
            let which = try context.parameters.require("which")
            var day = RelationalStore.systemClock().day
            if let text = request.uri.queryParameters["as-of"] {
                do { day = try Day(iso: String(text), field: "as-of") } catch let e as DomainError { throw Problem.invalid("as-of", e.message) }
            }
            if let format = request.uri.queryParameters["format"], !["json", "csv"].contains(String(format)) {
                throw Problem.invalid("format", "format must be json or csv")
            }
            // Dates and paging are checked whichever report reads them, so a malformed one never passes unnoticed.
            for name in ["from", "until"] {
                if let text = request.uri.queryParameters[Substring(name)] {
                    do { _ = try Day(iso: String(text), field: name) } catch let e as DomainError { throw Problem.invalid(name, e.message) }
                }
            }
            _ = try intParameter(request, "limit", default: 100, range: 1...1000)
            if let after = request.uri.queryParameters["after"], after.isEmpty || after.utf8.count > 200 {
                throw Problem.invalid("after", "after must be a lot id of 1 to 200 characters")
            }
            let r = try await store.registry(as: context.role)
            switch which {
            case "balance":
                let agreement = request.uri.queryParameters["agreement"].map(String.init)
                let hide = !Disclosure.seesSealed(context.role)
                var report = ReportJSON.balance(r.balance(agreement: agreement, asOf: day), hideConfidential: hide)
                // One agreement's balance also shows the obligations of the agreements it is linked to.
                if let agreement, case .object(var m) = report {
                    m["linked"] = ReportJSON.linked(r.linkedBalances(of: agreement, asOf: day), hideConfidential: hide)
                    report = .object(m)
                }
                return json(report)
            case "ownership": return json(ReportJSON.ownership(r, asOf: day))
            case "coverage": return json(ReportJSON.coverage(r, asOf: day))
            case "collisions": return json(.object(["collisions": ReportJSON.collisions(r)]))
            case "royalties", "eiti":
                let q = request.uri.queryParameters
                let period: Period
                do {
                    period = try Period(from: q["from"].map { s throws(DomainError) in try Day(iso: String(s), field: "from") },
                                        until: q["until"].map { s throws(DomainError) in try Day(iso: String(s), field: "until") }, field: "from")
                } catch let e as DomainError { throw Problem.invalid(e.field, e.message) }
                if which == "eiti" {
                    let rows = try await CustodyReports.eiti(store, period: period)
                    if q["format"] == "csv" {
                        var headers = HTTPFields()
                        headers[.contentType] = "text/csv; charset=utf-8"
                        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: CustodyReports.eitiCSV(rows))))
                    }
                    return json(.object(["payments": CustodyReports.eitiJSON(rows)]))
                }
                let schedule = try Problem.royalties(store)
                return json(CustodyReports.royaltiesJSON(try await CustodyReports.royalties(store, schedule: schedule, period: period,
                                                                                           payer: q["payer"].map(String.init))))
            case "risk", "supply", "owners": return json(try await RiskRoutes.report(which, request, store: store, day: day, as: context.role))
            default: throw Problem.notFound("no report \"\(which)\"; use balance, ownership, coverage, collisions, royalties, eiti, risk, supply or owners")
            }
        }
        api.post(":resource") { request, context in
            try context.require(.registrar)
            let kind = try resource(context)
            guard let type = createCommand[kind] else { throw Problem.notFound("nothing to create here") }
            var value = try await body(request, context)
            if case .object(var m) = value {
                if m["type"] == nil { m["type"] = .string(type.rawValue) }
                guard m["type"] == .string(type.rawValue) else {
                    throw Problem.invalid("type", "this resource takes \(type.rawValue) commands")
                }
                value = .object(m)
            }
            return try await append(try command(value), store: store, author: context.token?.id ?? "unknown")
        }
        api.post(":resource/:id/status") { request, context in
            try context.require(.registrar)
            let kind = try resource(context)
            let id = try context.parameters.require("id")
            let (type, key): (Command.Kind, String) = switch kind {
            case .agreement: (.changeAgreementStatus, "agreement")
            case .concession: (.changeConcessionStatus, "concession")
            case .offer: (.resolveOffer, "offer")
            default: throw Problem.notFound("only agreements, concessions and offers have a status to change")
            }
            guard case .object(var m) = try await body(request, context) else { throw Problem.invalid("", "expected a JSON object") }
            m["type"] = .string(type.rawValue)
            m[key] = .string(id)
            return try await append(try command(.object(m)), store: store, author: context.token?.id ?? "unknown")
        }
        api.post("check-grant") { request, context in
            var value = try await body(request, context)
            if case .object(var m) = value, m["type"] == nil { m["type"] = "record-grant"; value = .object(m) }
            guard case .recordGrant(let grant) = try command(value) else { throw Problem.invalid("type", "expected a record-grant") }
            let result: DryRunResult
            do { result = try await store.dryRun(grant) } catch let e as DomainError { throw problem(e) }
            return json(.object(["collides": .bool(!result.collisions.isEmpty), "cells": .int(Int64(result.cellCount)),
                                 "hectares": .int(Int64(result.hectares.rounded())), "collisions": .array(result.collisions.map(\.json))]))
        }

        let log = router.group("log")
        WitnessPolicyRoutes.register(on: log, store: store, policy: witnessPolicy)
        log.get("checkpoint") { _, _ in
            guard let note = store.servedCheckpoint() else { throw Problem.notFound("the log is empty") }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: note.serialized)))
        }
        log.get("tile/**") { _, context in
            let path = context.parameters.getCatchAll().joined(separator: "/")
            let tile: Tile
            do { tile = try Tile(path: path) } catch let e as LogFormatError { throw Problem.invalid("path", e.message) }
            guard let data = try await store.tileData(tile) else { throw Problem.notFound("no tile \(tile.path) at the published size") }
            var headers = HTTPFields()
            headers[.contentType] = "application/octet-stream"
            headers[.cacheControl] = tile.isPartial ? "public, max-age=60" : "public, max-age=31536000, immutable"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        log.get("proof/inclusion") { request, _ in
            let q = request.uri.queryParameters
            var index: Int
            if let hex = q["leaf"].map(String.init) {
                guard let leaf = TreeHash(hex: hex) else { throw Problem.invalid("leaf", "expected a SHA-256 leaf hash in hex") }
                guard let i = store.index(ofLeaf: leaf) else { throw Problem.notFound("no published entry has leaf hash \(hex)") }
                index = i
            } else if let id = q["id"].map(String.init) {
                guard let record = try await store.find(id) else { throw Problem.notFound("no entity \"\(id)\"") }
                index = Int(record.sequence) - 1
            } else {
                index = try intParameter(request, "index", default: -1, range: 0...Int.max)
            }
            // A size that is not a number is a 400 (it fell back to the latest size before; schemathesis found it).
            let size = try intParameter(request, "size", default: store.servedSize, range: 0...Int.max)
            do {
                let (proof, n) = try store.inclusionProof(index: index, size: size)
                return json(.object(["index": .int(Int64(index)), "size": .int(Int64(n)),
                                     "proof": .array(proof.map { .string($0.base64) })]))
            } catch let e as ProofError { throw Problem.invalid("index", e.message) }
        }
        // A COSE receipt (RFC 9942) for a journal entry at the served checkpoint, and the entry's bytes it proves.
        log.get("receipt/:entry") { request, context in
            let sequence = try entryParameter(context)
            let size = try intParameter(request, "size", default: store.servedSize, range: 0...Int.max)
            let receipt: [UInt8]
            do { receipt = try store.receipt(sequence: sequence, size: size) } catch let e as ProofError { throw Problem.invalid("entry", e.message) }
            var headers = HTTPFields()
            headers[.contentType] = "application/cose"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: receipt)))
        }
        // The index log: the output log of signed index roots (see RelationalStore.indexLogCheckpoint()).
        log.get("index/checkpoint") { _, _ in
            let (note, _, _) = try await store.indexLogCheckpoint()
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: note.serialized)))
        }
        log.get("index/proof/consistency") { request, _ in
            let from = try intParameter(request, "from", default: -1, range: 0...Int.max)
            let to = try intParameter(request, "to", default: -1, range: 0...Int.max)
            do {
                let proof = try await store.indexLogConsistency(from: from, to: to)
                return json(.object(["from": .int(Int64(from)), "to": .int(Int64(to)), "proof": .array(proof.map { .string($0.base64) })]))
            } catch let e as ProofError { throw Problem.invalid("to", e.message) }
        }
        log.get("entry/:entry") { _, context in
            let sequence = try entryParameter(context)
            guard sequence <= Int64(store.servedSize), let entry = try await store.entries(sequence...sequence).first else {
                throw Problem.notFound("no published journal entry \(sequence)")
            }
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            headers[.cacheControl] = "public, max-age=31536000, immutable"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: entry.bytes)))
        }
        log.get("proof/consistency") { request, _ in
            let from = try intParameter(request, "from", default: -1, range: 0...Int.max)
            let to = try intParameter(request, "to", default: -1, range: 0...Int.max)
            do {
                let proof = try store.consistencyProof(from: from, to: to)
                return json(.object(["from": .int(Int64(from)), "to": .int(Int64(to)), "proof": .array(proof.map { .string($0.base64) })]))
            } catch let e as ProofError { throw Problem.invalid("to", e.message) }
        }
        return router
    }

    static func resource(_ context: AssayContext) throws -> EntityKind {
        let name = try context.parameters.require("resource")
        guard let kind = resources[name] else {
            throw Problem.notFound("no resource \"\(name)\"; use one of: \(resources.keys.sorted().joined(separator: ", "))")
        }
        return kind
    }

    /// The command each resource's POST creates.
    static let createCommand: [EntityKind: Command.Kind] = [
        .party: .registerParty, .ownership: .recordOwnership, .site: .registerSite, .concession: .registerConcession,
        .agreement: .registerAgreement, .grant: .recordGrant, .obligation: .recordObligation, .delivery: .recordDelivery,
        .reserve: .registerReserve, .offer: .offerAsset, .event: .recordEvent, .claim: .recordClaim,
    ]

    /// Reads a JSON body (at most the context's upload size: larger is a 413) with the strict parser.
    static func body(_ request: Request, _ context: AssayContext) async throws -> JSONValue {
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: context.maxUploadSize) } catch {
            // NIO reports an over-long body as NIOTooManyBytesError: answer 413 with a message, not a dropped connection.
            throw Problem(.contentTooLarge, type: "too-large", title: "Request body too large",
                          detail: "the body is over \(context.maxUploadSize) bytes; send commands in smaller batches")
        }
        do { return try JSONParser.parse(Array(buffer: buffer)) } catch {
            throw Problem.invalid("", "the body is not valid JSON: \(error)")
        }
    }

    /// A write's body as command JSON: JSON as sent, or, with `Content-Type: application/cose`, a SCITT
    /// signed statement (COSE_Sign1) turned into its command by `statement`.
    static func body(_ request: Request, _ context: AssayContext,
                     statement: ([UInt8]) throws(DomainError) -> JSONValue) async throws -> JSONValue {
        guard request.headers[.contentType]?.lowercased().hasPrefix("application/cose") == true else { return try await body(request, context) }
        let buffer: ByteBuffer
        do { buffer = try await request.body.collect(upTo: context.maxUploadSize) } catch {
            throw Problem(.contentTooLarge, type: "too-large", title: "Request body too large", detail: "the body is over \(context.maxUploadSize) bytes")
        }
        do { return try statement(Array(buffer: buffer)) } catch { throw problem(error) }
    }

    static func command(_ value: JSONValue) throws -> Command {
        do { return try Command(json: value) } catch { throw problem(error) }
    }

    static func problem(_ e: DomainError) -> Problem {
        switch e.code {
        case .collision:
            Problem(.conflict, type: e.code.rawValue, title: "Collides with rights already given", detail: e.message, field: e.field)
        case .duplicateID:
            Problem(.conflict, type: e.code.rawValue, title: "Already exists", detail: e.message, field: e.field)
        default:
            Problem(.unprocessableContent, type: e.code.rawValue, title: "Refused", detail: e.message, field: e.field)
        }
    }

    /// Appends one command and answers with its receipt: the entry, its log index, the signed checkpoint
    /// that covers it and the inclusion proof against that checkpoint.
    static func append(_ command: Command, store: RelationalStore, author: String) async throws -> Response {
        let receipts: [AppendReceipt]
        do { receipts = try await store.append([command], author: author) } catch let r as BatchRejected {
            throw problem(r.errors.first?.error ?? DomainError(.invalidField, field: "", "refused"))
        }
        guard let r = receipts.first, let note = r.checkpoint else { throw Problem(.internalServerError, type: "internal", title: "No receipt", detail: "no checkpoint") }
        let cp = try Checkpoint(body: note.text)
        let (proof, _) = try store.inclusionProof(index: Int(r.sequence) - 1, size: cp.size)
        return json(.object([
            "id": .string(r.subject), "entry": .int(r.sequence), "index": .int(r.sequence - 1),
            "checkpoint": .string(note.serialized), "inclusionProof": .array(proof.map { .string($0.base64) }),
            "receipt": .string(Base64.encode(try store.receipt(sequence: r.sequence, size: cp.size, root: cp.root, path: proof))),
            "collisions": .array(r.collisions.map(\.json)),
        ]), status: .created)
    }

    /// The `:entry` path parameter: a journal sequence number from 1.
    static func entryParameter(_ context: AssayContext) throws -> Int64 {
        let text = try context.parameters.require("entry")
        guard let n = Int64(text), n >= 1 else { throw Problem.invalid("entry", "the entry is a journal sequence number from 1, not \"\(text)\"") }
        return n
    }

    static func intParameter(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = request.uri.queryParameters[Substring(name)] else {
            if value < range.lowerBound { throw Problem.invalid(name, "the query parameter \(name) is required") }
            return value
        }
        guard let n = Int(String(text)), range.contains(n) else {
            throw Problem.invalid(name, "\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    static func json(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: CanonicalJSON.encode(value))))
    }
}
