import FuzzSupport
import TransparencyLog

// tlog-proof bundles: any text parses or throws; what parses serializes to text that parses to the same
// bundle; verifying it (signature, then inclusion against the checkpoint) returns or throws.
let logKey = try! Ed25519NoteVerifier(verifierKey: "assay.example/log+8777c400+AeEcnMgxEH+UG6tVPjzo729xwN17V9MNK1PKnaO/WvJ2")
let witnesses: [any NoteVerifier] = [try! CosignatureVerifier(verifierKey: "witness.example/w1+fa023044+BOk/FuG98WNumUarbTiU+Qw1m73DPwCdw2fqFYDK4tMi")]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let bundle = try? ProofBundle(text: text) else { return 0 }
    let again: ProofBundle
    do { again = try ProofBundle(text: bundle.text) } catch { fatalError("a serialized bundle does not parse: \(error)") }
    check(again == bundle, "bundle changed on a round trip")
    _ = try? bundle.verify(logKey: logKey, witnesses: witnesses)
    return 0
}

// SwiftPM links an executable with `main` renamed to `<module>_main`: hand it to libFuzzer's driver.
@_cdecl("fuzz_bundle_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzz) }
