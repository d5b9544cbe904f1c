import Foundation
import Testing

/// `assay backup` and `assay restore` on the built binary, as an operator runs them.
@Suite("Backups on the command line", .serialized)
struct BackupCLITests {
    let cli = CLITests.sqliteOnly()

    func run(_ args: [String]) throws -> CLITests.Result { try cli.run(args) }

    @Test func backupRestoreVerifyAndRefusals() throws {
        let demo = try run(["demo", "--db", "d.sqlite"])
        #expect(demo.status == 0, "\(demo.err)")

        let backup = try run(["backup", "--db", "d.sqlite", "--to", "d.backup", "--json"])
        #expect(backup.status == 0, "\(backup.err)")
        let copied = try cli.json(backup.out)
        let size = try #require(copied["size"] as? Int)
        let root = try #require(copied["root"] as? String)
        #expect(size > 700 && copied["entries"] as? Int == size && root.count == 64)
        let text = try run(["backup", "--db", "d.sqlite", "--to", "d2.backup"])
        #expect(text.status == 0 && text.out.contains("backed up \(size) entries") && text.out.contains(root), "\(text.err)")

        // Never over an existing file.
        let again = try run(["backup", "--db", "d.sqlite", "--to", "d.backup"])
        #expect(again.status == 1 && again.err.contains("d.backup: a file is already there"), "\(again.err)")

        // Restored to a new path, opened with the same signing key file: it verifies and shows the same checkpoint.
        let restore = try run(["restore", "d.backup", "--db", "d.sqlite", "--to", "r.sqlite"])
        #expect(restore.status == 0, "\(restore.err)")
        #expect(restore.out.contains("verified, \(size) entries") && restore.out.contains(root) && restore.out.contains("--key d.sqlite.key"))
        let verify = try run(["verify", "--db", "r.sqlite", "--key", "d.sqlite.key"])
        #expect(verify.status == 0 && verify.out.hasPrefix("valid: \(size) entries hash to the signed root \(root)"), "\(verify.err)")
        let live = try run(["log", "checkpoint", "--db", "d.sqlite"])
        let restored = try run(["log", "checkpoint", "--db", "r.sqlite", "--key", "d.sqlite.key"])
        #expect(live.status == 0 && !live.out.isEmpty && restored.out == live.out)

        // An existing database is replaced only with --force.
        let over = try run(["restore", "d.backup", "--db", "d.sqlite", "--to", "r.sqlite"])
        #expect(over.status == 1 && over.err.contains("--force"), "\(over.err)")
        #expect(try run(["restore", "d.backup", "--db", "d.sqlite", "--to", "r.sqlite", "--force"]).status == 0)

        // One name changed inside the file's pages (the journal's copy and the projections'): refused, nothing written.
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: cli.dir + "/d.backup")))
        let needle = Array("Mpama North".utf8)
        var flipped = 0
        for i in 0...(bytes.count - needle.count) where bytes[i] == needle[0] && bytes[i..<(i + needle.count)].elementsEqual(needle) {
            bytes[i + 7] = UInt8(ascii: "S")
            flipped += 1
        }
        #expect(flipped >= 1)
        try Data(bytes).write(to: URL(fileURLWithPath: cli.dir + "/t.backup"))
        let tampered = try run(["restore", "t.backup", "--db", "d.sqlite", "--to", "t.sqlite"])
        #expect(tampered.status == 1 && tampered.err.contains("t.backup does not verify, refused: entry 66: its bytes no longer hash"), "\(tampered.err)")
        #expect(!FileManager.default.fileExists(atPath: cli.dir + "/t.sqlite"))

        // A published checkpoint the backup does not reach: restoring it would fork the log.
        try live.out.write(toFile: cli.dir + "/cp-old.txt", atomically: true, encoding: .utf8)
        try #"{"type":"register-party","id":"after-backup","name":"After","kind":"company"}"#.write(toFile: cli.dir + "/p.ndjson", atomically: true, encoding: .utf8)
        #expect(try run(["import", "p.ndjson", "--db", "d.sqlite"]).status == 0)
        try run(["log", "checkpoint", "--db", "d.sqlite"]).out.write(toFile: cli.dir + "/cp-new.txt", atomically: true, encoding: .utf8)
        let behind = try run(["restore", "d.backup", "--db", "d.sqlite", "--to", "e.sqlite", "--expect-checkpoint", "cp-new.txt"])
        #expect(behind.status == 1 && behind.err.contains("already published a checkpoint at size \(size + 1)"), "\(behind.err)")
        let reaches = try run(["restore", "d.backup", "--db", "d.sqlite", "--to", "e.sqlite", "--expect-checkpoint", "cp-old.txt", "--json"])
        #expect(reaches.status == 0, "\(reaches.err)")
        #expect(try cli.json(reaches.out)["size"] as? Int == size)
    }
}
