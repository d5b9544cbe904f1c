import AssayDomain
import AssayIngest
import AssayStore
import Foundation
import TransparencyLog

/// Shared test fixtures: the real geography (loaded once) and throwaway database files.
enum Fixtures {
    static let geography: Geography = {
        do { return try ReferenceData.geography() } catch { preconditionFailure("reference boundaries missing: \(error)") }
    }()

    /// A new empty store in a temporary file, with a fixed clock so entries are reproducible.
    static func store() throws -> (RelationalStore, String) {
        let path = NSTemporaryDirectory() + "assay-test-\(UUID().uuidString).sqlite"
        let store = try RelationalStore(path: path, geography: geography, signer: signer,
                                    clock: { Timestamp(milliseconds: 1_795_000_000_000) })
        return (store, path)
    }

    static let signer: Ed25519NoteSigner = {
        do { return try Ed25519NoteSigner(name: "test.local/registry") } catch { preconditionFailure("\(error)") }
    }()

    static func remove(_ path: String) {
        for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) }
    }

    static func commands(_ lines: [String]) throws -> [Command] { try lines.map { try Command(jsonText: $0) } }
}
