import Foundation
import Synchronization
import Testing

/// The SIGKILL test would pass with `synchronous = OFF`: a killed process loses nothing the kernel
/// already has. This one traces the server's system calls (strace, Debian) under concurrent writes and
/// checks that every acknowledged append (an `HTTP/1.1 201` written to a socket) comes after an
/// fsync/fdatasync of the WAL that follows the last WAL write before it — so the bytes were on disk
/// before the client was told they were.
@Suite("Acknowledged only after the WAL is synced", .serialized)
struct DurabilityTraceTests {
    let cli = CLITests.sqliteOnly()

    /// One traced system call, at its completion time.
    struct Call {
        var time: Double
        var name: String
        /// The path (or socket description) strace printed for its descriptor.
        var target: String
        var line: String
    }

    /// Parses `strace -f -ttt -y` output, joining `<unfinished ...>` with `<... resumed>` lines per pid.
    static func parse(_ text: String) -> [Call] {
        var pending: [String: (name: String, target: String, line: String)] = [:]
        var calls: [Call] = []
        for raw in text.split(separator: "\n") {
            let line = String(raw)
            let parts = line.split(separator: " ", maxSplits: 2)
            guard parts.count == 3, let time = Double(parts[1]) else { continue }
            let pid = String(parts[0]), rest = String(parts[2])
            if rest.hasPrefix("<... ") {
                // `<... fdatasync resumed>) = 0`
                guard let p = pending.removeValue(forKey: pid) else { continue }
                calls.append(Call(time: time, name: p.name, target: p.target, line: p.line + rest))
                continue
            }
            guard let paren = rest.firstIndex(of: "(") else { continue }
            let name = String(rest[..<paren])
            var target = ""
            if let lt = rest.firstIndex(of: "<"), let gt = rest[lt...].firstIndex(of: ">") { target = String(rest[rest.index(after: lt)..<gt]) }
            if rest.hasSuffix("<unfinished ...>") {
                pending[pid] = (name, target, rest)
            } else {
                calls.append(Call(time: time, name: name, target: target, line: rest))
            }
        }
        return calls.sorted { $0.time < $1.time }
    }

    @Test func everyAcknowledgedAppendFollowsASyncOfTheWAL() throws {
        #expect(FileManager.default.isExecutableFile(atPath: "/usr/bin/strace"), "scripts/install-deps installs strace")
        #expect(try cli.run(["init", "--db", "s.sqlite"]).status == 0)
        let token = try cli.run(["token", "create", "--role", "registrar", "--db", "s.sqlite"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let port = 19_600 + Int(getpid() % 300)
        let trace = cli.dir + "/trace.txt"
        let strace = Process()
        strace.executableURL = URL(fileURLWithPath: "/usr/bin/strace")
        strace.arguments = ["-f", "-ttt", "-y", "-s", "24", "-o", trace,
                            "-e", "trace=write,writev,sendmsg,sendto,pwrite64,pwritev,fsync,fdatasync",
                            CLITests.binary, "serve", "--db", "s.sqlite", "--port", String(port), "--write-rate", "0", "--address-write-rate", "0"]
        strace.currentDirectoryURL = URL(fileURLWithPath: cli.dir)
        strace.standardOutput = FileHandle.nullDevice
        strace.standardError = FileHandle.nullDevice
        try strace.run()
        let hostile = HostileClientTests()
        var up = false
        for _ in 0..<300 where !up {
            up = (try? hostile.curl(["-sf", "http://127.0.0.1:\(port)/healthz"]))?.status == 0
            if !up { usleep(100_000) }
        }
        #expect(up, "the traced server did not start")
        // A first authenticated read writes the token's last use (once a minute): let it land first, so
        // the only WAL transactions below are the appends.
        _ = try hostile.curl(["-sf", "-o", "/dev/null", "-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(port)/api/v1/parties"])
        usleep(500_000)
        // Appends one after another: each request is sent after the previous answer, so the transaction
        // that commits append i writes its frames between answer i-1 and answer i.
        var acknowledged = 0
        for i in 0..<30 {
            let r = try hostile.curl(["-s", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST",
                                      "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
                                      "--data", #"{"id":"sync-\#(i)","name":"Sync","kind":"company","country":"CD"}"#,
                                      "http://127.0.0.1:\(port)/api/v1/parties"])
            if r.out == "201" { acknowledged += 1 }
        }
        #expect(acknowledged == 30)
        // Stop the server (strace's child): strace then exits and the trace is complete.
        let children = (try? String(contentsOfFile: "/proc/\(strace.processIdentifier)/task/\(strace.processIdentifier)/children", encoding: .utf8)) ?? ""
        for pid in children.split(separator: " ").compactMap({ Int32($0) }) { kill(pid, SIGTERM) }
        strace.waitUntilExit()

        let calls = Self.parse(try String(contentsOfFile: trace, encoding: .utf8))
        let wal = { (c: Call) in c.target.hasSuffix(".sqlite-wal") }
        // A WAL frame header is 24 bytes; bytes 4–7 are non-zero only in a transaction's commit frame.
        let commits = calls.filter { ($0.name == "pwrite64") && wal($0) && $0.line.contains(", 24, ") && Self.isCommitFrame($0.line) }
        let syncs = calls.filter { ($0.name == "fsync" || $0.name == "fdatasync") && wal($0) && $0.line.hasSuffix("= 0") }
        let responses = calls.filter { ["write", "writev", "sendmsg", "sendto"].contains($0.name) && $0.line.contains("HTTP/1.1 201") }
        #expect(commits.count >= 30 && syncs.count >= 30, "the trace shows \(commits.count) WAL commit frames and \(syncs.count) WAL syncs")
        #expect(responses.count == 30, "201 responses seen in the trace: \(responses.count)")
        var previous = 0.0
        for r in responses {
            let own = commits.last { $0.time < r.time }
            #expect((own?.time ?? 0) > previous, "no commit frame between the answers at \(previous) and \(r.time)")
            let synced = syncs.contains { $0.time > (own?.time ?? .infinity) && $0.time < r.time }
            #expect(synced, "the 201 at \(r.time) was sent before the WAL holding its commit frame (\(own?.time ?? 0)) was synced")
            previous = r.time
        }
    }

    /// Whether a traced 24-byte `pwrite64` of a WAL frame header has a non-zero "database size after
    /// commit" (bytes 4–7): strace prints the bytes C-escaped (`\0`, `\27`, `\n`, printable as is).
    static func isCommitFrame(_ line: String) -> Bool {
        guard let open = line.firstIndex(of: "\"") else { return false }
        var bytes: [UInt8] = []
        var i = line.index(after: open)
        while i < line.endIndex, bytes.count < 8 {
            let c = line[i]
            if c == "\"" { break }
            if c == "\\" {
                i = line.index(after: i)
                guard i < line.endIndex else { break }
                let e = line[i]
                switch e {
                case "n": bytes.append(10)
                case "t": bytes.append(9)
                case "r": bytes.append(13)
                case "v": bytes.append(11)
                case "f": bytes.append(12)
                case "\\": bytes.append(92)
                case "\"": bytes.append(34)
                default:
                    // Up to three octal digits.
                    var digits = ""
                    var j = i
                    while j < line.endIndex, digits.count < 3, let d = line[j].wholeNumberValue, d < 8 { digits.append(line[j]); j = line.index(after: j) }
                    bytes.append(UInt8(Int(digits, radix: 8) ?? 0))
                    i = line.index(before: j)
                }
            } else {
                bytes.append(c.asciiValue ?? 0)
            }
            i = line.index(after: i)
        }
        return bytes.count == 8 && bytes[4..<8].contains { $0 != 0 }
    }
}

/// A counter shared by the concurrent clients above.
final class LockedCount: Sendable {
    private let n = Mutex(0)
    func add() { n.withLock { $0 += 1 } }
    var value: Int { n.withLock { $0 } }
}
