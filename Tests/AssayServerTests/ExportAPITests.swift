import AssayDomain
import AssayReports
import AssayServer
import AssayStore
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TransparencyLog

/// Open data over the API: each format at one signed checkpoint, as the caller's role may see it.
@Suite("Open-data exports over the API")
struct ExportAPITests {
    @Test func exportsNameTheirCheckpointAndHideWhatTheRoleMayNotSee() async throws {
        let (store, path) = try await APITests.demoStore()
        defer { APITests.remove(path) }
        let registrar = try await APITests.registrarHeaders(store)
        var a = HTTPFields()
        a[.authorization] = "Bearer \(try await store.createToken(role: .auditor, party: nil).secret)"
        let auditor = a
        let app = Application(router: AssayApplication.router(store: store))
        let vkey = try Ed25519NoteVerifier(verifierKey: store.verifierKey)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/v1/obligations", method: .post, headers: registrar, body: ByteBuffer(string:
                #"{"id":"sealed-ob","agreement":"us-drc-security-mou-2025","obligor":"us","beneficiary":"cd","kind":"equipment","description":"SEALED-DESC-7d1f","quantity":{"amount":"17","unit":"drones"},"due":"2026-01-01","confidential":true}"#)) { r in
                #expect(r.status == .created)
            }
            for format in OpenData.formats {
                try await client.execute(uri: "/api/v1/exports/\(format)", method: .get) { r in
                    #expect(r.status == .ok, "\(format)")
                    let size = Int(r.headers[HTTPField.Name("Assay-Checkpoint-Size")!] ?? "") ?? 0
                    let note = try SignedNote(String(decoding: Data(base64Encoded: r.headers[HTTPField.Name("Assay-Checkpoint-Note")!] ?? "") ?? Data(), as: UTF8.self))
                    _ = try note.verify(with: [vkey])
                    let cp = try Checkpoint(body: note.text)
                    #expect(cp.size == size && cp.root.hex == r.headers[HTTPField.Name("Assay-Checkpoint-Root")!], "\(format)")
                    #expect(r.headers[.contentDisposition]?.contains("assay-\(size).") == true)
                    #expect(!String(buffer: r.body).contains("SEALED-DESC-7d1f"), "\(format) shows the public a sealed description")
                }
            }
            // The auditor's OCDS export holds the confidential obligation's description as a milestone.
            try await client.execute(uri: "/api/v1/exports/ocds", method: .get, headers: auditor) { r in
                let text = String(buffer: r.body)
                #expect(text.contains("SEALED-DESC-7d1f") && text.contains(#""assayCheckpoint""#))
            }
            try await client.execute(uri: "/api/v1/exports/xlsx", method: .get) { r in #expect(r.status == .notFound) }
        }
    }
}
