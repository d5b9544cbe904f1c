import AssayStore
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import TransparencyLog

/// A log that other registries witness: witnesses named in its policy (``WitnessPolicy``) post their
/// cosignatures (`POST /log/cosignature`, the checkpoint note with their cosignature line, as
/// `assay witness follow` sends it), and `GET /log/checkpoint/final` serves the newest checkpoint whose
/// cosignatures satisfy the policy's quorum, with them. No token: a cosignature proves who made it.
enum WitnessPolicyRoutes {
    static func register(on log: RouterGroup<AssayContext>, store: RelationalStore, policy: WitnessPolicy?) {
        log.post("cosignature") { request, context in
            guard let policy else { throw Problem.notFound("this log takes no cosignatures: it was started without --witness-policy") }
            let buffer = try await request.body.collect(upTo: 64 << 10)
            let note: SignedNote
            let cp: Checkpoint
            do {
                note = try SignedNote(String(decoding: Array(buffer: buffer), as: UTF8.self))
                cp = try Checkpoint(body: note.text)
            } catch { throw Problem.invalid("", "expected a cosigned checkpoint note: \(error)") }
            guard let stored = try await store.checkpoint(size: Int64(cp.size)) else {
                throw Problem.invalid("size", "this log has no checkpoint at size \(cp.size)")
            }
            guard stored.text == note.text else {
                // A witness vouching for another tree at this size: what it saw is not this log's history.
                throw Problem(.conflict, type: "fork", title: "Another checkpoint", detail: "the cosigned checkpoint at size \(cp.size) is not this log's (root \(cp.root.hex)); the witness saw another tree")
            }
            var stored_: [String] = []
            for sig in note.signatures {
                guard let (name, verifier) = policy.witness(name: sig.name, keyID: sig.keyID) else { continue }
                do { try await store.addCosignature(size: cp.size, signature: sig, verifier: verifier) } catch {
                    throw Problem(.unprocessableContent, type: "bad-signature", title: "Refused", detail: "\(name): \(error)", field: "signature")
                }
                stored_.append(name)
            }
            guard !stored_.isEmpty else {
                throw Problem(.forbidden, type: "forbidden", title: "Forbidden", detail: "no cosignature by a witness of this log's policy")
            }
            return AssayApplication.json(.object(["size": .int(Int64(cp.size)), "stored": .array(stored_.sorted().map { .string($0) })]), status: .created)
        }
        log.get("checkpoint/final") { _, _ in
            guard let policy else { throw Problem.notFound("this log has no witness policy: no checkpoint is called final") }
            for note in try await store.cosignedCheckpoints() where policy.isSatisfied(by: policy.cosigners(of: note)) {
                var headers = HTTPFields()
                headers[.contentType] = "text/plain; charset=utf-8"
                headers[.cacheControl] = "no-cache"
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: note.serialized)))
            }
            throw Problem.notFound("no checkpoint has the cosignatures the witness policy asks for yet")
        }
    }
}
