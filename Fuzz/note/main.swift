import FuzzSupport
import TransparencyLog

// Signed notes and checkpoints: any text parses or throws; what parses serializes to text that parses
// to the same value; verifying against known keys returns or throws.
let verifiers: [any NoteVerifier] = [
    // golang.org/x/mod/sumdb/note's reference key, and the keys the seed corpus is signed with.
    try! Ed25519NoteVerifier(verifierKey: "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"),
    try! AnyVerifierKey.parse(FuzzKeys.log),
    try! AnyVerifierKey.parse(FuzzKeys.witness),
]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    if let note = try? SignedNote(text) {
        let again: SignedNote
        do { again = try SignedNote(note.serialized) } catch { fatalError("a serialized note does not parse: \(error)") }
        check(again == note, "note changed on a round trip")
        _ = try? note.verify(with: verifiers)
        checkpoint(note.text)
        for sig in note.signatures { _ = CosignatureVerifier.timestamp(of: sig) }
    }
    checkpoint(text)
    // Key strings are parsed from user input too (`--log-key`, witness lists).
    _ = try? AnyVerifierKey.parse(text)
    _ = try? Ed25519NoteSigner(privateKey: text)
    _ = try? CosignatureSigner(privateKey: text)
    return 0
}

func checkpoint(_ body: String) {
    guard let cp = try? Checkpoint(body: body) else { return }
    let again: Checkpoint
    do { again = try Checkpoint(body: cp.body) } catch { fatalError("a checkpoint body does not parse: \(error)") }
    check(again == cp, "checkpoint changed on a round trip")
}

enum FuzzKeys {
    // Fixed test keys (Fuzz/make-seeds.py); never used outside fuzzing.
    static let log = "assay.example/log+8777c400+AeEcnMgxEH+UG6tVPjzo729xwN17V9MNK1PKnaO/WvJ2"
    static let witness = "witness.example/w1+fa023044+BOk/FuG98WNumUarbTiU+Qw1m73DPwCdw2fqFYDK4tMi"
}

// SwiftPM links an executable with `main` renamed to `<module>_main`: hand it to libFuzzer's driver.
@_cdecl("fuzz_note_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzz) }
