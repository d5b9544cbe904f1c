import Foundation
import TransparencyLog

/// Keeps the log's tiles, bundles and checkpoints in the same database (and transaction) as the
/// journal, so entries, tiles and checkpoint can never disagree after a crash.
struct SQLTileStorage: TileStorage {
    let db: any SQLConnection

    func writeTile(_ tile: Tile, data: [UInt8]) throws {
        try db.execute("""
            INSERT INTO log_tile(level, idx, width, data) VALUES (?, ?, ?, ?)
            ON CONFLICT (level, idx, width) DO UPDATE SET data = excluded.data
            """, [tile.level ?? -1, tile.index, tile.width, data])
    }

    func writeBundle(_ tile: Tile, data: [UInt8]) throws {
        try writeTile(tile, data: data)
    }

    func dropPartials(level: Int?, index: Int) throws {
        try db.execute("DELETE FROM log_tile WHERE level = ? AND idx = ? AND width < ?", [level ?? -1, index, Tile.width])
    }

    func writeCheckpoint(size: Int, note: SignedNote) throws {
        try db.execute("INSERT INTO log_checkpoint(size, note) VALUES (?, ?) ON CONFLICT (size) DO UPDATE SET note = excluded.note",
                       [size, note.serialized])
    }

    /// The stored bytes of a tile, if any.
    static func read(_ db: any SQLConnection, _ tile: Tile) throws -> [UInt8]? {
        try db.value([UInt8].self, "SELECT data FROM log_tile WHERE level = ? AND idx = ? AND width = ?",
                     [tile.level ?? -1, tile.index, tile.width])
    }

    /// The leaf hashes the level-0 tiles hold, in order (the widest tile at each index).
    static func leafHashes(_ db: any SQLConnection) throws -> [TreeHash] {
        var out: [TreeHash] = []
        var lastIndex = -1
        for row in try db.rows("SELECT idx, width, data FROM log_tile WHERE level = 0 ORDER BY idx, width DESC") {
            let idx: Int = try row[0]
            if idx == lastIndex { continue }
            guard idx == lastIndex + 1 else { throw StoreCorruption(table: "log_tile", key: "0/\(idx)", reason: "tile 0/\(lastIndex + 1) is missing") }
            let bytes: [UInt8] = try row[2]
            let width: Int = try row[1]
            guard bytes.count == width * 32 else { throw StoreCorruption(table: "log_tile", key: "0/\(idx)", reason: "wrong length") }
            for i in 0..<width {
                guard let h = TreeHash(bytes: bytes[(i * 32)..<(i * 32 + 32)]) else { continue }
                out.append(h)
            }
            lastIndex = idx
        }
        return out
    }
}
