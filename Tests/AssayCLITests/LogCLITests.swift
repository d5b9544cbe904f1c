import Foundation
import Testing

/// The log's command-line tools, run as an auditor would: offline, from arguments and stdin.
@Suite("The log's command-line tools", .serialized)
struct LogCLITests {
    let cli = CLITests()

    func run(_ args: [String], stdin: String? = nil) throws -> CLITests.Result { try cli.run(args, stdin: stdin) }

    /// SHA-256 through Python's hashlib: an implementation independent of the project's.
    func python(_ code: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", code]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return String(decoding: o, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func treeHashAndInclusionAgreeWithAnIndependentImplementation() throws {
        let script = """
        import hashlib
        L=[hashlib.sha256(b'\\x00'+('e%d'%i).encode()).digest() for i in range(7)]
        N=lambda a,b: hashlib.sha256(b'\\x01'+a+b).digest()
        def mth(d):
            if len(d)==1: return d[0]
            k=1
            while k*2<len(d): k*=2
            return N(mth(d[:k]),mth(d[k:]))
        print(' '.join(x.hex() for x in L)); print(mth(L).hex())
        print(','.join([L[3].hex(), N(L[0],L[1]).hex(), N(N(L[4],L[5]),L[6]).hex()]))
        """
        let lines = try python(script).split(separator: "\n").map(String.init)
        let leaves = lines[0].split(separator: " ").map(String.init)
        let root = lines[1]
        let r = try run(["log", "tree-hash"], stdin: leaves.joined(separator: "\n") + "\n")
        #expect(r.status == 0 && r.out.trimmingCharacters(in: .whitespacesAndNewlines) == root, "\(r.err)")
        let data = try run(["log", "tree-hash", "--data"], stdin: (0..<7).map { "e\($0)".utf8.map { String(format: "%02x", $0) }.joined() }.joined(separator: "\n"))
        #expect(data.out.trimmingCharacters(in: .whitespacesAndNewlines) == root)

        let ok = try run(["log", "verify-inclusion", "--leaf-hash", leaves[2], "--index", "2", "--size", "7", "--root", root, "--proof", lines[2]])
        #expect(ok.status == 0 && ok.out.hasPrefix("valid"))
        let wrongIndex = try run(["log", "verify-inclusion", "--leaf-hash", leaves[2], "--index", "3", "--size", "7", "--root", root, "--proof", lines[2]])
        #expect(wrongIndex.status == 1 && wrongIndex.err.contains("invalid"))
        let bad = try run(["log", "verify-inclusion", "--leaf-hash", "zz", "--index", "2", "--size", "7", "--root", root])
        #expect(bad.status == 1 && bad.err.contains("--leaf-hash"))
        #expect(try run(["log", "verify-inclusion", "--index", "2"]).status == 2)
    }

    @Test func consistencyNotesProofsAndWitnessesEndToEnd() throws {
        #expect(try cli.run(["demo", "--db", "l.sqlite"]).status == 0)
        let vkey = try run(["log", "vkey", "--db", "l.sqlite"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(vkey.hasPrefix("assay.local/registry+"))
        let keyMode = try FileManager.default.attributesOfItem(atPath: cli.dir + "/l.sqlite.key")[.posixPermissions] as? Int
        #expect(keyMode == 0o600)
        let checkpoint = try run(["log", "checkpoint", "--db", "l.sqlite"]).out
        #expect(try run(["log", "verify-note", "--vkey", vkey], stdin: checkpoint).status == 0)
        // The demo's size, read from its checkpoint (origin, size, root hash).
        let size = try #require(Int(checkpoint.split(separator: "\n")[1]))
        let tampered = checkpoint.replacingOccurrences(of: "\n\(size)\n", with: "\n\(size + 1)\n")
        let t = try run(["log", "verify-note", "--vkey", vkey], stdin: tampered)
        #expect(t.status == 1 && t.err.contains("does not verify"))
        let stranger = try run(["log", "verify-note", "--vkey", "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"], stdin: checkpoint)
        #expect(stranger.status == 1 && stranger.err.contains("no signature by a given key"))

        // Grow the log, then prove consistency between the two checkpoints.
        let party = try cli.write("p.ndjson", #"{"type":"register-party","id":"zw","name":"Zimbabwe","kind":"state","country":"ZW"}"#)
        #expect(try cli.run(["import", party, "--db", "l.sqlite"]).status == 0)
        let request = try run(["log", "witness-request", "--db", "l.sqlite", "--old", String(size)]).out
        let lines = request.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let proofB64 = lines.dropFirst().prefix { !$0.isEmpty }
        let proofHex = proofB64.map { Data(base64Encoded: $0)!.map { String(format: "%02x", $0) }.joined() }.joined(separator: ",")
        func rootHex(_ note: String) -> String {
            Data(base64Encoded: String(note.split(separator: "\n")[2]))!.map { String(format: "%02x", $0) }.joined()
        }
        let newCheckpoint = try run(["log", "checkpoint", "--db", "l.sqlite"]).out
        let c = try run(["log", "verify-consistency", "--size1", String(size), "--size2", String(size + 1), "--root1", rootHex(checkpoint), "--root2", rootHex(newCheckpoint), "--proof", proofHex])
        #expect(c.status == 0, "\(c.err)")
        let c2 = try run(["log", "verify-consistency", "--size1", String(size - 1), "--size2", String(size + 1), "--root1", rootHex(checkpoint), "--root2", rootHex(newCheckpoint), "--proof", proofHex])
        #expect(c2.status == 1)

        // Offline proof bundle, checked without the database.
        #expect(try run(["proof", "kisanfu", "--db", "l.sqlite", "-o", "k.proof"]).status == 0)
        try FileManager.default.removeItem(atPath: cli.dir + "/l.sqlite")
        let v = try run(["log", "verify-proof", "k.proof", "--vkey", vkey])
        #expect(v.status == 0 && v.out.contains("register-site kisanfu"))
        let bundle = try String(contentsOfFile: cli.dir + "/k.proof", encoding: .utf8)
        let forged = try cli.write("f.proof", bundle.replacingOccurrences(of: "index 60", with: "index 59"))
        #expect(try run(["log", "verify-proof", forged, "--vkey", vkey]).status == 1)
    }

    @Test func verifyCatchesAnEditedEntry() throws {
        #expect(try cli.run(["demo", "--db", "v.sqlite"]).status == 0)
        #expect(try run(["verify", "--db", "v.sqlite"]).status == 0)
        _ = try python("import sqlite3; c=sqlite3.connect('\(cli.dir)/v.sqlite'); c.execute(\"UPDATE journal SET bytes=CAST(REPLACE(CAST(bytes AS TEXT),'Kisanfu (KFM)','Kisanfu (XYZ)') AS BLOB) WHERE subject='kisanfu'\"); c.commit()")
        let r = try run(["verify", "--db", "v.sqlite"])
        #expect(r.status == 1 && r.err.contains("entry 61"), "\(r.err)")
    }
}
