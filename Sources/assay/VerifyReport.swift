import ArgumentParser
import AssayDomain
import Foundation
import TransparencyLog

/// `assay log verify-report REPORT.json --vkey V`: checks a buyer's report offline, without the
/// database: every proof bundle against the log's key, that each bundle's entry is the event (or key
/// registration) it claims, and each event's signature with the key whose registration is proven.
struct VerifyReport: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify-report",
        abstract: "Check a lot's buyer's report offline: its log proofs, that they hold its events and keys, and every event signature.")
    @Argument(help: "The report (JSON from `assay report lot` or /api/v1/lots/{id}/report; - for stdin).") var report: String
    @Option(name: .customLong("vkey"), help: "The log's verifier key (obtained independently of the report).") var vkey: String

    func run() async throws {
        let data = report == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: report)
        guard let data else { throw InputFailure(message: "\(report): cannot read the file") }
        let logKey: any NoteVerifier
        do { logKey = try Ed25519NoteVerifier(verifierKey: vkey) } catch { throw InputFailure(message: "--vkey: \(error.message)") }
        guard case .object(let m)? = try? JSONParser.parse([UInt8](data)) else { throw InputFailure(message: "invalid: not a JSON report") }
        func bundles(_ key: String, _ name: String) throws -> [(String, JournalEntry)] {
            guard case .array(let items)? = m[key] else { throw InputFailure(message: "invalid: the report has no \(key)") }
            return try items.map { item in
                guard case .object(let p) = item, case .string(let id)? = p[name], case .string(let text)? = p["bundle"] else {
                    throw InputFailure(message: "invalid: a member of \(key) lacks \(name) or bundle")
                }
                do {
                    let b = try ProofBundle(text: text)
                    _ = try b.verify(logKey: logKey)
                    guard let extra = b.extra else { throw InputFailure(message: "invalid: the bundle of \(id) carries no entry") }
                    return (id, try JournalEntry(bytes: extra))
                } catch let e as InputFailure { throw e } catch { throw InputFailure(message: "invalid: the proof of \(id): \(error)") }
            }
        }
        var keys: [String: OperatorKey] = [:]
        for (id, entry) in try bundles("keyProofs", "key") {
            guard case .registerKey(let k) = entry.command, k.id == id else { throw InputFailure(message: "invalid: the proof for key \(id) holds another entry") }
            keys[id] = k
        }
        var checked = 0
        for (id, entry) in try bundles("proofs", "event") {
            guard case .custodyEvent(let s) = entry.command, s.event.id == id else { throw InputFailure(message: "invalid: the proof for event \(id) holds another entry") }
            guard let k = keys[s.event.key], k.party == s.event.party else { throw InputFailure(message: "invalid: event \(id)'s key \(s.event.key) is not proven in the report") }
            guard k.verifies(s.signature, of: s.signedBytes) else { throw InputFailure(message: "invalid: event \(id)'s signature does not verify with key \(k.id)") }
            checked += 1
        }
        guard checked > 0 else { throw InputFailure(message: "invalid: the report proves no event") }
        print("valid: \(checked) events and \(keys.count) key registrations are in the log signed by \(logKey.name), and every event's signature verifies")
    }
}
