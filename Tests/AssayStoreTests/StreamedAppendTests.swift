import AssayDomain
import AssayStore
import Foundation
import Synchronization
import Testing
import TransparencyLog

/// A streamed import goes in one transaction a chunk at a time: all of it, or nothing — not in the
/// journal, not in the log's tree, and no checkpoint over any of it.
@Suite("Streamed appends are all or nothing")
struct StreamedAppendTests {
    func party(_ id: String) -> Command { .registerParty(Party(id: id, name: "Party \(id)", kind: .company, country: "CD")) }

    /// `next` for a stream of these chunks.
    func chunks(_ c: [[Command]]) -> @Sendable () throws -> [Command]? {
        let left = Mutex(c)
        return { left.withLock { $0.isEmpty ? nil : $0.removeFirst() } }
    }

    @Test func aRefusalInALaterChunkLeavesNothingAndTheNextAppendSignsTheRightRoot() async throws {
        let (store, db) = try await Fixtures.store()
        defer { Fixtures.remove(db) }
        _ = try await store.append([party("first")], author: "t")
        let before = try #require(store.latestCheckpoint())

        // Two chunks pass; the third refuses its second command (an id already used).
        do {
            _ = try await store.appendStream(author: "t", next: chunks([[party("a"), party("b")], [party("c"), party("d")], [party("e"), party("a")]]))
            Issue.record("the stream was not refused")
        } catch let e as BatchRejected {
            #expect(e.errors.map(\.index) == [5])
        }
        #expect(try await store.journalSize() == 1)
        #expect(store.latestCheckpoint() == before)
        #expect(try await store.find("c") == nil)

        // The tree holds only what the journal holds: the next append's checkpoint verifies.
        let receipts = try await store.append([party("g")], author: "t")
        #expect(receipts.map(\.sequence) == [2])
        let report = try await store.verify(with: try Ed25519NoteVerifier(verifierKey: Fixtures.signer.verifierKey))
        #expect(report.entries == 2)

        // A stream that passes: every chunk written, one checkpoint at the end, contiguous entries.
        let written = try await store.appendStream(author: "t", next: chunks([[party("h"), party("i")], [], [party("j")]]))
        #expect(written.count == 3 && written.first == 3 && written.last == 5)
        #expect(try await store.journalSize() == 5)
        #expect(try await store.verify(with: try Ed25519NoteVerifier(verifierKey: Fixtures.signer.verifierKey)).entries == 5)
        await store.close()
    }
}
