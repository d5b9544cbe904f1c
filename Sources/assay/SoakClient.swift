import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A minimal blocking HTTP/1.1 client on one keep-alive TCP connection to 127.0.0.1, for the soak
/// benchmark: Foundation's URLSession on Linux queued hundreds of concurrent requests behind a few
/// connections and timed them out, which measured the client, not the server. Reconnects when the
/// server closes the connection. Reads `Content-Length` and chunked bodies.
struct SoakClient {
    let port: Int
    private var fd: Int32 = -1
    private var receiveTimeout = 0

    init(port: Int) { self.port = port }

    mutating func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    private mutating func connect() -> Bool {
        close()
        let s = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard s >= 0 else { return false }
        var one: Int32 = 1
        setsockopt(s, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
        if receiveTimeout > 0 {
            var tv = timeval(tv_sec: receiveTimeout, tv_usec: 0)
            setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(s, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { Glibc.close(s); return false }
        fd = s
        return true
    }

    /// GET `path`: status and body.
    mutating func get(_ path: String) -> (Int, [UInt8]) {
        let (status, body, _) = send(method: "GET", path: path, token: nil, body: nil)
        return (status, body)
    }

    /// POST `body` (JSON) to `path`: status (0 when the exchange failed), body and why it failed.
    mutating func post(_ path: String, token: String?, body: [UInt8]) -> (status: Int, body: [UInt8], error: String?) {
        send(method: "POST", path: path, token: token, body: body)
    }

    /// Gives up on an answer after `seconds` (a server that stopped answering), so the caller can try another.
    mutating func timeout(_ seconds: Int) { receiveTimeout = seconds }

    /// One request and its answer's status (0 when the exchange failed, with why).
    mutating func exchange(method: String, path: String, token: String?, body: [UInt8]?) -> (status: Int, error: String?) {
        let (status, data, error) = send(method: method, path: path, token: token, body: body)
        if status == 0 { return (0, error) }
        return (status, status >= 400 ? "\(status) \(path): \(String(decoding: data.prefix(200), as: UTF8.self))" : nil)
    }

    private mutating func send(method: String, path: String, token: String?, body: [UInt8]?) -> (Int, [UInt8], String?) {
        for attempt in 0..<2 {
            if fd < 0, !connect() { return (0, [], "cannot connect") }
            var head = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n"
            if let token { head += "Authorization: Bearer \(token)\r\n" }
            if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
            head += "\r\n"
            let bytes = Array(head.utf8) + (body ?? [])
            if !writeAll(bytes) { close(); if attempt == 0 { continue }; return (0, [], "write failed") }
            if let answer = readResponse() { return (answer.0, answer.1, nil) }
            close()
            if attempt == 1 { return (0, [], "no answer") }
        }
        return (0, [], "no answer")
    }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            sent += n
        }
        return true
    }

    private func readMore(_ into: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65_536)
        let n = recv(fd, &chunk, chunk.count, 0)
        if n <= 0 { return false }
        into += chunk[0..<n]
        return true
    }

    private func readResponse() -> (Int, [UInt8])? {
        var data: [UInt8] = []
        let crlf2: [UInt8] = [13, 10, 13, 10]
        var headEnd: Int?
        while headEnd == nil {
            if let r = data.firstRange(of: crlf2) { headEnd = r.upperBound; break }
            guard readMore(&data) else { return nil }
        }
        guard let he = headEnd else { return nil }
        let head = String(decoding: data[0..<he], as: UTF8.self).lowercased()
        let lines = head.split(separator: "\r\n")
        guard let first = lines.first, let status = Int(first.split(separator: " ").dropFirst().first ?? "") else { return nil }
        var body = Array(data[he...])
        if let cl = lines.first(where: { $0.hasPrefix("content-length:") }), let n = Int(cl.dropFirst(15).trimmingCharacters(in: .whitespaces)) {
            while body.count < n { guard readMore(&body) else { return nil } }
            return (status, Array(body[0..<n]))
        }
        if lines.contains(where: { $0.hasPrefix("transfer-encoding:") && $0.contains("chunked") }) {
            var out: [UInt8] = []
            var pos = 0
            while true {
                while body[pos...].firstRange(of: [13, 10]) == nil { guard readMore(&body) else { return nil } }
                guard let r = body[pos...].firstRange(of: [13, 10]),
                      let size = Int(String(decoding: body[pos..<r.lowerBound], as: UTF8.self).split(separator: ";")[0], radix: 16) else { return nil }
                let start = r.upperBound
                while body.count < start + size + 2 { guard readMore(&body) else { return nil } }
                if size == 0 { return (status, out) }
                out += body[start..<(start + size)]
                pos = start + size + 2
            }
        }
        return (status, body)
    }
}
