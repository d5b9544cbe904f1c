import FuzzSupport
import AssayDomain
import AssayIngest
import Foundation

// IPIS site-visit CSV: any text imports or throws (every bad cell named); every command it makes reads
// back from its own canonical JSON to the same bytes. Pcodes starting with a digit count as already
// registered IPIS sites (the update-site path), the others as new; even visit ids as already recorded.
let knownSite = Site(id: "ipis-known", name: "Known", kind: .artisanalSite, latitude: Decimal(string: "-1.5")!,
                     longitude: Decimal(string: "28.9")!, minerals: MineralSet([.gold]))

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let result = try? IPISImport.read(
        text: text, file: "fuzz.csv",
        siteForPcode: { pcode in pcode.first?.isNumber == true ? IPISImport.siteID(pcode) : nil },
        visitRecorded: { id in id.last.map { "02468".contains($0) } ?? false },
        registeredSite: { id in var s = knownSite; s.id = id; return s })
    for c in result?.commands ?? [] { checkFixedPoint(c.command) }
    return 0
}

func checkFixedPoint(_ command: Command) {
    let encoded = CanonicalJSON.encode(command.json)
    let again: Command
    do { again = try Command(json: command.json) } catch {
        fatalError("an imported command does not read back: \(error)\n\(String(decoding: encoded, as: UTF8.self))")
    }
    check(CanonicalJSON.encode(again.json) == encoded, "canonical JSON is not a fixed point: \(String(decoding: encoded, as: UTF8.self))")
}

// SwiftPM links an executable with `main` renamed to `<module>_main`: hand it to libFuzzer's driver.
@_cdecl("fuzz_ipis_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzz) }
