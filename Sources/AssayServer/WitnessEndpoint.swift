import Foundation
import Hummingbird
import TransparencyLog

/// The C2SP tlog-witness `add-checkpoint` endpoint, when the server also runs as a witness of a log:
/// it keeps the last checkpoint it cosigned (in a state file, replaced atomically) and answers 200 with
/// the cosignature, 409 with its latest size, 422 for an inconsistent tree, 403 for a bad signature.
public actor WitnessEndpoint {
    let witness: Witness
    let logKey: Ed25519NoteVerifier
    let statePath: String
    var previous: Checkpoint?

    public init(witness: Witness, logKey: Ed25519NoteVerifier, statePath: String) throws {
        self.witness = witness
        self.logKey = logKey
        self.statePath = statePath
        if let d = FileManager.default.contents(atPath: statePath) { previous = try Checkpoint(body: String(decoding: d, as: UTF8.self)) }
    }

    func add(_ body: String) throws -> Response {
        let request: (oldSize: Int, proof: [TreeHash], note: SignedNote)
        do { request = try Witness.parseRequest(body) } catch { throw Problem.invalid("", error.message) }
        do {
            let (cp, sig) = try witness.addCheckpoint(previous: previous, oldSize: request.oldSize, proof: request.proof, note: request.note,
                                                      logKey: logKey, timestamp: UInt64(Date().timeIntervalSince1970))
            let tmp = statePath + ".tmp"
            guard FileManager.default.createFile(atPath: tmp, contents: Data(cp.body.utf8)), rename(tmp, statePath) == 0 else {
                throw Problem(.internalServerError, type: "internal", title: "State", detail: "the witness could not save its state")
            }
            previous = cp
            return Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: sig.line)))
        } catch let r as Witness.Refusal {
            switch r {
            case .conflict(let known):
                return Response(status: .conflict, headers: [.contentType: "text/x.tlog.size"], body: .init(byteBuffer: ByteBuffer(string: "\(known)\n")))
            case .inconsistent(let m): throw Problem(.unprocessableContent, type: "inconsistent", title: "Inconsistent", detail: m)
            case .badSignature(let m): throw Problem(.forbidden, type: "bad-signature", title: "Not signed by the witnessed log", detail: m)
            }
        }
    }

    /// Adds `POST /add-checkpoint` to a router.
    public nonisolated func register(on router: Router<AssayContext>) {
        router.post("add-checkpoint") { request, context in
            let buffer = try await request.body.collect(upTo: 1 << 16)
            return try await self.add(String(buffer: buffer))
        }
    }
}
