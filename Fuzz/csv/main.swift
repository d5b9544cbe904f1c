import FuzzSupport
import AssayIngest

// Any text reads or throws ImportError. A table that reads is consistent (no row longer than the
// header, lines increasing) and survives a round trip: every field written quoted reads back the same.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let table = try? CSVTable(text: text, file: "fuzz.csv") else { return 0 }
    var previous = 1
    for row in table.rows {
        check(row.fields.count <= table.header.count, "row at line \(row.line) is longer than the header")
        check(row.line > previous, "row lines do not increase: \(row.line) after \(previous)")
        previous = row.line
        for column in table.header { _ = row[column] }
    }
    // A header that is one blank field reads as [""], which written back is a blank line: no round trip.
    if table.header == [""] { return 0 }
    func quoted(_ fields: [String]) -> String {
        // Quotes doubled scalar by scalar, as the reader reads (a quote may start a grapheme cluster).
        fields.map { f in
            var s = String.UnicodeScalarView()
            for u in f.unicodeScalars { s.append(u); if u == "\"" { s.append(u) } }
            return "\"" + String(s) + "\""
        }.joined(separator: ",") + "\n"
    }
    let written = quoted(table.header) + table.rows.map { quoted($0.fields) }.joined()
    let again: CSVTable
    do { again = try CSVTable(text: written, file: "again.csv") } catch {
        fatalError("a table written back does not read: \(error)")
    }
    check(again.header == table.header, "header changed on a round trip: \(table.header) -> \(again.header)")
    check(again.rows.map(\.fields) == table.rows.map(\.fields), "rows changed on a round trip")
    return 0
}

// SwiftPM links an executable with `main` renamed to `<module>_main`: hand it to libFuzzer's driver.
@_cdecl("fuzz_csv_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt { runFuzzer(argc, argv, fuzz) }
