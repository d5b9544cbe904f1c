import Foundation
import GRDB
import TransparencyLog

/// Keeps the log's tiles, bundles and checkpoints in the same SQLite database (and transaction) as the
/// journal, so entries, tiles and checkpoint can never disagree after a crash.
struct SQLiteTileStorage: TileStorage {
    let db: Database

    func writeTile(_ tile: Tile, data: [UInt8]) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO log_tile(level, idx, width, data) VALUES (?, ?, ?, ?)")
            .execute(arguments: [tile.level ?? -1, tile.index, tile.width, Data(data)])
    }

    func writeBundle(_ tile: Tile, data: [UInt8]) throws {
        try writeTile(tile, data: data)
    }

    func dropPartials(level: Int?, index: Int) throws {
        try db.cachedStatement(sql: "DELETE FROM log_tile WHERE level = ? AND idx = ? AND width < ?")
            .execute(arguments: [level ?? -1, index, Tile.width])
    }

    func writeCheckpoint(size: Int, note: SignedNote) throws {
        try db.cachedStatement(sql: "INSERT OR REPLACE INTO log_checkpoint(size, note) VALUES (?, ?)")
            .execute(arguments: [size, note.serialized])
    }

    /// The stored bytes of a tile, if any.
    static func read(_ db: Database, _ tile: Tile) throws -> [UInt8]? {
        try Data.fetchOne(db.cachedStatement(sql: "SELECT data FROM log_tile WHERE level = ? AND idx = ? AND width = ?"),
                          arguments: [tile.level ?? -1, tile.index, tile.width]).map { [UInt8]($0) }
    }

    /// The leaf hashes the level-0 tiles hold, in order (the widest tile at each index).
    static func leafHashes(_ db: Database) throws -> [TreeHash] {
        var out: [TreeHash] = []
        var lastIndex = -1
        let rows = try Row.fetchCursor(db, sql: "SELECT idx, width, data FROM log_tile WHERE level = 0 ORDER BY idx, width DESC")
        while let row = try rows.next() {
            let idx: Int = row[0]
            if idx == lastIndex { continue }
            guard idx == lastIndex + 1 else { throw StoreCorruption(table: "log_tile", key: "0/\(idx)", reason: "tile 0/\(lastIndex + 1) is missing") }
            let data: Data = row[2]
            let width: Int = row[1]
            guard data.count == width * 32 else { throw StoreCorruption(table: "log_tile", key: "0/\(idx)", reason: "wrong length") }
            let bytes = [UInt8](data)
            for i in 0..<width {
                guard let h = TreeHash(bytes: bytes[(i * 32)..<(i * 32 + 32)]) else { continue }
                out.append(h)
            }
            lastIndex = idx
        }
        return out
    }
}
