import FuzzSupport
import AssayDomain

// Any input parses or throws; a parsed value survives canonical encoding: parse(encode(v)) == v, and
// encoding is idempotent, encode(parse(encode(v))) == encode(v).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let value = try? JSONParser.parse(bytes) else { return 0 }
    let encoded = CanonicalJSON.encode(value)
    let reparsed: JSONValue
    do { reparsed = try JSONParser.parse(encoded) } catch {
        fatalError("canonical encoding does not parse: \(error)\n\(CanonicalJSON.string(value))")
    }
    check(reparsed == value, "parse(encode(v)) != v for \(CanonicalJSON.string(value))")
    check(CanonicalJSON.encode(reparsed) == encoded, "encoding is not idempotent for \(CanonicalJSON.string(value))")
    return 0
}

// SwiftPM links an executable with `main` renamed to `<module>_main`: hand it to libFuzzer's driver.
@_cdecl("fuzz_json_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzz) }
