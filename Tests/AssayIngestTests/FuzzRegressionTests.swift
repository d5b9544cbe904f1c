import AssayDomain
import Testing
@testable import AssayIngest

/// Inputs found by `scripts/fuzz` (libFuzzer) that crashed or broke an invariant, kept as tests.
@Suite("Fuzz regressions: inputs libFuzzer found")
struct FuzzRegressionTests {
    /// fuzz-ipis: `Int64(Double(w)!)` trapped on a worker count beyond Int64 ("1e30"), and on "nan" or "inf".
    @Test(arguments: ["1e30", "-1e30", "9.3e18", "nan", "inf", "-inf"])
    func ipisWorkerCountOutOfRangeIsABadCell(_ workers: String) throws {
        let text = "vid,pcode,name,visit_date,latitude,longitude,province,workers_numb\n"
            + "7,codmine00309,D3 Bibatama,2009-01-01,-1.584475,28.893558,Nord-Kivu,\(workers)\n"
        #expect {
            _ = try IPISImport.read(text: text, file: "ipis.csv", siteForPcode: { _ in nil }, visitRecorded: { _ in false })
        } throws: { e in
            (e as? ImportErrors)?.description.hasPrefix("ipis.csv:2: workers_numb: expected a number of workers") == true
        }
        // A count written as a decimal still reads, truncated as before.
        let ok = text.replacingOccurrences(of: ",\(workers)\n", with: ",12.7\n")
        let (commands, _) = try IPISImport.read(text: ok, file: "ipis.csv", siteForPcode: { _ in nil }, visitRecorded: { _ in false })
        let visits = commands.compactMap { c -> SiteVisit? in if case .recordSiteVisit(let v) = c.command { v } else { nil } }
        #expect(visits.map(\.workers) == [12])
    }

    /// fuzz-csv: a blank last line (here a quoted empty field) without a line end became a row of one empty
    /// field, while the same line with a line end is skipped as blank.
    @Test(arguments: ["xSequene\r\"\"", "xSequene\r\"\"\r", "a,b\n1,2\n\"\"", "a,b\n1,2\n\"\"\n"])
    func csvBlankLastLineIsSkippedWithOrWithoutLineEnd(_ text: String) throws {
        let table = try CSVTable(text: text, file: "x.csv")
        #expect(table.rows.allSatisfy { $0.fields != [""] })
        #expect(table.rows.count == (text.hasPrefix("a,b") ? 1 : 0))
    }
}

extension FuzzRegressionTests {
    /// Found with fuzz-command (an armed actor without a type did not read back from its canonical JSON): an
    /// IPIS row naming an armed group without its type was refused with "armed[0].type: must not be empty".
    @Test func ipisArmedGroupWithoutTypeImports() throws {
        let text = "vid,pcode,name,visit_date,latitude,longitude,province,armed_group1,type_armed_group1,taxation_armed_group1\n"
            + "7,codmine00309,D3 Bibatama,2009-01-01,-1.584475,28.893558,Nord-Kivu,Mai-Mai Kifuafua,,1\n"
        let (commands, _) = try IPISImport.read(text: text, file: "ipis.csv", siteForPcode: { _ in nil }, visitRecorded: { _ in false })
        let visits = commands.compactMap { c -> SiteVisit? in if case .recordSiteVisit(let v) = c.command { v } else { nil } }
        #expect(visits.count == 1 && visits.first?.armed.map(\.name) == ["Mai-Mai Kifuafua"] && visits.first?.armed.first?.type == "")
    }
}
