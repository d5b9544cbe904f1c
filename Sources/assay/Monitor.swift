import ArgumentParser
import AssayDomain
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import TransparencyLog
#if canImport(Glibc)
import Glibc
#endif

/// `assay monitor URL --vkey V --state DIR`: follows a registry from the outside, through its public log
/// only (checkpoints, consistency proofs, entry bundles). Every checkpoint's signature is checked, every
/// step is checked with a consistency proof from the last checkpoint it accepted, and every new entry is
/// hashed into the tree it keeps (a compact range), whose root must be the checkpoint's. Entries matching
/// the filters are printed, or posted. Anything wrong is an alarm: a message starting `ALARM:` on standard
/// error and exit status 3, with the state left at the last good checkpoint.
struct Monitor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow a registry's log from the outside: verify every checkpoint, step and entry; print or post matching entries; alarm on a fork.",
        discussion: """
            Exit 0 when every round checked out (with --once, after one round); 3 on an alarm (a checkpoint not \
            signed by the key, a checkpoint smaller than one already seen, two roots for one size, a consistency \
            proof or entries that do not lead to the checkpoint's root); 1 when the registry cannot be reached or \
            the input is wrong. Filters are kind=value (kinds: \(EntryKeys.kinds.joined(separator: ", "))); an \
            entry matches when it has every key given (none: every entry).
            """)
    @Argument(help: "The registry's base URL (e.g. http://127.0.0.1:8080).") var url: String
    @Option(name: .customLong("vkey"), help: "The log's verifier key.") var vkey: String
    @Option(help: "A directory for the monitor's state (created if missing).") var state: String
    @Option(name: .customLong("match"), help: "A filter, kind=value (repeatable; all must hold), e.g. party=gecamines.") var matches: [String] = []
    @Option(help: "POST each matching entry as JSON to this URL instead of printing it.") var post: String?
    @Option(help: "Seconds between rounds.") var interval: Double = 10
    @Flag(help: "Run one round and exit.") var once = false

    /// What the monitor keeps between rounds.
    struct State: Codable {
        var origin: String
        var size: Int
        var root: String
        var range: [String]
        var checkpoint: String
        /// The index log's size and root last accepted (absent in states from before it was followed).
        var indexSize: Int?
        var indexRoot: String?
    }

    struct Alarm: Error { var message: String }

    func validate() throws {
        guard let u = URL(string: url), u.scheme == "http" || u.scheme == "https", u.host != nil else {
            throw ValidationError("URL: expected http(s)://host[:port], found \"\(url)\"")
        }
        for m in matches {
            let parts = m.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2, EntryKeys.kinds.contains(parts[0]), !parts[1].isEmpty else {
                throw ValidationError("--match \(m): expected kind=value with kind one of \(EntryKeys.kinds.joined(separator: ", "))")
            }
        }
        guard interval > 0 else { throw ValidationError("--interval must be positive") }
    }

    func run() async throws {
        let key: Ed25519NoteVerifier
        do { key = try Ed25519NoteVerifier(verifierKey: vkey) } catch { throw InputFailure(message: "--vkey: \(error.message)") }
        let filters = matches.map { m -> String in
            let p = m.split(separator: "=", maxSplits: 1).map(String.init)
            return p[0] + ":" + (p[0] == "mineral" ? p[1].lowercased() : p[1])
        }
        do { try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true) } catch {
            throw InputFailure(message: "--state \(state): cannot create the directory (\(error))")
        }
        let statePath = (state as NSString).appendingPathComponent("monitor.json")
        while true {
            do {
                try await round(key: key, filters: filters, statePath: statePath)
            } catch let alarm as Alarm {
                FileHandle.standardError.write(Data("ALARM: \(alarm.message)\n".utf8))
                throw ExitCode(3)
            }
            if once { return }
            try await Task.sleep(for: .seconds(interval))
        }
    }

    /// One round: the latest checkpoint, checked against the last one accepted, and every entry in between.
    func round(key: Ed25519NoteVerifier, filters: [String], statePath: String) async throws {
        var kept: State?
        if let data = FileManager.default.contents(atPath: statePath) {
            do { kept = try JSONDecoder().decode(State.self, from: data) } catch { throw InputFailure(message: "\(statePath): unreadable state (\(error))") }
        }
        let text = String(decoding: try await get("log/checkpoint"), as: UTF8.self)
        let note: SignedNote
        let cp: Checkpoint
        do {
            note = try SignedNote(text)
            _ = try note.verify(with: [key])
            cp = try Checkpoint(body: note.text)
        } catch { throw Alarm(message: "the checkpoint served by \(url) is not signed by \(key.name): \(error)") }
        guard cp.origin == key.name else { throw Alarm(message: "the checkpoint's origin \(cp.origin) is not \(key.name)") }
        let old = kept ?? State(origin: cp.origin, size: 0, root: MerkleHasher.empty.hex, range: [], checkpoint: "")
        guard let oldRoot = TreeHash(hex: old.root) else { throw InputFailure(message: "\(statePath): the root is not a hash") }
        if cp.size < old.size {
            throw Alarm(message: "the checkpoint went backwards: size \(cp.size) after \(old.size) was seen")
        }
        let indexLog = try await followIndexLog(key: key, old: old)
        if cp.size == old.size {
            guard cp.root == oldRoot else { throw Alarm(message: "fork: two roots for size \(cp.size): \(old.root) seen before, \(cp.root.hex) now") }
            var kept = old
            (kept.indexSize, kept.indexRoot) = (indexLog?.size ?? old.indexSize, indexLog?.root.hex ?? old.indexRoot)
            try save(kept, statePath)
            print("size \(cp.size): unchanged, root \(cp.root.hex)")
            return
        }
        // The step, proven by the log.
        if old.size > 0 {
            let body = try await get("log/proof/consistency?from=\(old.size)&to=\(cp.size)")
            guard case .object(let m)? = try? JSONParser.parse(Array(body)), case .array(let items)? = m["proof"] else {
                throw Alarm(message: "the consistency proof from \(old.size) to \(cp.size) is not readable")
            }
            let proof = items.compactMap { if case .string(let s) = $0 { TreeHash(base64: s) } else { nil } }
            guard proof.count == items.count,
                  MerkleVerifier.verifyConsistency(size1: old.size, size2: cp.size, root1: oldRoot, root2: cp.root, proof: proof) else {
                throw Alarm(message: "fork: the checkpoint at \(cp.size) (root \(cp.root.hex)) is not consistent with the one at \(old.size) (root \(old.root))")
            }
        }
        // Every new entry, hashed into the tree kept so far.
        var range: CompactRange
        do { range = try CompactRange(size: old.size, hashes: old.range.compactMap(TreeHash.init(hex:))) } catch {
            throw InputFailure(message: "\(statePath): \(error.message)")
        }
        var matched = 0
        var index = old.size / Tile.width
        while range.size < cp.size {
            let width = min(Tile.width, cp.size - index * Tile.width)
            let bundle = try await get("log/" + Tile(level: nil, index: index, width: width).path)
            let entries: [[UInt8]]
            do { entries = try Tile.entries(ofBundle: Array(bundle)) } catch { throw Alarm(message: "entry bundle \(index): \(error.message)") }
            guard entries.count == width else { throw Alarm(message: "entry bundle \(index) holds \(entries.count) entries, not \(width)") }
            for (k, entry) in entries.enumerated() where index * Tile.width + k >= range.size {
                range.append(MerkleHasher.leaf(entry))
                let seq = index * Tile.width + k + 1
                guard case .object(let e)? = try? JSONParser.parse(entry), let command = e["command"] else {
                    throw Alarm(message: "entry \(seq) is not a journal entry (JSON with a command)")
                }
                let keys = EntryKeys.keys(of: command)
                guard filters.allSatisfy(keys.contains) else { continue }
                matched += 1
                try await report(seq: seq, entry: e, keys: keys)
            }
            index += 1
        }
        guard range.root == cp.root else {
            throw Alarm(message: "fork: the entries served hash to root \(range.root.hex), not the checkpoint's \(cp.root.hex) at size \(cp.size)")
        }
        // Only now is the checkpoint accepted and the state moved on, atomically.
        let next = State(origin: cp.origin, size: cp.size, root: cp.root.hex, range: range.hashes.map(\.hex), checkpoint: note.serialized,
                         indexSize: indexLog?.size ?? old.indexSize, indexRoot: indexLog?.root.hex ?? old.indexRoot)
        try save(next, statePath)
        print("size \(old.size) → \(cp.size): \(cp.size - old.size) entries verified, \(matched) matched, root \(cp.root.hex)")
    }

    func save(_ state: State, _ statePath: String) throws {
        let tmp = statePath + ".tmp"
        try JSONEncoder().encode(state).write(to: URL(fileURLWithPath: tmp), options: .atomic)
        // rename(2) replaces the old state in one step: a crash leaves the old state or the new, never half of one.
        guard rename(tmp, statePath) == 0 else { throw InputFailure(message: "\(statePath): cannot replace the state (errno \(errno))") }
    }

    /// The index log (the output log of signed index roots): signed by the key, never smaller than before, and
    /// consistent with the last one accepted. Nil when the registry serves none.
    func followIndexLog(key: Ed25519NoteVerifier, old: State) async throws -> Checkpoint? {
        guard let body = try? await get("log/index/checkpoint") else { return nil }
        let cp: Checkpoint
        do {
            let note = try SignedNote(String(decoding: body, as: UTF8.self))
            _ = try note.verify(with: [key])
            cp = try Checkpoint(body: note.text)
        } catch { throw Alarm(message: "the index log's checkpoint is not signed by \(key.name): \(error)") }
        guard cp.origin == key.name + "/index-log" else { throw Alarm(message: "the index log's origin \(cp.origin) is not \(key.name)/index-log") }
        guard let oldSize = old.indexSize, let oldRoot = old.indexRoot.flatMap(TreeHash.init(hex:)), oldSize > 0 else { return cp }
        if cp.size < oldSize { throw Alarm(message: "the index log went backwards: size \(cp.size) after \(oldSize)") }
        if cp.size == oldSize {
            guard cp.root == oldRoot else { throw Alarm(message: "fork of the index log: two roots for size \(cp.size)") }
            return cp
        }
        let proofBody = try await get("log/index/proof/consistency?from=\(oldSize)&to=\(cp.size)")
        guard case .object(let m)? = try? JSONParser.parse(Array(proofBody)), case .array(let items)? = m["proof"] else {
            throw Alarm(message: "the index log's consistency proof from \(oldSize) to \(cp.size) is not readable")
        }
        let proof = items.compactMap { if case .string(let s) = $0 { TreeHash(base64: s) } else { nil } }
        guard proof.count == items.count, MerkleVerifier.verifyConsistency(size1: oldSize, size2: cp.size, root1: oldRoot, root2: cp.root, proof: proof) else {
            throw Alarm(message: "fork of the index log: size \(cp.size) is not consistent with size \(oldSize) seen before")
        }
        return cp
    }

    func report(seq: Int, entry: [String: JSONValue], keys: [String]) async throws {
        let command = entry["command"] ?? .null
        guard let post else {
            let type = keys.first { $0.hasPrefix("type:") }.map { String($0.dropFirst(5)) } ?? "?"
            let id = keys.first { $0.hasPrefix("id:") }.map { String($0.dropFirst(3)) } ?? ""
            let time: String = if case .string(let t)? = entry["time"] { t } else { "" }
            print("entry \(seq)  \(time)  \(type) \(id)")
            return
        }
        guard let target = URL(string: post) else { throw InputFailure(message: "--post \(post): not a URL") }
        var request = URLRequest(url: target)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(CanonicalJSON.encode(.object(["entry": .int(Int64(seq)), "time": entry["time"] ?? .null, "command": command,
                                                              "keys": .array(keys.map { .string($0) })])))
        let (_, response) = try await URLSession.shared.data(for: request)
        guard let http = response as? HTTPURLResponse, (200..<300).contains(http.statusCode) else {
            throw InputFailure(message: "--post \(post): the receiver did not accept entry \(seq) (\((response as? HTTPURLResponse)?.statusCode ?? 0)); run again to resend it")
        }
    }

    /// GETs `path` under the registry's URL; a status other than 200 is an error (not an alarm: the server
    /// may be down or restarting).
    func get(_ path: String) async throws -> Data {
        let base = url.hasSuffix("/") ? url : url + "/"
        guard let u = URL(string: base + path) else { throw InputFailure(message: "cannot form a URL from \(base) and \(path)") }
        let data: Data, response: URLResponse
        do { (data, response) = try await URLSession.shared.data(from: u) } catch {
            throw InputFailure(message: "\(u): \(error.localizedDescription)")
        }
        guard let http = response as? HTTPURLResponse, http.statusCode == 200 else {
            throw InputFailure(message: "\(u): status \((response as? HTTPURLResponse)?.statusCode ?? 0)")
        }
        return data
    }
}
