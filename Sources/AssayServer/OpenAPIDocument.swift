import AssayDomain
import AssayReports

/// The OpenAPI 3.1 description of every route, served at `/api/v1/openapi.json` and checked against the
/// server's answers by the tests and by schemathesis in CI.
enum OpenAPIDocument {
    static func ref(_ name: String) -> JSONValue { ["$ref": .string("#/components/schemas/\(name)")] }
    static func content(_ type: String, _ schema: JSONValue) -> JSONValue { [type: ["schema": schema]] }
    static func response(_ description: String, _ type: String? = nil, _ schema: JSONValue? = nil) -> JSONValue {
        var m: [String: JSONValue] = ["description": .string(description)]
        if let type, let schema { m["content"] = content(type, schema) }
        return .object(m)
    }
    static let problem = response("A problem (RFC 9457)", "application/problem+json", ref("Problem"))
    static func problems(_ codes: [Int]) -> [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: codes.map { (String($0), problem) })
    }
    static func param(_ name: String, in place: String, _ schema: JSONValue, required: Bool = false) -> JSONValue {
        ["name": .string(name), "in": .string(place), "required": .bool(required || place == "path"), "schema": schema]
    }
    static let resourceNames: JSONValue = .array(AssayApplication.resources.keys.sorted().map { .string($0) })
    static func op(_ summary: String, params: [JSONValue] = [], body: JSONValue? = nil, responses: [String: JSONValue],
                   secured: Bool = false, statement: Bool = false) -> JSONValue {
        // Every write may meet the rate limit (429) or a disk that refuses it (507 full, 503 I/O error).
        let all = body == nil && !secured ? responses : responses.merging(problems([429, 503, 507])) { a, _ in a }
        var m: [String: JSONValue] = ["summary": .string(summary), "parameters": .array(params), "responses": .object(all)]
        if let body {
            var c = content("application/json", body)
            // Or a SCITT signed statement: a COSE_Sign1 whose payload is the JSON above.
            if statement, case .object(var all) = c {
                all["application/cose"] = ["schema": ["type": "string", "format": "binary"]]
                c = .object(all)
            }
            m["requestBody"] = ["required": true, "content": c]
        }
        if secured { m["security"] = [["bearer": []]] }
        return .object(m)
    }
    static let custodyReceipt: [String: JSONValue] = [
        "201": response("Receipt", "application/json", ref("CustodyReceipt")),
        "200": response("The same event was already recorded: its original receipt", "application/json", ref("CustodyReceipt")),
    ].merging(problems([400, 401, 403, 409, 413, 422])) { a, _ in a }
    static let html = response("An HTML page", "text/html", ["type": "string"])
    /// The filters of the feeds: one per kind of entry key, with the page size and the cursor.
    static let feedFilters: [JSONValue] = EntryKeys.kinds.map { param($0, in: "query", ["type": "string", "minLength": 1, "maxLength": 200]) }
        + [param("limit", in: "query", ["type": "integer", "minimum": 1, "maximum": 200]), param("before", in: "query", ["type": "integer", "minimum": 1])]
    static let lang = param("lang", in: "query", ["type": "string", "enum": ["fr", "en"]])

    static let document: JSONValue = [
        "openapi": "3.1.0",
        "info": ["title": "Assay", "version": "1", "description": "Registry of minerals-for-security agreements under a verifiable log."],
        "paths": [
            "/healthz": ["get": op("Liveness", responses: ["200": response("ok", "text/plain", ["type": "string"])])],
            "/metrics": ["get": op("Prometheus metrics", responses: ["200": response("metrics", "text/plain", ["type": "string"])])],
            "/api/v1/openapi.json": ["get": op("This document", responses: ["200": response("OpenAPI", "application/json", ["type": "object"])])],
            "/api/v1/{resource}": [
                "get": op("List a resource", params: [
                    param("resource", in: "path", ["type": "string", "enum": resourceNames]),
                    param("limit", in: "query", ["type": "integer", "minimum": 1, "maximum": 1000]),
                    param("after", in: "query", ["type": "string"]),
                    param("kind", in: "query", ["type": "string"]), param("status", in: "query", ["type": "string"]),
                    param("minerals", in: "query", ["type": "string"]), param("holder", in: "query", ["type": "string"]),
                    param("agreement", in: "query", ["type": "string"]),
                ], responses: ["200": response("A page (other query parameters filter on top-level members)", "application/json", ref("List"))].merging(problems([400, 404])) { a, _ in a }),
                "post": op("Create (registrar): the body is the command without `type`", params: [
                    param("resource", in: "path", ["type": "string", "enum": resourceNames]),
                ], body: ["type": "object"], responses: ["201": response("Receipt", "application/json", ref("Receipt"))]
                    .merging(problems([400, 401, 403, 404, 409, 413, 422])) { a, _ in a }, secured: true),
            ],
            "/api/v1/{resource}/{id}": ["get": op("Read one", params: [
                param("resource", in: "path", ["type": "string", "enum": resourceNames]), param("id", in: "path", ["type": "string"]),
            ], responses: ["200": response("The record", "application/json", ref("Record"))].merging(problems([400, 404])) { a, _ in a })],
            "/api/v1/{resource}/{id}/status": ["post": op("Change an agreement's or a title's status (registrar)", params: [
                param("resource", in: "path", ["type": "string", "enum": ["agreements", "concessions", "offers"]]), param("id", in: "path", ["type": "string"]),
            ], body: ["type": "object", "required": ["status", "date"]],
               responses: ["201": response("Receipt", "application/json", ref("Receipt"))].merging(problems([400, 401, 403, 404, 409, 413, 422])) { a, _ in a },
               secured: true)],
            "/api/v1/agreements/{id}/signatures": [
                "get": op("Where an agreement's signatures stand: each recorded signature with its entry, the parties still missing, the terms digest they sign", params: [
                    param("id", in: "path", ["type": "string"]),
                ], responses: ["200": response("Signatures", "application/json", ref("Signatures"))].merging(problems([400, 404])) { a, _ in a }),
                "post": op("Record one party's signature of the agreement's terms (registrar): the statement `assay agreement sign` writes", params: [
                    param("id", in: "path", ["type": "string"]),
                ], body: ["type": "object", "required": ["party", "key", "terms", "time", "signature"],
                          "properties": ["party": ["type": "string"], "key": ["type": "string"], "terms": ["type": "string"],
                                         "time": ["type": "string"], "signature": ["type": "string"]]],
                   responses: ["201": response("Receipt", "application/json", ref("Receipt"))].merging(problems([400, 401, 403, 404, 409, 413, 422])) { a, _ in a },
                   secured: true, statement: true),
            ],
            "/api/v1/reserves/{id}/windows": ["get": op("A reserve's assets and their first-offer windows on a day (a confidential reserve: only offered assets, for the public)", params: [
                param("id", in: "path", ["type": "string"]), param("as-of", in: "query", ["type": "string", "format": "date"]),
            ], responses: ["200": response("Windows", "application/json", ref("ReserveWindows"))].merging(problems([400, 404])) { a, _ in a })],
            "/api/v1/timeline": ["get": op("The negotiation on the record, oldest first: filter by agreement, party (any role), kinds (comma-separated) and period", params: [
                param("agreement", in: "query", ["type": "string"]), param("party", in: "query", ["type": "string"]),
                param("kind", in: "query", ["type": "string"]), param("from", in: "query", ["type": "string", "format": "date"]),
                param("until", in: "query", ["type": "string", "format": "date"]), param("limit", in: "query", ["type": "integer", "minimum": 1, "maximum": 1000]),
            ], responses: ["200": response("Events", "application/json", ref("Items"))].merging(problems([400])) { a, _ in a })],
            "/api/v1/conflicts": ["get": op("Sources that disagree: each fact's claims side by side and the one the registry uses (with `subject`: all of that subject's claims)", params: [
                param("subject", in: "query", ["type": "string"]),
            ], responses: ["200": response("Claims grouped by subject and field", "application/json", ref("Items"))])],
            "/api/v1/check-grant": ["post": op("Would this grant collide? Writes nothing.", body: ["type": "object"],
                responses: ["200": response("Answer", "application/json", ref("DryRun"))].merging(problems([400, 404, 413, 422])) { a, _ in a })],
            "/api/v1/reports/{which}": ["get": op("Reports", params: [
                param("which", in: "path", ["type": "string", "enum": ["balance", "ownership", "coverage", "collisions", "royalties", "eiti", "risk", "supply", "owners"]]),
                param("as-of", in: "query", ["type": "string", "format": "date"]), param("agreement", in: "query", ["type": "string"]),
                param("from", in: "query", ["type": "string", "format": "date"]), param("until", in: "query", ["type": "string", "format": "date"]),
                param("payer", in: "query", ["type": "string"]), param("format", in: "query", ["type": "string", "enum": ["json", "csv"]]),
                param("lot", in: "query", ["type": "string"]), param("site", in: "query", ["type": "string"]),
                param("operator", in: "query", ["type": "string"]),
                param("after", in: "query", ["type": "string", "minLength": 1, "maxLength": 200]),
                param("limit", in: "query", ["type": "integer", "minimum": 1, "maximum": 1000]),
            ], responses: ["200": ["description": "Report (eiti with format=csv: CSV)", "content": [
                "application/json": ["schema": ["type": "object"]], "text/csv": ["schema": ["type": "string"]]]]].merging(problems([400, 404])) { a, _ in a })],
            "/api/v1/control": ["get": op("Who held the ground at a site or a point on a day (current assessments)", params: [
                param("site", in: "query", ["type": "string"]), param("lat", in: "query", ["type": "number", "minimum": -90, "maximum": 90]),
                param("lon", in: "query", ["type": "number", "minimum": -180, "maximum": 180]), param("date", in: "query", ["type": "string", "format": "date"]),
            ], responses: ["200": response("Holders", "application/json", ["type": "object", "required": ["cell", "date", "holders"]])].merging(problems([400, 404])) { a, _ in a })],
            "/api/v1/control/proposals": ["get": op("Control changes proposed by imported ACLED-format events, for review",
                responses: ["200": response("Proposals", "application/json", ["type": "object", "required": ["items"]])])],
            "/api/v1/controls": ["post": op("Record a control assessment (registrar)", body: ["type": "object"],
                responses: ["201": response("Receipt", "application/json", ref("Receipt"))].merging(problems([400, 401, 403, 409, 413, 422])) { a, _ in a }, secured: true)],
            "/api/v1/site-visits": ["post": op("Record a site visit (registrar)", body: ["type": "object"],
                responses: ["201": response("Receipt", "application/json", ref("Receipt"))].merging(problems([400, 401, 403, 409, 413, 422])) { a, _ in a }, secured: true)],
            "/api/v1/conflict-events": ["post": op("Record a conflict event in ACLED's format (registrar)", body: ["type": "object"],
                responses: ["201": response("Receipt", "application/json", ref("Receipt"))].merging(problems([400, 401, 403, 409, 413, 422])) { a, _ in a }, secured: true)],
            "/api/v1/site-statuses": ["post": op("Record a site's operating status from a day (registrar)", body: ["type": "object"],
                responses: ["201": response("Receipt", "application/json", ref("Receipt"))].merging(problems([400, 401, 403, 409, 413, 422])) { a, _ in a }, secured: true)],
            "/api/v1/lots": ["get": op("Lots, by id", params: [
                param("limit", in: "query", ["type": "integer", "minimum": 1, "maximum": 1000]), param("after", in: "query", ["type": "string"]),
                param("holder", in: "query", ["type": "string"]), param("mineral", in: "query", ["type": "string"]),
            ], responses: ["200": response("A page of lots", "application/json", ref("List"))].merging(problems([400])) { a, _ in a })],
            "/api/v1/lots/{id}": ["get": op("One lot (by id or any of its tags)", params: [param("id", in: "path", ["type": "string"])],
                responses: ["200": response("The lot", "application/json", ref("Lot"))].merging(problems([404])) { a, _ in a })],
            "/api/v1/lots/{id}/trace": ["get": op("A lot's lineage, origins, signed custody chain and flags", params: [param("id", in: "path", ["type": "string"])],
                responses: ["200": response("The trace", "application/json", ref("Trace"))].merging(problems([404])) { a, _ in a })],
            "/api/v1/lots/{id}/report": ["get": op("The buyer's due-diligence report of a lot, with log proofs for offline checking", params: [param("id", in: "path", ["type": "string"])],
                responses: ["200": response("The report", "application/json", ref("BuyerReport"))].merging(problems([404])) { a, _ in a })],
            "/api/v1/flags": ["get": op("Custody flags, newest first", params: [
                param("party", in: "query", ["type": "string"]), param("limit", in: "query", ["type": "integer", "minimum": 1, "maximum": 10000]),
            ], responses: ["200": response("Flags", "application/json", ["type": "object", "required": ["items"], "properties": ["items": ["type": "array", "items": ["type": "object"]]]])]
                .merging(problems([400])) { a, _ in a })],
            "/api/v1/keys": [
                "get": op("Registered operator keys", params: [param("party", in: "query", ["type": "string"])],
                          responses: ["200": response("Keys", "application/json", ["type": "object", "required": ["items"], "properties": ["items": ["type": "array", "items": ["type": "object"]]]])]),
                "post": op("Register an operator key (registrar, or the operator for its own party)", body: ["type": "object"],
                           responses: custodyReceipt, secured: true),
            ],
            "/api/v1/keys/{id}/revoke": ["post": op("Revoke a key from an instant on", params: [param("id", in: "path", ["type": "string"])],
                body: ["type": "object", "required": ["time"]], responses: custodyReceipt, secured: true)],
            "/api/v1/custody-events": ["post": op("Submit one signed custody event (the acting party's operator token, or a registrar); idempotent by event id",
                body: ["type": "object", "required": ["event", "signature"]], responses: custodyReceipt, secured: true, statement: true)],
            "/api/v1/prices": ["post": op("Record a reference price (registrar)", body: ["type": "object"], responses: custodyReceipt, secured: true)],
            "/api/v1/payments": ["post": op("Declare a payment (registrar, or the payer's operator)", body: ["type": "object"], responses: custodyReceipt, secured: true)],
            "/api/v1/custody-policy": ["post": op("Set the custody policy (registrar)", body: ["type": "object", "required": ["lateWindowDays"]],
                                                  responses: custodyReceipt, secured: true)],
            "/api/v1/batch": ["post": ["summary": "Append many commands (NDJSON, one a line); bad lines are refused and reported, good ones kept; with receipts=true, each accepted line carries a COSE receipt",
                                       "parameters": [param("receipts", in: "query", ["type": "string", "enum": ["true", "false"]])], "security": [["bearer": []]],
                                       "requestBody": ["required": true, "description": "NDJSON, one command a line (sent as text/plain or application/x-ndjson)", "content": ["text/plain": ["schema": ["type": "string"]]]],
                                       "responses": .object(["200": response("Per-line results", "application/json", ref("BatchResult"))]
                                                                .merging(problems([400, 401, 403, 413])) { a, _ in a })]],
            "/log/checkpoint": ["get": op("Latest signed checkpoint (C2SP signed note)",
                responses: ["200": response("Checkpoint", "text/plain", ["type": "string"])].merging(problems([404])) { a, _ in a })],
            "/log/tile/{path}": ["get": op("A C2SP tile or entry bundle (the path has several segments: tile/<L>/<N>[.p/<W>])", params: [
                param("path", in: "path", ["type": "string"]),
            ], responses: ["200": response("Tile", "application/octet-stream", ["type": "string", "contentMediaType": "application/octet-stream"])]
                .merging(problems([400, 404])) { a, _ in a })],
            "/log/proof/inclusion": ["get": op("Inclusion proof by index, entity id or leaf hash", params: [
                param("index", in: "query", ["type": "integer", "minimum": 0]), param("id", in: "query", ["type": "string"]),
                param("leaf", in: "query", ["type": "string"]), param("size", in: "query", ["type": "integer", "minimum": 0]),
            ], responses: ["200": response("Proof", "application/json", ref("Proof"))].merging(problems([400, 404])) { a, _ in a })],
            "/feeds/entries.atom": ["get": op("An Atom feed (RFC 4287) of journal entries, newest first, filtered by the keys they touch (every filter given must hold)",
                params: feedFilters, responses: ["200": response("Feed", "application/atom+xml", ["type": "string"])].merging(problems([400])) { a, _ in a })],
            "/api/v1/entries": ["get": op("Journal entries as JSON, newest first, filtered by the keys they touch (every filter given must hold)",
                params: feedFilters, responses: ["200": response("Entries", "application/json", ref("Entries"))].merging(problems([400])) { a, _ in a })],
            "/api/v1/lookup/{kind}/{id}": ["get": op("A verifiable lookup: every journal entry about a lot, title, agreement, party or site, the latest with its inclusion proof, and the prefix-tree proof against the signed index root at the checkpoint (check it with `assay log verify-lookup`)",
                params: [param("kind", in: "path", ["type": "string", "enum": .array(VerifiableIndex.kinds.map { .string($0) })]),
                         param("id", in: "path", ["type": "string", "minLength": 1, "maxLength": 200])],
                responses: ["200": response("Lookup proof", "application/json", ["type": "object", "required": ["key", "size", "checkpoint", "index", "indexes", "proof", "latest"]])]
                    .merging(problems([400])) { a, _ in a })],
            "/api/v1/exports/{format}": ["get": op("Open data at one signed checkpoint, as the caller's role may see it: ocds (a release package), bods (0.4 statements), geojson, eiti (CSV), ndjson (every journal entry); headers Assay-Checkpoint-Size, -Root and -Note (base64 of the signed note)",
                params: [param("format", in: "path", ["type": "string", "enum": .array(OpenData.formats.map { .string($0) })])],
                responses: ["200": ["description": "The export", "content": ["application/json": ["schema": ["type": ["object", "array"]]],
                                                                                "application/geo+json": ["schema": ["type": "object"]],
                                                                                "text/csv": ["schema": ["type": "string"]],
                                                                                "application/x-ndjson": ["schema": ["type": "string"]]]]]
                    .merging(problems([404, 503])) { a, _ in a })],
            "/api/v1/subscriptions": [
                "get": op("Webhook subscriptions with their delivery state (registrar or auditor)",
                          responses: ["200": response("Subscriptions", "application/json", ["type": "object", "required": ["items"]])].merging(problems([401, 403])) { a, _ in a },
                          secured: true),
                "post": op("Subscribe a URL to signed notices of the entries matching filters (registrar or auditor)",
                           body: ["type": "object", "required": ["url"], "additionalProperties": false,
                                  "properties": ["url": ["type": "string", "format": "uri"],
                                                 "match": ["type": "object", "additionalProperties": ["type": "string", "minLength": 1, "maxLength": 200]],
                                                 "after": ["type": "integer", "minimum": 0]]],
                           responses: ["201": response("Subscription", "application/json", ref("Subscription"))].merging(problems([400, 401, 403, 413])) { a, _ in a },
                           secured: true),
            ],
            "/api/v1/subscriptions/{id}": ["delete": op("Remove a subscription (registrar or auditor)", params: [param("id", in: "path", ["type": "string"])],
                responses: ["204": ["description": "Removed"]].merging(problems([401, 403, 404])) { a, _ in a }, secured: true)],
            "/log/cosignature": ["post": op("A witness of this log's policy posts its cosignature: the checkpoint note with its cosignature line (what `assay witness follow` sends)",
                responses: ["201": response("Stored", "application/json", ["type": "object", "required": ["size", "stored"]])]
                    .merging(problems([400, 403, 404, 409, 422])) { a, _ in a })],
            "/log/checkpoint/final": ["get": op("The newest checkpoint whose cosignatures satisfy the log's witness policy, with them",
                responses: ["200": response("Checkpoint", "text/plain", ["type": "string"])].merging(problems([404])) { a, _ in a })],
            "/log/index/checkpoint": ["get": op("The index log's signed checkpoint (origin <log>/index-log): the output log of signed index roots",
                responses: ["200": response("Checkpoint", "text/plain", ["type": "string"])])],
            "/log/index/proof/consistency": ["get": op("Consistency proof between two sizes of the index log", params: [
                param("from", in: "query", ["type": "integer", "minimum": 0], required: true),
                param("to", in: "query", ["type": "integer", "minimum": 0], required: true),
            ], responses: ["200": response("Proof", "application/json", ref("Consistency"))].merging(problems([400])) { a, _ in a })],
            "/log/receipt/{entry}": ["get": op("A COSE receipt (RFC 9942, RFC9162_SHA256) that a journal entry is in the log, signed by the log's key", params: [
                param("entry", in: "path", ["type": "integer", "minimum": 1]), param("size", in: "query", ["type": "integer", "minimum": 0]),
            ], responses: ["200": response("Receipt", "application/cose", ["type": "string", "contentMediaType": "application/cose"])]
                .merging(problems([400])) { a, _ in a })],
            "/log/entry/{entry}": ["get": op("A published journal entry's bytes: the leaf a receipt proves", params: [
                param("entry", in: "path", ["type": "integer", "minimum": 1]),
            ], responses: ["200": response("Entry", "application/json", ["type": "object"])].merging(problems([400, 404])) { a, _ in a })],
            "/log/proof/consistency": ["get": op("Consistency proof", params: [
                param("from", in: "query", ["type": "integer", "minimum": 0], required: true),
                param("to", in: "query", ["type": "integer", "minimum": 0], required: true),
            ], responses: ["200": response("Proof", "application/json", ref("Consistency"))].merging(problems([400])) { a, _ in a })],
            "/": ["get": op("Portal overview", params: [lang], responses: ["200": html].merging(problems([400])) { a, _ in a })],
            "/agreements": ["get": op("Portal: agreements", params: [lang], responses: ["200": html].merging(problems([400])) { a, _ in a })],
            "/agreements/{id}": ["get": op("Portal: one agreement", params: [param("id", in: "path", ["type": "string"]), lang],
                                          responses: ["200": html].merging(problems([400, 404])) { a, _ in a })],
            "/parties": ["get": op("Portal: parties", params: [lang], responses: ["200": html].merging(problems([400])) { a, _ in a })],
            "/parties/{id}": ["get": op("Portal: one party", params: [param("id", in: "path", ["type": "string"]), lang], responses: ["200": html].merging(problems([400, 404])) { a, _ in a })],
            "/sites": ["get": op("Portal: sites", params: [lang], responses: ["200": html].merging(problems([400])) { a, _ in a })],
            "/sites/{id}": ["get": op("Portal: one site", params: [param("id", in: "path", ["type": "string"]), lang], responses: ["200": html].merging(problems([400, 404])) { a, _ in a })],
            "/concessions": ["get": op("Portal: titles", params: [lang], responses: ["200": html].merging(problems([400])) { a, _ in a })],
            "/concessions/{id}": ["get": op("Portal: one title", params: [param("id", in: "path", ["type": "string"]), lang], responses: ["200": html].merging(problems([400, 404])) { a, _ in a })],
            "/lots": ["get": op("Portal: lots", params: [lang], responses: ["200": html].merging(problems([400])) { a, _ in a })],
            "/lots/{id}": ["get": op("Portal: a lot's due-diligence report (prints cleanly)", params: [param("id", in: "path", ["type": "string"]), lang],
                                     responses: ["200": html].merging(problems([400, 404])) { a, _ in a })],
            "/map": ["get": op("Portal: map, for a chosen day (date=, or month= from the slider)", params: [lang,
                param("date", in: "query", ["type": "string", "format": "date"]), param("month", in: "query", ["type": "integer", "minimum": 0])],
                responses: ["200": html].merging(problems([400])) { a, _ in a })],
            "/supply": ["get": op("Portal: supply at risk by mineral and month", params: [lang], responses: ["200": html].merging(problems([400])) { a, _ in a })],
            "/log": ["get": op("Portal: the log", params: [lang], responses: ["200": html].merging(problems([400])) { a, _ in a })],
            "/log/entries/{seq}": ["get": op("Portal: one journal entry", params: [param("seq", in: "path", ["type": "integer", "minimum": 1]), lang],
                                            responses: ["200": html].merging(problems([400, 404])) { a, _ in a })],
            "/search": ["get": op("Portal: search", params: [param("q", in: "query", ["type": "string"]), lang], responses: ["200": html].merging(problems([400])) { a, _ in a })],
        ],
        "components": [
            "securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]],
            "schemas": [
                "Problem": ["type": "object", "required": ["type", "title", "status", "detail"],
                            "properties": ["type": ["type": "string"], "title": ["type": "string"], "status": ["type": "integer"],
                                           "detail": ["type": "string"], "field": ["type": "string"]]],
                "List": ["type": "object", "required": ["items", "next"],
                         "properties": ["items": ["type": "array", "items": ["type": "object"]], "next": ["type": ["string", "null"]]]],
                "Record": ["type": "object", "required": ["id", "kind", "entry", "record"],
                           "properties": ["id": ["type": "string"], "kind": ["type": "string"], "entry": ["type": "integer"], "record": ["type": "object"]]],
                "Receipt": ["type": "object", "required": ["id", "entry", "index", "checkpoint", "inclusionProof", "receipt", "collisions"],
                            "properties": ["id": ["type": "string"], "entry": ["type": "integer"], "index": ["type": "integer"],
                                           "receipt": ["type": "string", "description": "base64 of a COSE receipt (RFC 9942)"],
                                           "checkpoint": ["type": "string"], "inclusionProof": ["type": "array", "items": ["type": "string"]],
                                           "collisions": ["type": "array", "items": ["type": "object"]]]],
                "CustodyReceipt": ["type": "object", "required": ["id", "entry", "index", "alreadyRecorded", "checkpoint", "inclusionProof", "receipt", "flags"],
                                   "properties": ["id": ["type": "string"], "entry": ["type": "integer"], "index": ["type": "integer"],
                                                  "receipt": ["type": "string", "description": "base64 of a COSE receipt (RFC 9942)"],
                                                  "alreadyRecorded": ["type": "boolean"], "checkpoint": ["type": "string"],
                                                  "inclusionProof": ["type": "array", "items": ["type": "string"]], "flags": ["type": "array", "items": ["type": "object"]]]],
                "BatchResult": ["type": "object", "required": ["accepted", "refused", "results"],
                                "properties": ["accepted": ["type": "integer"], "refused": ["type": "integer"], "checkpoint": ["type": "string"],
                                               "results": ["type": "array", "items": ["type": "object", "required": ["line", "status"]]]]],
                "ReserveWindows": ["type": "object", "required": ["id", "agreement", "title", "asOf", "confidential", "assetCount", "assets"],
                                   "properties": ["assets": ["type": "array", "items": ["type": "object", "required": ["id", "name", "windows", "free"]]]]],
                "Items": ["type": "object", "required": ["items"], "properties": ["items": ["type": "array", "items": ["type": "object"]]]],
                "Subscription": ["type": "object", "required": ["id", "url", "match", "cursor", "attempts", "delivered", "nextAttempt", "lastError"],
                                 "properties": ["id": ["type": "string"], "url": ["type": "string"], "match": ["type": "array", "items": ["type": "string"]],
                                                "cursor": ["type": "integer"], "attempts": ["type": "integer"], "delivered": ["type": "integer"],
                                                "nextAttempt": ["type": ["string", "null"]], "lastError": ["type": ["string", "null"]]]],
                "Entries": ["type": "object", "required": ["items", "next"],
                            "properties": ["items": ["type": "array", "items": ["type": "object", "required": ["entry", "time", "command", "keys"]]],
                                           "next": ["type": ["integer", "null"]]]],
                "Signatures": ["type": "object", "required": ["agreement", "requiresSignatures", "status", "terms", "signatures", "missing"],
                               "properties": ["agreement": ["type": "string"], "requiresSignatures": ["type": "boolean"], "status": ["type": "string"],
                                              "signed": ["type": "string"], "terms": ["type": "string"],
                                              "signatures": ["type": "array", "items": ["type": "object", "required": ["party", "key", "terms", "time", "signature", "entry"]]],
                                              "missing": ["type": "array", "items": ["type": "string"]]]],
                "Lot": ["type": "object", "required": ["id", "mineral", "form", "massKg", "holder", "status"]],
                "Trace": ["type": "object", "required": ["lot", "origins", "ancestors", "descendants", "edges", "custodyChain", "allSignaturesVerified", "flags"]],
                "BuyerReport": ["type": "object", "required": ["lot", "origins", "custodyChain", "flags", "royalties", "proofs", "keyProofs", "log"]],
                "DryRun": ["type": "object", "required": ["collides", "cells", "hectares", "collisions"],
                           "properties": ["collides": ["type": "boolean"], "cells": ["type": "integer"], "hectares": ["type": "integer"],
                                          "collisions": ["type": "array", "items": ["type": "object"]]]],
                "Proof": ["type": "object", "required": ["index", "size", "proof"],
                          "properties": ["index": ["type": "integer"], "size": ["type": "integer"], "proof": ["type": "array", "items": ["type": "string"]]]],
                "Consistency": ["type": "object", "required": ["from", "to", "proof"],
                                "properties": ["from": ["type": "integer"], "to": ["type": "integer"], "proof": ["type": "array", "items": ["type": "string"]]]],
            ],
        ],
    ]
}
