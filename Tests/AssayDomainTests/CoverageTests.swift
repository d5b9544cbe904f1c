import Testing
@testable import AssayDomain

@Suite("Aggregates say what they cover")
struct CoverageTests {
    @Test func registeredCapacityAgainstTheNationalTotal() throws {
        guard case .recordNationalOutput(let n) = try Command(jsonText: #"{"type":"record-national-output","mineral":"cobalt","year":2023,"tonnes":"170000","sources":["https://example.org/usgs"]}"#) else {
            Issue.record("not a national output"); return
        }
        let c = Coverage(mineral: .cobalt, registeredTonnes: 114_165, national: n)
        #expect(abs((c.share ?? 0) - 0.6716) < 0.0001)
        #expect(abs((c.notRegistered ?? 0) - 0.3284) < 0.0001)
        #expect(c.text == "67% of national 170000 t (2023); not registered 33%")
        // Capacity above the national total (capacity is not output) leaves nothing "not registered", never a negative share.
        #expect(Coverage(mineral: .cobalt, registeredTonnes: 200_000, national: n).notRegistered == 0)
        let unknown = Coverage(mineral: .tin, registeredTonnes: 17_300, national: nil)
        #expect(unknown.share == nil && unknown.text.contains("unknown"))
    }

    @Test func aNationalTotalNeedsItsSourceAndAYear() {
        func field(_ line: String) -> String? { do { _ = try Command(jsonText: line); return nil } catch { return (error as? DomainError)?.field } }
        #expect(field(#"{"type":"record-national-output","mineral":"cobalt","year":2023,"tonnes":"170000"}"#) == "sources")
        #expect(field(#"{"type":"record-national-output","mineral":"cobalt","year":"2023","tonnes":"170000","sources":["https://example.org"]}"#) == "year")
        #expect(field(#"{"type":"record-national-output","mineral":"cobalt","year":2023,"tonnes":"0","sources":["https://example.org"]}"#) == "tonnes")
        #expect(field(#"{"type":"record-national-output","mineral":"unobtainium","year":2023,"tonnes":"1","sources":["https://example.org"]}"#) == "mineral")
    }
}
