import AssayTestSupport
import Foundation
import Testing

/// Failover for real: etcd, a Patroni-managed primary and synchronous standby (`scripts/cluster`), and
/// three Assay writer processes appending to one log through all of it. Kills one writer, then the
/// PostgreSQL primary, and checks after each that no acknowledged entry is lost, no size was ever
/// signed with two roots, `verify` passes and writes resume. Prints the time from the primary's death to
/// the next signed checkpoint.
@Suite("Failover with Patroni", .serialized)
struct FailoverTests {
    let cli = CLITests()
    let writers = PostgresCLITests()

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/cluster").path

    func cluster(_ args: [String]) throws -> (Int32, String) { try TestScript.run(Self.script, args) }

    /// The largest checkpoint size the writers have printed so far.
    func signedSize(_ files: [String]) throws -> Int {
        try files.flatMap { try writers.parse($0).checkpoints.map(\.0) }.max() ?? 0
    }

    @Test func aKilledServerAndAKilledPrimaryLoseNothingAndWritesResume() throws {
        let dir = NSTemporaryDirectory() + "assay-cluster-\(UUID().uuidString.prefix(8))"
        let (status, out) = try cluster(["start", dir])
        defer { _ = try? cluster(["stop", dir]) }
        try #require(status == 0, "scripts/cluster start failed:\n\(out)")
        let url = try #require(out.split(separator: "\n").first { $0.hasPrefix("URL=") }.map { String($0.dropFirst(4)) })
        let key = cli.dir + "/log.key"
        let initialised = try cli.run(["init", "--db", url, "--key", key])
        try #require(initialised.status == 0, "\(initialised.err)")

        // Three writers, four tasks each, retrying what a failover refuses (as HTTP clients do on 503).
        var procs: [(Process, String)] = []
        for _ in 0..<3 { procs.append(try writers.start(["bench", "append-loop", "--retry", "--db", url, "--key", key, "--tasks", "4"])) }
        let files = procs.map(\.1)
        usleep(3_000_000)

        // (a) One writer dies; the others go on.
        kill(procs[0].0.processIdentifier, SIGKILL)
        procs[0].0.waitUntilExit()
        let afterServerKill = try signedSize(files)
        usleep(2_000_000)
        #expect(try signedSize(files) > afterServerKill, "writes stopped after one Assay process died")

        // (b) The primary's machine dies. Patroni promotes the standby once the leader's lease expires;
        // the dead node is brought back as a standby (strict synchronous mode commits nothing without one).
        let before = try signedSize(files)
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
            if try signedSize(files) > before { resumedAfter = Date().timeIntervalSince(start); break }
            usleep(100_000)
        }
        let resumed = try #require(resumedAfter, "no checkpoint was signed within 120 s of the primary's death")
        print("failover: primary killed → standby promoted in \(String(format: "%.1f", promotedAfter)) s → next signed checkpoint after \(String(format: "%.1f", resumed)) s")
        usleep(1_500_000)
        for (p, _) in procs.dropFirst() {
            kill(p.processIdentifier, SIGKILL)
            p.waitUntilExit()
        }

        // Every acknowledged entry is in the log; every index was handed out once; one root per size.
        let results = try files.map { try writers.parse($0) }
        let acks = results.flatMap(\.acks)
        #expect(Set(acks).count == acks.count, "an index was acknowledged twice")
        var roots: [Int: String] = [:]
        for (size, root) in results.flatMap(\.checkpoints) {
            if let seen = roots[size] { #expect(seen == root, "two roots at size \(size)") }
            roots[size] = root
        }
        let verify = try cli.run(["verify", "--db", url, "--key", key, "--json"])
        if verify.status != 0 { print("verify failed: \(verify.err)") }
        try #require(verify.status == 0, "\(verify.err)")
        let entries = Int64(try cli.json(verify.out)["entries"] as? Int ?? 0)
        #expect(entries >= acks.max() ?? 0, "\(entries) entries, but \(acks.max() ?? 0) was acknowledged")
    }
}
