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

    func ids(_ q: String, limit: Int = 100) -> [String] { index().matches(Array(q.lowercased().utf8), limit: limit) }

    @Test func findsByIdOrNameInIdOrder() {
        #expect(index().count == 5)
        #expect(ids("minerals") == ["avz"])
        #expect(ids("m") == ["avz", "cd", "cmoc", "gecamines", "kobold"])
        #expect(ids("gécam") == ["gecamines"])          // names lower-cased, accents kept
        #expect(ids("GROUP") == ["cmoc"])
        #expect(ids("cd") == ["cd"])                    // by id
    }

    @Test func agreesWithAPlainSubstringSearch() {
        // Names and needles from a small alphabet, so needles hit often and anywhere (the search anchors on
        // each needle's rarest byte: this checks every position the anchor can be at).
        var rng = SystemRandomNumberGenerator()
        let letters = Array("abcé 0129-").map(String.init)
        func word(_ n: ClosedRange<Int>) -> String { (0..<Int.random(in: n, using: &rng)).map { _ in letters.randomElement(using: &rng)! }.joined() }
        var parties: [(String, String)] = []
        for i in 0..<300 { parties.append((String(format: "p%04d", i), word(1...12))) }
        var index = PartyNameIndex()
        for (id, name) in parties { index.add(id: id, name: name) }
        for _ in 0..<400 {
            let needle = word(1...4).lowercased()
            let expected = parties.filter { $0.0.contains(needle) || $0.1.lowercased().contains(needle) }.map(\.0)
            #expect(index.matches(Array(needle.utf8), limit: 1000) == expected, "\(needle)")
        }
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
