import AssayTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing

/// Failover for real: `scripts/cluster` starts etcd, a Patroni-managed primary and synchronous standby,
/// and three `assay serve` processes on one log (the third reading from any node, the standby included).
/// An HTTP client (`assay bench post-loop`) keeps a steady signed write load on all three. The test kills
/// one Assay server, then the PostgreSQL primary, and checks after each that no acknowledged entry is
/// lost, no size was ever signed with two roots, `assay verify` passes, writes resume, and every server
/// that is still up serves a checkpoint covering every acknowledged entry. Prints the time from the
/// primary's death to the next signed checkpoint.
@Suite("Failover with Patroni", .serialized)
struct FailoverTests {
    let cli = CLITests()
    let writers = PostgresCLITests()

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/cluster").path

    func cluster(_ args: [String]) throws -> (Int32, String) {
        try TestScript.run(Self.script, args, environment: ["ASSAY_BIN": CLITests.binary])
    }

    /// The largest checkpoint size the client has printed so far.
    func signedSize(_ file: String) throws -> Int {
        try writers.parse(file).checkpoints.map(\.0).max() ?? 0
    }

    /// GET over HTTP: status and body (0 when the server does not answer).
    func get(_ url: String) -> (Int, String) {
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var result = (0, "")
        var request = URLRequest(url: URL(string: url)!)
        request.timeoutInterval = 5
        URLSession.shared.dataTask(with: request) { data, response, _ in
            result = ((response as? HTTPURLResponse)?.statusCode ?? 0, data.map { String(decoding: $0, as: UTF8.self) } ?? "")
            done.signal()
        }.resume()
        done.wait()
        return result
    }

    /// The size in a server's `/log/checkpoint`.
    func servedSize(_ server: String) -> Int {
        let (status, body) = get(server + "/log/checkpoint")
        guard status == 200 else { return -1 }
        return body.split(separator: "\n").dropFirst().first.flatMap { Int($0) } ?? -1
    }

    @Test func aKilledServerAndAKilledPrimaryLoseNothingAndWritesResume() throws {
        let dir = NSTemporaryDirectory() + "assay-cluster-\(UUID().uuidString.prefix(8))"
        let (status, out) = try cluster(["start", dir])
        defer { _ = try? cluster(["stop", dir]) }
        try #require(status == 0, "scripts/cluster start failed:\n\(out)")
        var env: [String: String] = [:]
        for line in out.split(separator: "\n") {
            if let eq = line.firstIndex(of: "=") { env[String(line[..<eq])] = String(line[line.index(after: eq)...]) }
        }
        let url = try #require(env["URL"]), key = try #require(env["KEY"])
        let servers = try (1...3).map { try #require(env["SERVER\($0)"], "scripts/cluster started no server \($0):\n\(out)") }
        let token = try String(contentsOfFile: try #require(env["TOKEN_FILE"]), encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        let ports = servers.flatMap { ["--port", String($0.split(separator: ":").last ?? "")] }

        // Six client threads, two per server, each moving to the next server when one fails it.
        let (client, file) = try writers.start(["bench", "post-loop", "--token", token, "--tasks", "6"] + ports)
        defer { if client.isRunning { kill(client.processIdentifier, SIGKILL); client.waitUntilExit() } }
        usleep(4_000_000)
        try #require(try signedSize(file) > 0, "no write was acknowledged in 4 s")

        // (a) One Assay server dies; its clients move to the others and writes go on.
        let (killedServer, pid) = try cluster(["kill-server", dir, "1"])
        try #require(killedServer == 0, "kill-server failed:\n\(pid)")
        let afterServerKill = try signedSize(file)
        usleep(3_000_000)
        #expect(try signedSize(file) > afterServerKill, "writes stopped after one Assay server died")
        #expect(get(servers[0] + "/healthz").0 == 0, "server 1 still answers after SIGKILL")

        // (b) The primary's machine dies. Patroni promotes the standby once the leader's lease expires;
        // the dead node is brought back as a standby (strict synchronous mode commits nothing without one).
        let before = try signedSize(file)
        let (killed, name) = try cluster(["kill-primary", dir])
        try #require(killed == 0, "kill-primary failed:\n\(name)")
        let start = Date()
        let dead = name.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "\n").last.map(String.init) ?? ""
        var promoted = false
        while Date().timeIntervalSince(start) < 60 {
            let (s, leader) = try cluster(["primary", dir])
            if s == 0, !leader.hasPrefix(dead) { promoted = true; break }
            usleep(200_000)
        }
        #expect(promoted, "no standby was promoted within 60 s")
        let promotedAfter = Date().timeIntervalSince(start)
        let (restarted, restartOut) = try cluster(["restart-node", dir, dead])
        #expect(restarted == 0, "restart-node failed:\n\(restartOut)")
        var resumedAfter: Double?
        while Date().timeIntervalSince(start) < 120 {
            if try signedSize(file) > before { resumedAfter = Date().timeIntervalSince(start); break }
            usleep(100_000)
        }
        let resumed = try #require(resumedAfter, "no checkpoint was signed within 120 s of the primary's death")
        print("failover over HTTP (3 assay serve): primary killed → standby promoted in \(String(format: "%.1f", promotedAfter)) s → next signed checkpoint after \(String(format: "%.1f", resumed)) s")
        usleep(2_000_000)
        kill(client.processIdentifier, SIGKILL)
        client.waitUntilExit()

        // Every acknowledged entry is in the log; every index was handed out once; one root per size.
        let result = try writers.parse(file)
        let acks = result.acks
        #expect(Set(acks).count == acks.count, "an index was acknowledged twice")
        var roots: [Int: String] = [:]
        for (size, root) in result.checkpoints {
            if let seen = roots[size] { #expect(seen == root, "two roots at size \(size)") }
            roots[size] = root
        }
        let newest = acks.max() ?? 0
        print("failover over HTTP: \(acks.count) writes acknowledged, newest entry \(newest)")
        let verify = try cli.run(["verify", "--db", url, "--key", key, "--json"])
        if verify.status != 0 {
            // Keep the servers' logs for whoever looks into it (the cluster's folder goes with `stop`).
            let kept = NSTemporaryDirectory() + "assay-failover-logs-\(UUID().uuidString.prefix(8))"
            try? FileManager.default.copyItem(atPath: dir + "/assay", toPath: kept)
            print("assay verify failed: \(verify.err); the servers' logs are in \(kept)")
        }
        try #require(verify.status == 0, "assay verify failed: \(verify.err)")
        let entries = Int64(try cli.json(verify.out)["entries"] as? Int ?? 0)
        #expect(entries >= newest, "\(entries) entries, but \(newest) was acknowledged")

        // The two servers still up serve (after following the log) a checkpoint covering every acknowledged
        // entry; the one reading from the replicas reports its lag in /metrics.
        for server in servers.dropFirst() {
            var size = -1
            for _ in 0..<50 where size < Int(newest) {
                size = servedSize(server)
                if size < Int(newest) { usleep(200_000) }
            }
            #expect(size >= Int(newest), "\(server) serves size \(size) after \(newest) was acknowledged")
        }
        let metrics = get(servers[2] + "/metrics").1
        #expect(metrics.contains("assay_replica_lag_entries "), "no replica lag in /metrics")
        #expect(metrics.contains("assay_log_served_size "))
    }
}
