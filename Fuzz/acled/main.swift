import FuzzSupport
import AssayDomain
import AssayIngest

// ACLED event CSV: any text imports or throws (every bad cell named); every command it makes reads back
// from its own canonical JSON to the same bytes. Event ids ending in 0 count as already recorded.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let result = try? ACLEDImport.read(text: text, file: "fuzz.csv", recorded: { $0.hasSuffix("0") })
    for c in result?.commands ?? [] {
        let encoded = CanonicalJSON.encode(c.command.json)
        let again: Command
        do { again = try Command(json: c.command.json) } catch {
            fatalError("an imported command does not read back: \(error)\n\(String(decoding: encoded, as: UTF8.self))")
        }
        check(CanonicalJSON.encode(again.json) == encoded, "canonical JSON is not a fixed point: \(String(decoding: encoded, as: UTF8.self))")
    }
    return 0
}

// SwiftPM links an executable with `main` renamed to `<module>_main`: hand it to libFuzzer's driver.
@_cdecl("fuzz_acled_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzz) }
