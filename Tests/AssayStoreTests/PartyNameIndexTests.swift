import AssayStore
import Testing

/// The packed party-name index search reads: substring matches in ids and lower-cased names, in id
/// order, one match a party, never across two fields.
@Suite("Party names packed for search")
struct PartyNameIndexTests {
    func index() -> PartyNameIndex {
        var i = PartyNameIndex()
        for (id, name) in [("avz", "AVZ Minerals"), ("cd", "République démocratique du Congo"), ("cmoc", "CMOC Group"),
                           ("gecamines", "Gécamines"), ("kobold", "KoBold Metals")] {
            i.add(id: id, name: name)
        }
        return i
    }

    func ids(_ q: String, limit: Int = 100) -> [String] { index().matches(Array(q.lowercased().utf8), limit: limit).map(\.id) }

    @Test func findsByIdOrNameInIdOrder() {
        #expect(index().count == 5)
        #expect(ids("minerals") == ["avz"])
        #expect(ids("m") == ["avz", "cd", "cmoc", "gecamines", "kobold"])
        #expect(ids("gécam") == ["gecamines"])          // names lower-cased, accents kept
        #expect(ids("GROUP") == ["cmoc"])
        #expect(ids("cd") == ["cd"])                    // by id
        #expect(index().matches(Array("kobold".utf8), limit: 5).first?.name == "KoBold Metals")  // the name as written
    }

    @Test func limitsAndEdges() {
        #expect(ids("m", limit: 2) == ["avz", "cd"])
        #expect(ids("").isEmpty)
        #expect(ids("zzz").isEmpty)
        // The id and the name are separate fields: "avz" + "avz minerals" never matches across them.
        #expect(ids("zavz").isEmpty)
        #expect(ids("savz").isEmpty)                    // nor across two parties
        #expect(index().matches([0x61, 0], limit: 5).isEmpty)
        #expect(PartyNameIndex().matches(Array("a".utf8), limit: 5).isEmpty)
    }
}
