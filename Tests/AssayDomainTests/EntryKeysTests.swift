import AssayDomain
import Testing

@Suite("The keys an entry touches")
struct EntryKeysTests {
    func keys(_ json: String) throws -> [String] { EntryKeys.keys(of: try JSONParser.parse(json)) }

    @Test func aCustodyEventTouchesItsLotPartySiteAndMineral() throws {
        let k = try keys(#"{"type":"custody-event","event":{"id":"e1","kind":"extraction","party":"kcc","key":"k1","site":"kamoto-kcc","lot":{"id":"L1","mineral":"Cobalt","massKg":"1"}},"signature":"x"}"#)
        #expect(k == ["id:e1", "lot:L1", "mineral:cobalt", "party:kcc", "site:kamoto-kcc", "type:custody-event"])
        let t = try keys(#"{"type":"custody-event","event":{"id":"e2","kind":"transformation","party":"kcc","inputs":["L1","L2"],"outputs":[{"id":"L3"}]}}"#)
        #expect(t.contains("lot:L1") && t.contains("lot:L2") && t.contains("lot:L3"))
    }

    @Test func subjectsAndPartiesByRole() throws {
        let own = try keys(#"{"type":"record-ownership","id":"o","subject":"kcc","interestedParty":"gecamines","share":{"exact":"20"}}"#)
        #expect(own == ["id:o", "party:gecamines", "party:kcc", "type:record-ownership"])
        let a = try keys(#"{"type":"register-agreement","id":"spa","title":"SPA","parties":[{"party":"cd","role":"state"},{"party":"us","role":"partner"}],"minerals":["cobalt","lithium"]}"#)
        #expect(a == ["agreement:spa", "id:spa", "mineral:cobalt", "mineral:lithium", "party:cd", "party:us", "type:register-agreement"])
        let title = try keys(#"{"type":"register-concession","id":"pe-1","holder":"kfm","minerals":["copper"]}"#)
        #expect(title.contains("title:pe-1") && title.contains("party:kfm"))
        // Not an object, no type: no keys.
        #expect(try keys("[1,2]").isEmpty && (try keys(#"{"id":"x"}"#)).isEmpty)
    }
}
