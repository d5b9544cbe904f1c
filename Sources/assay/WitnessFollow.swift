import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TransparencyLog
#if canImport(Glibc)
import Glibc
#endif

/// `assay witness follow URL`: a witness that fetches another registry's checkpoints on a schedule, cosigns
/// each one that grows consistently from the last it cosigned (C2SP tlog-witness rules), and posts the
/// cosignature back to that registry (`POST /log/cosignature`). An inconsistent checkpoint is refused and
/// reported: `REFUSED: …` on standard error, exit 3, nothing cosigned, the state unchanged.
struct WitnessFollow: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "follow",
        abstract: "Witness another registry over HTTP: fetch its checkpoints, cosign the consistent ones, post the cosignatures back; refuse and report a fork.",
        discussion: "Exit 0 when every round went well (with --once, after one); 3 when a checkpoint was refused (not signed by the log, smaller than the last cosigned, another root at a size already cosigned, or a consistency proof that fails); 1 when the registry cannot be reached or the input is wrong.")
    @Argument(help: "The witnessed registry's base URL.") var url: String
    @Option(name: .customLong("log-vkey"), help: "The witnessed log's verifier key.") var logKey: String
    @Option(help: "The witness key file (from `assay witness init`).") var key: String
    @Option(help: "Where the witness keeps the last checkpoint it cosigned for this log.") var state: String
    @Option(help: "Seconds between rounds.") var interval: Double = 30
    @Flag(help: "One round, then exit.") var once = false

    struct Refused: Error { var message: String }

    func validate() throws {
        guard let u = URL(string: url), u.scheme == "http" || u.scheme == "https", u.host != nil else { throw ValidationError("URL: expected http(s)://host[:port]") }
        guard interval > 0 else { throw ValidationError("--interval must be positive") }
    }

    func run() async throws {
        guard let keyData = FileManager.default.contents(atPath: key) else { throw InputFailure(message: "\(key): cannot read the witness key") }
        let witness = Witness(signer: try WitnessAdd.signer(String(decoding: keyData, as: UTF8.self)))
        let log = try WitnessAdd.logKey(logKey)
        while true {
            do { try await round(witness: witness, log: log) } catch let r as Refused {
                FileHandle.standardError.write(Data("REFUSED: \(r.message)\n".utf8))
                throw ExitCode(3)
            }
            if once { return }
            try await Task.sleep(for: .seconds(interval))
        }
    }

    func round(witness: Witness, log: Ed25519NoteVerifier) async throws {
        var previous: Checkpoint?
        if let d = FileManager.default.contents(atPath: state) {
            do { previous = try Checkpoint(body: String(decoding: d, as: UTF8.self)) } catch { throw InputFailure(message: "\(state): \(error.message)") }
        }
        let note: SignedNote
        do { note = try SignedNote(String(decoding: try await http("GET", "log/checkpoint"), as: UTF8.self)) } catch let e as InputFailure { throw e } catch {
            throw Refused(message: "the checkpoint served by \(url) does not parse: \(error)")
        }
        let cp: Checkpoint
        do { cp = try Checkpoint(body: note.text) } catch { throw Refused(message: "the checkpoint served by \(url) does not parse: \(error.message)") }
        let old = previous?.size ?? 0
        if let previous, cp.size == previous.size {
            guard cp.root == previous.root else { throw Refused(message: "fork: \(cp.origin) shows root \(cp.root.hex) at size \(cp.size), where this witness cosigned \(previous.root.hex)") }
            print("size \(cp.size): already cosigned")
            return
        }
        var proof: [TreeHash] = []
        if old > 0, cp.size > old {
            let body = try await http("GET", "log/proof/consistency?from=\(old)&to=\(cp.size)")
            guard let o = try? JSONSerialization.jsonObject(with: body) as? [String: Any], let items = o["proof"] as? [String] else {
                throw Refused(message: "the consistency proof from \(old) to \(cp.size) is not readable")
            }
            proof = items.compactMap(TreeHash.init(base64:))
            guard proof.count == items.count else { throw Refused(message: "the consistency proof from \(old) to \(cp.size) holds a malformed hash") }
        }
        let signature: NoteSignature
        let accepted: Checkpoint
        do {
            (accepted, signature) = try witness.addCheckpoint(previous: previous, oldSize: old, proof: proof, note: note, logKey: log,
                                                              timestamp: UInt64(Date().timeIntervalSince1970))
        } catch let r as Witness.Refusal {
            throw Refused(message: "\(cp.origin) at size \(cp.size): \(r)")
        }
        // Remember before telling anyone (write a new file, then rename): never cosign two roots at one size.
        let tmp = state + ".tmp"
        guard FileManager.default.createFile(atPath: tmp, contents: Data(accepted.body.utf8)), rename(tmp, state) == 0 else {
            throw InputFailure(message: "\(state): cannot save the witness state")
        }
        var cosigned = note
        cosigned.signatures = [signature]
        let answer = try await http("POST", "log/cosignature", body: Data(cosigned.serialized.utf8))
        print("size \(old) → \(cp.size): cosigned as \(witness.signer.name) and posted (\(String(decoding: answer, as: UTF8.self)))")
    }

    func http(_ method: String, _ path: String, body: Data? = nil) async throws -> Data {
        let base = url.hasSuffix("/") ? url : url + "/"
        guard let u = URL(string: base + path) else { throw InputFailure(message: "cannot form a URL from \(base) and \(path)") }
        var request = URLRequest(url: u, timeoutInterval: 10)
        request.httpMethod = method
        if let body { request.httpBody = body; request.setValue("text/plain; charset=utf-8", forHTTPHeaderField: "Content-Type") }
        let data: Data, response: URLResponse
        do { (data, response) = try await URLSession.shared.data(for: request) } catch { throw InputFailure(message: "\(u): \(error.localizedDescription)") }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard (200..<300).contains(status) else {
            throw InputFailure(message: "\(method) \(u): status \(status): \(String(decoding: data.prefix(300), as: UTF8.self))")
        }
        return data
    }
}
