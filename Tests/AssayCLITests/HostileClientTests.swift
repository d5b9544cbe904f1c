import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// A live `assay serve` against hostile clients: a client trickling its request a byte at a time is cut
/// off and slows no one; writes over the rate limit get 429 with `Retry-After`; every page carries the
/// security headers; an expired token is refused and `token list` shows when tokens were last used.
@Suite("Hostile clients against a live server", .serialized)
struct HostileClientTests {
    let cli = CLITests.sqliteOnly()

    /// Starts the server with `extra` options; returns it and its port once /healthz answers.
    func serve(_ db: String, _ extra: [String]) throws -> (Process, Int) {
        let port = 19_000 + Int(getpid() % 500) + Int.random(in: 0..<400)
        let server = Process()
        server.executableURL = URL(fileURLWithPath: CLITests.binary)
        server.arguments = ["serve", "--db", db, "--port", String(port)] + extra
        server.currentDirectoryURL = URL(fileURLWithPath: cli.dir)
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        try server.run()
        for _ in 0..<300 {
            if (try? curl(["-sf", "http://127.0.0.1:\(port)/healthz"]))?.status == 0 { return (server, port) }
            usleep(100_000)
        }
        server.terminate()
        throw CLIError("the server did not start on port \(port)")
    }

    struct CLIError: Error, CustomStringConvertible {
        var description: String
        init(_ d: String) { description = d }
    }

    /// curl, returning its exit status and output (`-i` output includes headers).
    func curl(_ args: [String]) throws -> CLITests.Result {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        p.arguments = ["--max-time", "10"] + args
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile(), e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return CLITests.Result(status: p.terminationStatus, out: String(decoding: o, as: UTF8.self), err: String(decoding: e, as: UTF8.self))
    }

    /// A TCP connection to 127.0.0.1:`port` (raw, for sending a request slowly).
    func connect(_ port: Int) throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { close(fd); throw CLIError("cannot connect to port \(port)") }
        return fd
    }

    @Test func aTricklingClientIsCutOffAndSlowsNoOne() throws {
        #expect(try cli.run(["demo", "--db", "h.sqlite"]).status == 0)
        let (server, port) = try serve("h.sqlite", ["--request-timeout", "2"])
        defer { server.terminate(); server.waitUntilExit() }
        // Ten clients trickle a request one byte every 200 ms (they would need 8 s to finish its head).
        let slow = try (0..<10).map { _ in try connect(port) }
        defer { for fd in slow { close(fd) } }
        let request = Array("GET /api/v1/agreements HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: 1\r\n\r\n".utf8)
        let start = Date()
        var closedAfter: [Int32: Double] = [:]
        var fastLatencies: [Double] = []
        var i = 0
        while Date().timeIntervalSince(start) < 5, closedAfter.count < slow.count {
            for fd in slow where closedAfter[fd] == nil {
                var byte = request[min(i, request.count - 1)]
                // MSG_NOSIGNAL: a write to a connection the server closed fails instead of killing the test.
                if send(fd, &byte, 1, Int32(MSG_NOSIGNAL)) < 0 { closedAfter[fd] = Date().timeIntervalSince(start); continue }
                var buf = [UInt8](repeating: 0, count: 1)
                if recv(fd, &buf, 1, Int32(MSG_DONTWAIT)) == 0 { closedAfter[fd] = Date().timeIntervalSince(start) }
            }
            i += 1
            // Meanwhile an ordinary client is served at once.
            let t = Date()
            let r = try curl(["-sf", "-o", "/dev/null", "http://127.0.0.1:\(port)/api/v1/agreements?limit=5"])
            #expect(r.status == 0)
            fastLatencies.append(Date().timeIntervalSince(t))
            usleep(200_000)
        }
        #expect(closedAfter.count == slow.count, "every trickling connection is closed by the server")
        for (_, after) in closedAfter { #expect(after >= 1.5 && after < 4.5, "closed after \(after) s (timeout 2 s)") }
        #expect(!fastLatencies.isEmpty)
        #expect((fastLatencies.max() ?? 9) < 1.0, "ordinary requests while trickling clients are connected: \(fastLatencies)")
    }

    @Test func writesOverTheLimitGet429AndPagesCarrySecurityHeaders() throws {
        #expect(try cli.run(["demo", "--db", "r.sqlite"]).status == 0)
        let token = try cli.run(["token", "create", "--role", "registrar", "--db", "r.sqlite"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("assay_"))
        let (server, port) = try serve("r.sqlite", ["--write-rate", "2", "--address-write-rate", "1000"])
        defer { server.terminate(); server.waitUntilExit() }
        var statuses: [Int] = []
        var retryAfter: String?
        for n in 0..<14 {
            let r = try curl(["-s", "-i", "-X", "POST", "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
                              "--data", #"{"id":"rate-\#(n)","name":"Rate \#(n)","kind":"company","country":"CD"}"#,
                              "http://127.0.0.1:\(port)/api/v1/parties"])
            let status = Int(r.out.split(separator: " ").dropFirst().first ?? "") ?? 0
            statuses.append(status)
            if status == 429, retryAfter == nil {
                retryAfter = r.out.split(separator: "\r\n").first { $0.lowercased().hasPrefix("retry-after:") }.map(String.init)
                #expect(r.out.contains("application/problem+json") && r.out.contains("rate-limited"))
            }
        }
        // A burst of 4 × 2 = 8 goes through; the rest of the 14 sent at once are refused.
        #expect(statuses.prefix(8).allSatisfy { $0 == 201 }, "\(statuses)")
        #expect(statuses.contains(429), "\(statuses)")
        let seconds = Int(retryAfter?.split(separator: ":").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
        #expect(seconds >= 1, "Retry-After: \(retryAfter ?? "missing")")
        // Reads are not limited.
        for _ in 0..<20 { #expect(try curl(["-sf", "-o", "/dev/null", "http://127.0.0.1:\(port)/api/v1/parties?limit=1"]).status == 0) }

        for path in ["/", "/agreements", "/map", "/log", "/lots", "/search?q=cobalt"] {
            let headers = try curl(["-s", "-D", "-", "-o", "/dev/null", "http://127.0.0.1:\(port)\(path)"]).out.lowercased()
            let csp = headers.split(separator: "\r\n").first { $0.hasPrefix("content-security-policy:") }.map(String.init) ?? ""
            #expect(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"), "\(path): \(csp)")
            let scriptSrc = csp.split(separator: ";").first { $0.contains("script-src") } ?? ""
            #expect(!scriptSrc.contains("unsafe-inline"), "\(path): \(csp)")
            #expect(headers.contains("x-content-type-options: nosniff") && headers.contains("referrer-policy: no-referrer"), "\(path)")
        }
        let api = try curl(["-s", "-D", "-", "-o", "/dev/null", "http://127.0.0.1:\(port)/api/v1/agreements"]).out.lowercased()
        #expect(api.contains("x-content-type-options: nosniff"))
    }

    @Test func expiredTokensAreRefusedAndTokenListShowsLastUse() throws {
        #expect(try cli.run(["init", "--db", "t.sqlite"]).status == 0)
        let token = try cli.run(["token", "create", "--role", "auditor", "--expires", "30d", "--db", "t.sqlite"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(token.hasPrefix("assay_"))
        let past = try cli.run(["token", "create", "--role", "auditor", "--expires", "2020-01-01T00:00:00Z", "--db", "t.sqlite"])
        #expect(past.status == 1 && past.err.contains("--expires"))
        let bad = try cli.run(["token", "create", "--role", "auditor", "--expires", "soon", "--db", "t.sqlite"])
        #expect(bad.status == 1 && bad.err.contains("--expires"))
        let before = try #require(try JSONSerialization.jsonObject(with: Data(try cli.run(["token", "list", "--json", "--db", "t.sqlite"]).out.utf8)) as? [[String: Any]])
        #expect(before.count == 1 && before[0]["expires"] is String && before[0]["lastUsed"] == nil)
        let (server, port) = try serve("t.sqlite", [])
        defer { server.terminate(); server.waitUntilExit() }
        #expect(try curl(["-sf", "-o", "/dev/null", "-H", "Authorization: Bearer \(token)", "http://127.0.0.1:\(port)/api/v1/parties"]).status == 0)
        var lastUsed: String?
        for _ in 0..<50 where lastUsed == nil {
            usleep(100_000)
            let list = try JSONSerialization.jsonObject(with: Data(try cli.run(["token", "list", "--json", "--db", "t.sqlite"]).out.utf8)) as? [[String: Any]]
            lastUsed = list?.first?["lastUsed"] as? String
        }
        #expect(lastUsed?.hasPrefix("20") == true)
        let table = try cli.run(["token", "list", "--db", "t.sqlite"]).out
        #expect(table.contains("last used") && table.contains(lastUsed ?? "?"))
    }
}

@Suite("Connection cap against a live server", .serialized)
struct ConnectionCapTests {
    @Test func connectionsOverTheCapWaitUntilOneCloses() throws {
        let hostile = HostileClientTests()
        #expect(try hostile.cli.run(["init", "--db", "c.sqlite"]).status == 0)
        let (server, port) = try hostile.serve("c.sqlite", ["--max-connections", "2", "--request-timeout", "20"])
        defer { server.terminate(); server.waitUntilExit() }
        // Two idle connections take both places.
        let a = try hostile.connect(port), b = try hostile.connect(port)
        usleep(300_000)
        let blocked = try hostile.curl(["-s", "-o", "/dev/null", "--max-time", "1", "http://127.0.0.1:\(port)/healthz"])
        #expect(blocked.status != 0, "a third connection was served while two were open")
        close(a)
        usleep(300_000)
        let served = try hostile.curl(["-sf", "-o", "/dev/null", "--max-time", "5", "http://127.0.0.1:\(port)/healthz"])
        #expect(served.status == 0, "after one closed, the next connection was still not served")
        close(b)
    }
}
