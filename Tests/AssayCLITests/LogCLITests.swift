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
        // The same key twice is ambiguous (as in Go's note library): refused, naming it.
        let keyID = vkey.split(separator: "+").prefix(2).joined(separator: "+")
        let twice = try run(["log", "verify-note", "--vkey", vkey, "--vkey", vkey], stdin: checkpoint)
        #expect(twice.status == 1 && twice.err.contains("ambiguous key \(keyID)"), "\(twice.err)")

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
        try cli.removeDatabase("l.sqlite")
        let v = try run(["log", "verify-proof", "k.proof", "--vkey", vkey])
        #expect(v.status == 0 && v.out.contains("register-site kisanfu"))
        let bundle = try String(contentsOfFile: cli.dir + "/k.proof", encoding: .utf8)
        let forged = try cli.write("f.proof", bundle.replacingOccurrences(of: "index 60", with: "index 59"))
        #expect(try run(["log", "verify-proof", forged, "--vkey", vkey]).status == 1)
        // An empty line among the proof hashes, first, in the middle or last: invalid, and said so.
        let hashCount = Self.proofHashCount(bundle)
        #expect(hashCount >= 2)
        for at in [0, 1, hashCount] {
            let path = try cli.write("e\(at).proof", Self.withEmptyProofLine(bundle, at: at))
            let r = try run(["log", "verify-proof", path, "--vkey", vkey])
            #expect(r.status == 1 && r.err.contains("empty line"), "at \(at): \(r.err)")
        }
        // The log's key given again as a witness key: ambiguous.
        let dup = try run(["log", "verify-proof", "k.proof", "--vkey", vkey, "--witness-vkey", vkey])
        #expect(dup.status == 1 && dup.err.contains("ambiguous key"), "\(dup.err)")
    }

    /// How many proof hash lines a tlog-proof bundle has (between its `index` line and the blank line).
    static func proofHashCount(_ bundle: String) -> Int {
        let lines = bundle.split(separator: "\n", omittingEmptySubsequences: false)
        let index = lines.firstIndex { $0.hasPrefix("index ") } ?? 0
        return (lines.firstIndex(of: "") ?? index + 1) - index - 1
    }

    /// The bundle with an empty line before its proof hash line `at` (0: before the first; the count: after the last).
    static func withEmptyProofLine(_ bundle: String, at: Int) -> String {
        var lines = bundle.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let index = lines.firstIndex { $0.hasPrefix("index ") } ?? 0
        lines.insert("", at: index + 1 + at)
        return lines.joined(separator: "\n")
    }

    /// Hex of the RFC 9162 values the proof tests use, from Python's hashlib: the leaves `e0`…`e6`, the
    /// root, the inclusion proof of leaf 2, the root of the first 3 leaves and the consistency proof 3 → 7,
    /// and a tree of 2^63 + 1 leaves (the hash standing for its first 2^63 leaves, the last leaf, the root).
    func reference() throws -> [String: String] {
        let script = """
        import hashlib
        H=lambda b: hashlib.sha256(b).digest()
        L=[H(b'\\x00'+('e%d'%i).encode()) for i in range(7)]
        N=lambda a,b: H(b'\\x01'+a+b)
        def split(n):
            k=1
            while k*2<n: k*=2
            return k
        def mth(d):
            if len(d)==0: return H(b'')
            if len(d)==1: return d[0]
            k=split(len(d)); return N(mth(d[:k]),mth(d[k:]))
        def path(m,d):
            if len(d)<=1: return []
            k=split(len(d))
            return path(m,d[:k])+[mth(d[k:])] if m<k else path(m-k,d[k:])+[mth(d[:k])]
        def sub(m,d,b):
            if m==len(d): return [] if b else [mth(d)]
            k=split(len(d))
            return sub(m,d[:k],b)+[mth(d[k:])] if m<=k else sub(m-k,d[k:],False)+[mth(d[:k])]
        left=H(b'\\x00'+b'the first 2^63 leaves'); last=H(b'\\x00'+b'last')
        out={'leaf0':L[0],'leaf2':L[2],'root':mth(L),'root3':mth(L[:3]),'empty':H(b'')}
        for k,v in out.items(): print(k, v.hex())
        print('path2', ','.join(x.hex() for x in path(2,L)))
        print('cons3', ','.join(x.hex() for x in sub(3,L,True)))
        print('left', left.hex()); print('last', last.hex()); print('root63', N(left,last).hex())
        """
        var out: [String: String] = [:]
        for line in try python(script).split(separator: "\n") {
            let kv = line.split(separator: " ")
            if kv.count == 2 { out[String(kv[0])] = String(kv[1]) }
        }
        return out
    }

    @Test func proofsWithAnEmptyOrWrongSizedElementAreInvalid() throws {
        let ref = try reference()
        let root = try #require(ref["root"]), leaf2 = try #require(ref["leaf2"]), leaf0 = try #require(ref["leaf0"])
        let path = try #require(ref["path2"]).split(separator: ",").map(String.init)
        #expect(path.count == 3)
        func inclusion(_ proof: String, leaf: String? = nil, index: String = "2", size: String = "7", root r: String? = nil) throws -> CLITests.Result {
            try run(["log", "verify-inclusion", "--leaf-hash", leaf ?? leaf2, "--index", index, "--size", size, "--root", r ?? root, "--proof", proof])
        }
        let ok = try inclusion(path.joined(separator: ","))
        #expect(ok.status == 0 && ok.out.hasPrefix("valid"), "\(ok.err)")
        let short = String(path[2].dropLast(2)), long = path[2] + "00"
        let variants = [",", ",," + path.joined(separator: ","), "," + path.joined(separator: ","), "\(path[0]),,\(path[1]),\(path[2])",
                        "\(path[0]),\(path[1]),,\(path[2])", path.joined(separator: ",") + ",", "\(path[0]), ,\(path[1]),\(path[2])",
                        "\(path[0]),\(path[1]),\(short)", "\(path[0]),\(path[1]),\(long)", "\(short),\(path[1]),\(path[2])"]
        for proof in variants {
            let r = try inclusion(proof)
            #expect(r.status == 1 && r.err.contains("invalid") && r.err.contains("--proof element"), "\(proof): \(r.err)")
        }
        // A one-entry tree: the empty proof is valid; a lone comma is not the empty proof.
        #expect(try inclusion("", leaf: leaf0, index: "0", size: "1", root: leaf0).status == 0)
        for proof in [",", ",,", " , "] {
            #expect(try inclusion(proof, leaf: leaf0, index: "0", size: "1", root: leaf0).status == 1, "\(proof)")
        }

        let root3 = try #require(ref["root3"]), empty = try #require(ref["empty"])
        let cons = try #require(ref["cons3"]).split(separator: ",").map(String.init)
        #expect(cons.count == 4)
        func consistency(_ proof: String, size1: String = "3", size2: String = "7", root1: String? = nil, root2: String? = nil) throws -> CLITests.Result {
            try run(["log", "verify-consistency", "--size1", size1, "--size2", size2, "--root1", root1 ?? root3, "--root2", root2 ?? root, "--proof", proof])
        }
        let c = try consistency(cons.joined(separator: ","))
        #expect(c.status == 0 && c.out.hasPrefix("valid"), "\(c.err)")
        for proof in [",", "," + cons.joined(separator: ","), cons.joined(separator: ",") + ",", "\(cons[0]),\(cons[1]),,\(cons[2]),\(cons[3])",
                      "\(cons[0]),\(cons[1]),\(cons[2]),\(cons[3].dropLast(2))"] {
            let r = try consistency(proof)
            #expect(r.status == 1 && r.err.contains("invalid"), "\(proof): \(r.err)")
        }
        // From size 0 and between equal sizes the proof is empty: a comma is not empty.
        #expect(try consistency("", size1: "0", root1: empty).status == 0)
        #expect(try consistency(",", size1: "0", root1: empty).status == 1)
        #expect(try consistency("", size1: "7", root1: root).status == 0)
        #expect(try consistency(",", size1: "7", root1: root).status == 1)
    }

    @Test func indexesAndSizesAreUnsigned64BitNumbers() throws {
        let ref = try reference()
        let root = try #require(ref["root"]), leaf2 = try #require(ref["leaf2"]), path = try #require(ref["path2"])
        let max = "18446744073709551615"
        for (index, size) in [(max, "7"), ("2", max), (max, max), ("18446744073709551614", max)] {
            let r = try run(["log", "verify-inclusion", "--leaf-hash", leaf2, "--index", index, "--size", size, "--root", root, "--proof", path])
            #expect(r.status == 1 && r.err.contains("invalid"), "\(index) \(size): \(r.err)")
        }
        for (s1, s2) in [("7", max), (max, "7"), ("18446744073709551614", max)] {
            let r = try run(["log", "verify-consistency", "--size1", s1, "--size2", s2, "--root1", root, "--root2", root, "--proof", path])
            #expect(r.status == 1 && r.err.contains("invalid"), "\(s1) \(s2): \(r.err)")
        }
        // Beyond Int.max, a proof still verifies: the last leaf of a tree of 2^63 + 1 leaves.
        let big = try run(["log", "verify-inclusion", "--leaf-hash", try #require(ref["last"]), "--index", "9223372036854775808",
                           "--size", "9223372036854775809", "--root", try #require(ref["root63"]), "--proof", try #require(ref["left"])])
        #expect(big.status == 0 && big.out.contains("leaf 9223372036854775808"), "\(big.err)")
        // Not a 64-bit number: the command line is wrong.
        #expect(try run(["log", "verify-inclusion", "--leaf-hash", leaf2, "--index", "18446744073709551616", "--size", "7", "--root", root]).status == 2)
    }

    @Test func treeHashReadsABlankLineAsTheEmptyEntry() throws {
        let script = """
        import hashlib
        H=lambda b: hashlib.sha256(b).digest()
        N=lambda a,b: H(b'\\x01'+a+b)
        def mth(d):
            if len(d)==0: return H(b'')
            if len(d)==1: return H(b'\\x00'+d[0])
            k=1
            while k*2<len(d): k*=2
            return N(mth(d[:k]),mth(d[k:]))
        for d in [[b'a',b'',b'b'], [b'a',b'',b'b',b''], [b''], [], [b'',b'']]: print(mth(d).hex())
        """
        let roots = try python(script).split(separator: "\n").map(String.init)
        #expect(roots.count == 5)
        func treeHash(_ stdin: String, data: Bool = true) throws -> CLITests.Result {
            try run(["log", "tree-hash"] + (data ? ["--data"] : []), stdin: stdin)
        }
        func root(_ stdin: String) throws -> String { try treeHash(stdin).out.trimmingCharacters(in: .whitespacesAndNewlines) }
        // "a", "" and "b": the final newline ends the last line; without it, the same entries.
        #expect(try root("61\n\n62\n") == roots[0])
        #expect(try root("61\n\n62") == roots[0])
        #expect(try root("61\r\n\r\n62\r\n") == roots[0])
        // A blank line after the last newline-terminated line is one more empty entry.
        #expect(try root("61\n\n62\n\n") == roots[1])
        #expect(try root("\n") == roots[2])
        #expect(try root("") == roots[3])
        #expect(try root("\n\n") == roots[4])
        // Leaf hashes: a blank line is no hash.
        let leaf = String(repeating: "ab", count: 32)
        let blank = try treeHash("\(leaf)\n\n\(leaf)\n", data: false)
        #expect(blank.status == 1 && blank.err.contains("line 2: empty"), "\(blank.err)")
        #expect(try treeHash("\(leaf)\n\(leaf)\n", data: false).status == 0)
    }

    @Test func verifyReportRefusesAnEmptyLineInABundle() throws {
        #expect(try cli.run(["demo", "--db", "r.sqlite"]).status == 0)
        let vkey = try run(["log", "vkey", "--db", "r.sqlite"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let report = try run(["report", "lot", "GOM-2024-B01", "--db", "r.sqlite"])
        #expect(report.status == 0, "\(report.err)")
        var json = try cli.json(report.out)
        var proofs = try #require(json["proofs"] as? [[String: Any]])
        let bundle = try #require(proofs.first?["bundle"] as? String)
        // The report as read and written again checks; with an empty line in one bundle's proof, it does not.
        func verify(_ value: [String: Any], _ name: String) throws -> CLITests.Result {
            let data = try JSONSerialization.data(withJSONObject: value)
            let path = try cli.write(name, String(decoding: data, as: UTF8.self))
            return try run(["log", "verify-report", path, "--vkey", vkey])
        }
        #expect(try verify(json, "same.json").status == 0)
        for at in [0, 1, Self.proofHashCount(bundle)] {
            proofs[0]["bundle"] = Self.withEmptyProofLine(bundle, at: at)
            json["proofs"] = proofs
            let r = try verify(json, "empty\(at).json")
            #expect(r.status == 1 && r.err.contains("empty line"), "at \(at): \(r.err)")
        }
    }

    @Test func verifyCatchesAnEditedEntry() throws {
        #expect(try cli.run(["demo", "--db", "v.sqlite"]).status == 0)
        #expect(try run(["verify", "--db", "v.sqlite"]).status == 0)
        try cli.tamper("v.sqlite",
                       sqlite: "UPDATE journal SET bytes=CAST(REPLACE(CAST(bytes AS TEXT),'Kisanfu (KFM)','Kisanfu (XYZ)') AS BLOB) WHERE subject='kisanfu'",
                       postgres: "UPDATE journal SET bytes = convert_to(replace(convert_from(bytes, 'UTF8'), 'Kisanfu (KFM)', 'Kisanfu (XYZ)'), 'UTF8') WHERE subject = 'kisanfu'")
        let r = try run(["verify", "--db", "v.sqlite"])
        #expect(r.status == 1 && r.err.contains("entry 61"), "\(r.err)")
    }
}
