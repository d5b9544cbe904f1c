import ArgumentParser
import Foundation
import TransparencyLog

/// `assay bench post-loop`: the HTTP counterpart of `append-loop`, for failover tests with several
/// servers. Threads POST new parties to the servers on 127.0.0.1 given by `--port` (thread i starts on
/// server i mod n) and print `ack SEQ` and `cp SIZE ROOT` for every 201, as it arrives. A refused or
/// unanswered request (a 503 during a failover, a server killed, no answer in `--timeout` seconds) is
/// sent again, to the next server: as a client behind a load balancer would. A retry answered 409
/// "already exists" means the first attempt committed after all: the party is there, but that append was
/// never acknowledged, so nothing is printed for it.
struct BenchPostLoop: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "post-loop",
        abstract: "POST parties to several servers from concurrent threads, printing `ack <seq>` for each 201 (for failover tests).")
    @Option(name: .customLong("port"), help: "A server's port on 127.0.0.1 (repeat for several servers).") var ports: [Int] = []
    @Option(help: "A registrar token (or the file ASSAY_TOKEN names).") var token: String?
    @Option(help: "Concurrent threads.") var tasks: Int = 6
    @Option(help: "Parties per thread (0: until killed).") var count: Int = 0
    @Option(help: "Seconds to wait for an answer before trying the next server.") var timeout: Int = 20

    func validate() throws {
        guard !ports.isEmpty, ports.allSatisfy({ (1...65535).contains($0) }) else { throw ValidationError("give at least one --port 1–65535") }
        guard (1...256).contains(tasks) else { throw ValidationError("--tasks must be 1–256") }
        guard count >= 0 else { throw ValidationError("--count must be ≥ 0") }
        guard (1...600).contains(timeout) else { throw ValidationError("--timeout must be 1–600 seconds") }
        guard token != nil || ProcessInfo.processInfo.environment["ASSAY_TOKEN"] != nil else { throw ValidationError("--token (or ASSAY_TOKEN) is required") }
    }

    func run() throws {
        let secret = token ?? ProcessInfo.processInfo.environment["ASSAY_TOKEN"] ?? ""
        let run = UUID().uuidString.prefix(8).lowercased()
        let (ports, count, timeout) = (self.ports, self.count, self.timeout)
        let done = DispatchGroup()
        for t in 0..<tasks {
            done.enter()
            Thread {
                var server = t % ports.count
                var client = SoakClient(port: ports[server])
                client.timeout(timeout)
                var i = 0
                while count == 0 || i < count {
                    let id = "post-\(run)-\(t)-\(i)"
                    let body = Array(#"{"id":"\#(id)","name":"Post \#(t) \#(i)","kind":"company"}"#.utf8)
                    let (status, answer, error) = client.post("/api/v1/parties", token: secret, body: body)
                    switch status {
                    case 201:
                        if let line = Self.receipt(answer) { FileHandle.standardOutput.write(Data(line.utf8)) }
                        i += 1
                    case 409:
                        i += 1
                    default:
                        let why = error ?? "\(status): \(String(decoding: answer.prefix(200), as: UTF8.self))"
                        FileHandle.standardError.write(Data("retry \(id) on the next server (port \(ports[server]): \(why))\n".utf8))
                        client.close()
                        server = (server + 1) % ports.count
                        client = SoakClient(port: ports[server])
                        client.timeout(timeout)
                        Thread.sleep(forTimeInterval: 0.1)
                    }
                }
                done.leave()
            }.start()
        }
        done.wait()
    }

    /// `ack SEQ` and `cp SIZE ROOT` from a 201's receipt.
    static func receipt(_ body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let entry = object["entry"] as? Int, let note = object["checkpoint"] as? String,
              let signed = try? SignedNote(note), let cp = try? Checkpoint(body: signed.text) else { return nil }
        return "ack \(entry)\ncp \(cp.size) \(cp.root.hex)\n"
    }
}
