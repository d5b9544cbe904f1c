/// Where a log keeps its tiles, entry bundles and checkpoints. Called inside the caller's transaction,
/// so that entries, tiles and the checkpoint are written together or not at all.
public protocol TileStorage {
    /// Stores a hash tile (full, or partial at a checkpointed size).
    func writeTile(_ tile: Tile, data: [UInt8]) throws
    /// Stores an entry bundle.
    func writeBundle(_ tile: Tile, data: [UInt8]) throws
    /// Removes partial tiles made obsolete by the full tile at the same level and index (`nil`: bundles).
    func dropPartials(level: Int?, index: Int) throws
    func writeCheckpoint(size: Int, note: SignedNote) throws
}

/// What integrating a batch changes: the tiles and bundles to store and the checkpoint to sign.
public struct LogUpdate: Sendable {
    public var oldSize: Int
    public var tiles: [(tile: Tile, data: [UInt8])]
    public var bundles: [(tile: Tile, data: [UInt8])]
    public var checkpoint: Checkpoint
}

/// Integrates new entries into a log in two steps, so no lock is held across I/O:
/// ``prepare(_:leafHashes:hashes:earlierEntries:)`` extends the in-memory hashes and computes every
/// tile the batch completes or changes (full tiles once; partial tiles only at the new, checkpointed
/// size), the entry bundles if asked, and the checkpoint — pure computation; then
/// ``commit(_:storage:)`` signs the checkpoint and writes it all through one ``TileStorage``.
public struct LogWriter: Sendable {
    public let origin: String
    public let signer: Ed25519NoteSigner
    /// Whether to write entry bundles (a log whose entries live elsewhere can serve bundles from there).
    public let writesBundles: Bool

    public init(signer: Ed25519NoteSigner, writesBundles: Bool = true) {
        self.origin = signer.name
        self.signer = signer
        self.writesBundles = writesBundles
    }

    /// - Parameters:
    ///   - leafHashes: the entries' leaf hashes when the caller has them already.
    ///   - earlierEntries: for bundles, the entries already logged from the given index to the old size
    ///     (the start of the last, partial bundle).
    public func prepare(_ entries: [[UInt8]], leafHashes: [TreeHash]? = nil, hashes: inout MemoryHashStore,
                        earlierEntries: (Int) throws -> [[UInt8]] = { _ in [] }) throws -> LogUpdate {
        let oldSize = hashes.size
        if let leafHashes {
            for h in leafHashes { hashes.append(h) }
        } else {
            for e in entries { hashes.append(MerkleHasher.leaf(e)) }
        }
        let newSize = hashes.size
        var tiles: [(Tile, [UInt8])] = []
        var level = 0
        while newSize >> (Tile.height * level) > 0 {
            let shift = Tile.height * level
            let oldCount = oldSize >> shift, newCount = newSize >> shift
            if newCount > oldCount {
                for t in (oldCount / Tile.width)...((newCount - 1) / Tile.width) {
                    let tile = Tile(level: level, index: t, width: min(Tile.width, newCount - t * Tile.width))
                    tiles.append((tile, try tile.hashes(reader: hashes)))
                }
            }
            level += 1
        }
        var bundles: [(Tile, [UInt8])] = []
        if writesBundles, newSize > oldSize {
            let firstBundle = oldSize / Tile.width
            let all = try earlierEntries(firstBundle * Tile.width) + entries
            for b in firstBundle...((newSize - 1) / Tile.width) {
                let start = (b - firstBundle) * Tile.width
                let end = min(all.count, start + Tile.width)
                bundles.append((Tile(level: nil, index: b, width: end - start), try Tile.bundle(Array(all[start..<end]))))
            }
        }
        let checkpoint = Checkpoint(origin: origin, size: newSize, root: try MerkleTree.rootHash(size: newSize, reader: hashes))
        return LogUpdate(oldSize: oldSize, tiles: tiles, bundles: bundles, checkpoint: checkpoint)
    }

    /// Writes the update's tiles and bundles (without a checkpoint): for a log that signs only after
    /// the entries' transaction committed (``sign(_:signers:)`` then, in a transaction of its own).
    public func writeTiles(_ update: LogUpdate, storage: some TileStorage) throws {
        for (tile, data) in update.tiles {
            try storage.writeTile(tile, data: data)
            if !tile.isPartial { try storage.dropPartials(level: tile.level, index: tile.index) }
        }
        for (tile, data) in update.bundles {
            try storage.writeBundle(tile, data: data)
            if !tile.isPartial { try storage.dropPartials(level: nil, index: tile.index) }
        }
    }

    /// Signs `checkpoint` with ``signer``, or with every one of `signers` when given.
    public func sign(_ checkpoint: Checkpoint, signers: [Ed25519NoteSigner]? = nil) throws -> SignedNote {
        var note = try (signers?.first ?? signer).signNote(checkpoint.body)
        for other in (signers ?? []).dropFirst() { note.signatures += try other.signNote(checkpoint.body).signatures }
        return note
    }

    /// Signs the update's checkpoint (with ``signer``, or with every one of `signers` when given: a
    /// log moving to a new key signs with both during the transition) and writes tiles, bundles and
    /// checkpoint.
    public func commit(_ update: LogUpdate, storage: some TileStorage, signers: [Ed25519NoteSigner]? = nil) throws -> SignedNote {
        try writeTiles(update, storage: storage)
        let note = try sign(update.checkpoint, signers: signers)
        try storage.writeCheckpoint(size: update.checkpoint.size, note: note)
        return note
    }
}
