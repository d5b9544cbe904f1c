import AssayDomain
import AssayStore
import Foundation
import Testing

/// Search by any part of a party's id or name: substring matches in ids and lower-cased names, in the
/// order the parties were registered, one match a party, never across two fields — from the search
/// projection's trigram index (SQLite FTS5, PostgreSQL pg_trgm), on this run's backend.
@Suite("Parties found by any part of their id or name")
struct PartySearchTests {
    static func store(_ parties: [(String, String)]) async throws -> (RelationalStore, String) {
        let (store, db) = try await Fixtures.store()
        let commands = try parties.map { id, name in
            try Command(json: .object(["type": "register-party", "id": .string(id), "name": .string(name), "kind": "company", "country": "CD"]))
        }
        _ = try await store.append(commands, author: "t")
        return (store, db)
    }

    static let five = [("avz", "AVZ Minerals"), ("cd", "République démocratique du Congo"), ("cmoc", "CMOC Group"),
                       ("gecamines", "Gécamines"), ("kobold", "KoBold Metals")]

    @Test func findsByIdOrNameInRegistrationOrder() async throws {
        let (store, db) = try await Self.store(Self.five)
        defer { Fixtures.remove(db) }
        func ids(_ q: String, limit: Int = 100) async throws -> [String] { try await store.searchParties(q, limit: limit) }
        #expect(try await ids("minerals") == ["avz"])
        #expect(try await ids("m") == ["avz", "cd", "cmoc", "gecamines", "kobold"])
        #expect(try await ids("gécam") == ["gecamines"])          // names lower-cased, accents kept
        #expect(try await ids("GÉCAM") == ["gecamines"])          // and the needle too, beyond ASCII
        #expect(try await ids("GROUP") == ["cmoc"])
        #expect(try await ids("cd") == ["cd"])                    // by id
        #expect(try await ids("m", limit: 2) == ["avz", "cd"])
        #expect(try await ids("").isEmpty)
        #expect(try await ids("zzz").isEmpty)
        // The id and the name are separate fields: "avz" + "avz minerals" never matches across them.
        #expect(try await ids("zavz").isEmpty)
        #expect(try await ids("savz").isEmpty)                    // nor across two parties
        // What the databases' own syntax would read as operators is plain text here.
        #expect(try await ids("%").isEmpty)
        #expect(try await ids("_").isEmpty)
        #expect(try await ids("\"avz").isEmpty)
        #expect(try await ids("avz OR cd").isEmpty)
        // Bytes no name holds (a NUL, control characters) find nothing, and are no error.
        #expect(try await ids("a\u{0}v").isEmpty)
        #expect(try await ids("\u{0}").isEmpty)
        #expect(try await ids("\u{9d}#ôßk\u{0}!\u{19}i").isEmpty)
        #expect(try await ids("av\u{19}").isEmpty)
        await store.close()
    }

    @Test func agreesWithAPlainSubstringSearch() async throws {
        // Names and needles from a small alphabet, so needles hit often and anywhere; needles of one to four
        // characters, so both the trigram index (three and more) and the scan (fewer) answer.
        var rng = SystemRandomNumberGenerator()
        let letters = Array("abcé 0129-_%").map(String.init)
        func word(_ n: ClosedRange<Int>) -> String { (0..<Int.random(in: n, using: &rng)).map { _ in letters.randomElement(using: &rng)! }.joined() }
        var parties: [(String, String)] = []
        for i in 0..<300 { parties.append((String(format: "p%04d", i), "n" + word(1...10) + "n")) }
        let (store, db) = try await Self.store(parties)
        defer { Fixtures.remove(db) }
        for _ in 0..<300 {
            let needle = word(1...4)
            let expected = parties.filter { $0.0.contains(needle) || $0.1.lowercased().contains(needle) }.map(\.0)
            #expect(try await store.searchParties(needle, limit: 1000) == expected, "\(needle)")
        }
        // Rebuilt from the journal: the same answers.
        _ = try await store.rebuild()
        #expect(try await store.searchParties("p00", limit: 1000) == parties.prefix(100).map(\.0))
        await store.close()
    }
}
