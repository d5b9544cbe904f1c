import FuzzSupport
import AssayDomain
import AssayIngest

// Any bytes read as GeoJSON features or throw; features that read go through the GeoJSON importer
// (rasterizing polygons into grid cells, building commands), which must also return or throw.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    guard let features = try? GeoJSON.features(bytes) else { return 0 }
    for f in features {
        for p in f.polygons { check(!p.rings.isEmpty, "a polygon without rings was accepted") }
        if let pt = f.point { check((-180...180).contains(pt.lon) && (-90...90).contains(pt.lat), "point out of range") }
    }
    _ = try? CommandImporter.geojson(bytes, file: "fuzz.geojson")
    return 0
}

// SwiftPM links an executable with `main` renamed to `<module>_main`: hand it to libFuzzer's driver.
@_cdecl("fuzz_geojson_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzz) }
