import Testing
@testable import AssayDomain

/// Inputs found by `scripts/fuzz` (libFuzzer) that crashed or broke an invariant, kept as tests.
@Suite("Fuzz regressions: inputs libFuzzer found")
struct FuzzRegressionTests {
    /// fuzz-command: an armed actor without a `type` was accepted, but its canonical JSON wrote `"type":""`,
    /// which does not read back: the journal entry could not be replayed.
    @Test func siteVisitWithAnArmedActorWithoutTypeReadsBackFromItsJournalForm() throws {
        let line = #"{"type":"record-site-visit","id":"ipis-visit-1","site":"rubaya","date":"2023-06-01","source":"IPIS","armed":[{"name":"FARDC","activities":["taxation"]}]}"#
        let command = try Command(jsonText: line)
        let journalForm = CanonicalJSON.encode(command.json)
        let replayed = try Command(json: try JSONParser.parse(journalForm))
        #expect(replayed == command)
        #expect(CanonicalJSON.encode(replayed.json) == journalForm)
        #expect(!CanonicalJSON.string(command.json).contains(#""type":"""#))
    }
}
