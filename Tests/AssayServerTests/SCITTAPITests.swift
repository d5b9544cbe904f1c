import AssayDomain
import AssayIngest
import AssayServer
import AssayStore
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TransparencyLog

/// SCITT over the API: every write answers with a COSE receipt; receipts and entries can be fetched by
/// entry number; custody events and agreement signatures can be sent as COSE_Sign1 signed statements.
@Suite("SCITT: COSE receipts and signed statements over the API")
struct SCITTAPITests {
    static func cose() -> HTTPFields {
        var h = HTTPFields()
        h[.contentType] = "application/cose"
        return h
    }

    @Test func everyWriteAnswersWithAReceiptAnyVerifierChecks() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let headers = try await APITests.registrarHeaders(store)
        let app = Application(router: AssayApplication.router(store: store))
        let vkey = try Ed25519NoteVerifier(verifierKey: store.verifierKey)
        try await app.test(.router) { client in
            var entry = 0
            var receipt: [UInt8] = []
            try await client.execute(uri: "/api/v1/parties", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"id":"scitt-co","name":"SCITT Co","kind":"company","country":"CD"}"#)) { r in
                #expect(r.status == .created)
                let body = try APITests.object(r)
                entry = body["entry"] as? Int ?? 0
                receipt = Base64.decode(body["receipt"] as? String ?? "") ?? []
            }
            var bytes: [UInt8] = []
            try await client.execute(uri: "/log/entry/\(entry)", method: .get) { r in
                #expect(r.status == .ok, "\(String(buffer: r.body))")
                bytes = Array(buffer: r.body)
            }
            #expect(try JournalEntry(bytes: bytes).command.subjectID == "scitt-co")
            let proven = try COSEReceipt.verify(receipt, entry: bytes, key: vkey)
            #expect(proven.index == entry - 1 && proven.size >= entry)
            // The same, fetched later by entry number, as application/cose; another entry's bytes do not verify.
            try await client.execute(uri: "/log/receipt/\(entry)", method: .get) { r in
                #expect(r.status == .ok && r.headers[.contentType] == "application/cose")
                let proven = try COSEReceipt.verify(Array(buffer: r.body), entry: bytes, key: vkey)
                #expect(proven.index == entry - 1)
            }
            try await client.execute(uri: "/log/receipt/1", method: .get) { r in
                #expect(throws: ReceiptError.self) { try COSEReceipt.verify(Array(buffer: r.body), entry: bytes, key: vkey) }
            }
            for (bad, status) in [("0", HTTPResponse.Status.badRequest), ("x", .badRequest), ("999999999", .badRequest)] {
                try await client.execute(uri: "/log/receipt/\(bad)", method: .get) { r in
                    #expect(r.status == status, "\(bad)")
                    let field = try APITests.object(r)["field"] as? String
                    #expect(field == "entry")
                }
            }
            try await client.execute(uri: "/log/entry/999999999", method: .get) { r in #expect(r.status == .notFound) }
            // A batch gives a receipt per accepted line when asked.
            let batch = #"{"type":"register-party","id":"scitt-b1","name":"B1","kind":"company","country":"CD"}"# + "\n" +
                #"{"type":"register-party","id":"scitt-b2","name":"B2","kind":"company","country":"CD"}"#
            try await client.execute(uri: "/api/v1/batch?receipts=true", method: .post, headers: headers, body: ByteBuffer(string: batch)) { r in
                let results = try APITests.object(r)["results"] as? [[String: Any]] ?? []
                #expect(results.count == 2)
                for line in results {
                    let n = line["entry"] as? Int ?? 0
                    let bytes = try #require(try await store.entries(Int64(n)...Int64(n)).first).bytes
                    #expect(try COSEReceipt.verify(Base64.decode(line["receipt"] as? String ?? "") ?? [], entry: bytes, key: vkey).index == n - 1)
                }
            }
            let size = try await store.journalSize()
            try await client.execute(uri: "/api/v1/batch?receipts=XE", method: .post, headers: headers,
                                     body: ByteBuffer(string: #"{"type":"register-party","id":"scitt-b9","name":"B9","kind":"company","country":"CD"}"#)) { r in
                let field = try APITests.object(r)["field"] as? String
                #expect(r.status == .badRequest && field == "receipts")
            }
            #expect(try await store.journalSize() == size)  // a refused request leaves no trace
            try await client.execute(uri: "/api/v1/batch", method: .post, headers: headers, body: ByteBuffer(string: #"{"type":"register-party","id":"scitt-b3","name":"B3","kind":"company","country":"CD"}"#)) { r in
                let results = try APITests.object(r)["results"] as? [[String: Any]] ?? []
                #expect(results.first?["receipt"] == nil)
            }
        }
    }

    @Test func custodyEventsComeAsSignedStatementsAndAreKeptToBeRebuilt() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let token = try await store.createToken(role: .operator, party: "kcc").secret
        let app = Application(router: AssayApplication.router(store: store))
        var h = Self.cose()
        h[.authorization] = "Bearer \(token)"
        let headers = h
        let key = try #require(DemoSet.demoKey("kcc"))
        let fields: JSONValue = ["id": "scitt-w-1", "kind": "weighing", "time": "2025-03-01T00:00:00.000Z", "lot": "KCC-HYD-2025-0001-B", "massKg": "15000"]
        let (_, statement) = try key.signStatement(json: fields)
        try await app.test(.router) { client in
            // A forged statement (the payload changed after signing): refused, naming the signature; nothing written.
            var tampered = try COSESign1(decoding: statement)
            tampered.payload = CanonicalJSON.encode(["id": "scitt-w-1", "kind": "weighing", "key": "kcc-demo-key", "lot": "KCC-HYD-2025-0001-B",
                                                     "massKg": "14000", "party": "kcc", "time": "2025-03-01T00:00:00.000Z"])
            let size = try await store.journalSize()
            try await client.execute(uri: "/api/v1/custody-events", method: .post, headers: headers, body: ByteBuffer(bytes: tampered.encoded)) { r in
                #expect(r.status == .unprocessableContent)
                let field = try APITests.object(r)["field"] as? String
                #expect(field == "signature")
            }
            // Not canonical JSON, not COSE at all, a kid that is not the event's key: each refused with its field.
            var spaced = try COSESign1(decoding: statement)
            spaced.payload = Array(" ".utf8) + (spaced.payload ?? [])
            try await client.execute(uri: "/api/v1/custody-events", method: .post, headers: headers, body: ByteBuffer(bytes: spaced.encoded)) { r in
                let field = try APITests.object(r)["field"] as? String
                #expect(r.status == .unprocessableContent && field == "payload")
            }
            try await client.execute(uri: "/api/v1/custody-events", method: .post, headers: headers, body: ByteBuffer(string: "{}")) { r in
                #expect(r.status == .unprocessableContent)
                #expect(String(buffer: r.body).contains("COSE_Sign1"))
            }
            let otherKid = try COSESign1.sign(protected: [CBOR.Pair(.int(COSESign1.Label.kid), .bytes(Array("someone-else".utf8)))],
                                              payload: try #require(try COSESign1(decoding: statement).payload), key: Curve25519Key.fresh())
            try await client.execute(uri: "/api/v1/custody-events", method: .post, headers: headers, body: ByteBuffer(bytes: otherKid.encoded)) { r in
                let field = try APITests.object(r)["field"] as? String
                #expect(r.status == .unprocessableContent && field == "coseProtected")
            }
            #expect(try await store.journalSize() == size)
            // The statement as signed: accepted, with a receipt; the journal keeps what rebuilds it byte for byte.
            var entry = 0
            try await client.execute(uri: "/api/v1/custody-events", method: .post, headers: headers, body: ByteBuffer(bytes: statement)) { r in
                #expect(r.status == .created)
                let body = try APITests.object(r)
                entry = body["entry"] as? Int ?? 0
                #expect(body["receipt"] is String)
            }
            let stored = try #require(try await store.entries(Int64(entry)...Int64(entry)).first)
            guard case .custodyEvent(let kept) = try JournalEntry(bytes: stored.bytes).command else { Issue.record("not a custody event"); return }
            let protected = try #require(kept.coseProtected)
            #expect(COSEStatement.statement(protected: protected, payload: CanonicalJSON.encode(kept.raw), signature: kept.signature) == statement)
            // The same statement again is the same event: 200 with the first entry.
            try await client.execute(uri: "/api/v1/custody-events", method: .post, headers: headers, body: ByteBuffer(bytes: statement)) { r in
                let again = try APITests.object(r)["entry"] as? Int
                #expect(r.status == .ok && again == entry)
            }
        }
    }

    @Test func agreementSignaturesComeAsSignedStatements() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        var h = try await APITests.registrarHeaders(store)
        h[.contentType] = "application/cose"
        let headers = h
        let app = Application(router: AssayApplication.router(store: store))
        let terms = DemoSet.agreementAwaitingSignature
        let at = Timestamp(milliseconds: 1_770_249_600_000)
        let (_, statement) = try #require(DemoSet.agreementKey("us")).signStatement(agreement: terms, at: at)
        try await app.test(.router) { client in
            // Signed by the DRC's key but claiming to be the United States' statement: refused.
            let drc = try #require(DemoSet.agreementKey("cd"))
            var forged = try drc.sign(agreement: terms, at: at)
            forged.party = "us"
            forged.key = "us-agreements-demo-key"
            let payload = forged.statementBytes
            let bad = try COSESign1.sign(protected: [CBOR.Pair(.int(COSESign1.Label.kid), .bytes(Array("us-agreements-demo-key".utf8)))],
                                         payload: payload, key: Curve25519Key.fresh())
            try await client.execute(uri: "/api/v1/agreements/\(terms.id)/signatures", method: .post, headers: headers, body: ByteBuffer(bytes: bad.encoded)) { r in
                #expect(r.status == .unprocessableContent, "\(String(buffer: r.body))")
            }
            try await client.execute(uri: "/api/v1/agreements/\(terms.id)/signatures", method: .post, headers: headers, body: ByteBuffer(bytes: statement)) { r in
                #expect(r.status == .created, "\(String(buffer: r.body))")
            }
            try await client.execute(uri: "/api/v1/agreements/\(terms.id)/signatures", method: .get) { r in
                let body = try APITests.object(r)
                #expect(body["status"] as? String == "signed" && (body["missing"] as? [String])?.isEmpty == true, "\(body)")
            }
        }
    }
}

/// A throwaway Ed25519 key (not registered anywhere).
enum Curve25519Key {
    static func fresh() -> Curve25519.Signing.PrivateKey { Curve25519.Signing.PrivateKey() }
}
