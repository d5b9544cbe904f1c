import ArgumentParser
import AssayDomain
import AssayIngest
import AssayStore
import Foundation

/// `assay key …`: operator signing keys, made and kept offline.
struct KeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key", abstract: "Operator signing keys (Ed25519) for custody events.",
        subcommands: [KeyGenerate.self, KeyList.self])
}

struct KeyGenerate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Make a new operator key: writes the private key file (mode 0600) and prints the register-key command to submit.")
    @Option(help: "The operator party the key signs for.") var party: String
    @Option(help: "The key's id (default PARTY-YYYYMMDD).") var id: String?
    @Option(help: "Where to write the private key (default ID.key); never overwritten.") var out: String?
    @Option(name: .customLong("valid-from"), help: "First instant the key signs (default now), like 2025-01-01T00:00:00.000Z.") var validFrom: String?
    @Option(name: .customLong("valid-until"), help: "First instant it no longer signs (default open).") var validUntil: String?

    func run() async throws {
        do {
            try Identifier.validate(party, field: "--party")
            let keyID = id ?? "\(party)-\(RelationalStore.systemClock().day.iso.replacingOccurrences(of: "-", with: ""))"
            try Identifier.validate(keyID, field: "--id")
            let from = try validFrom.map { s throws(DomainError) in try Timestamp(iso: s, field: "--valid-from") } ?? RelationalStore.systemClock()
            let until = try validUntil.map { s throws(DomainError) in try Timestamp(iso: s, field: "--valid-until") }
            let key = OperatorSigningKey(keyID: keyID, party: party)
            let path = out ?? keyID + ".key"
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
            guard fd >= 0 else { throw InputFailure(message: "\(path): cannot create the key file (\(String(cString: strerror(errno))))") }
            defer { close(fd) }
            let bytes = Array(key.fileText.utf8)
            guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else { throw InputFailure(message: "\(path): cannot write the key") }
            var reg = key.registration(validFrom: from, validUntil: until)
            if let until, until <= from { throw InputFailure(message: "--valid-until: must be after --valid-from") }
            reg.revokedAt = nil
            print(CanonicalJSON.string(Command.registerKey(reg).json))
            FileHandle.standardError.write(Data("wrote the private key to \(path) (mode 0600); submit the line above to register the public key\n".utf8))
        } catch let e as DomainError { throw InputFailure(message: e.description) }
    }
}

struct KeyList: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The registered operator keys.")
    @OptionGroup var options: GlobalOptions
    @Option(help: "Only this party's keys.") var party: String?

    func run() async throws {
        let keys = try await Context.store(options).operatorKeys(party: party)
        if options.json {
            Context.printJSON(.array(keys.map { k in
                var m = k.json
                if let r = k.revokedAt { m["revokedAt"] = .string(r.iso) }
                return .object(m)
            }))
            return
        }
        var t = TextTable("key", "party", "valid from", "valid until", "revoked")
        for k in keys { t.add(k.id, k.party, k.validFrom.iso, k.validUntil?.iso ?? "—", k.revokedAt?.iso ?? "—") }
        print(t.render())
    }
}

/// `assay sign EVENT.json --key FILE`: signs custody events offline.
struct Sign: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Sign custody events offline with an operator key; prints one custody-event command a line.",
        discussion: "EVENT is a JSON event, or NDJSON with one event a line (`-` reads standard input). `key` and `party` are filled in from the key file when absent.")
    @Argument(help: "The event file (.json or .ndjson), or - for standard input.") var file: String
    @Option(help: "The operator key file (from `assay key generate`).") var key: String
    @Option(help: "Sign one event as a SCITT signed statement (COSE_Sign1) and write it to this file, for POST /api/v1/custody-events with Content-Type: application/cose.") var cose: String?

    func run() async throws {
        guard let keyData = FileManager.default.contents(atPath: key) else { throw InputFailure(message: "\(key): cannot read the key file") }
        let signer: OperatorSigningKey
        do { signer = try OperatorSigningKey(fileText: String(decoding: keyData, as: UTF8.self)) } catch { throw InputFailure(message: "\(key): \(error)") }
        let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
        guard let data, let text = String(data: data, encoding: .utf8) else { throw InputFailure(message: "\(file): cannot read UTF-8 text") }
        let name = (file as NSString).lastPathComponent
        // One JSON document, or one per line.
        var docs: [(Int, String)] = []
        if let whole = try? JSONParser.parse(text), case .object = whole { docs = [(1, text)] } else {
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() where !line.allSatisfy(\.isWhitespace) {
                docs.append((i + 1, String(line)))
            }
        }
        var out: [String] = []
        var errors: [String] = []
        for (line, doc) in docs {
            do {
                let value: JSONValue
                do { value = try JSONParser.parse(doc) } catch { throw DomainError(.invalidField, field: "", error.description) }
                if let cose {
                    guard docs.count == 1 else { throw DomainError(.invalidField, field: "", "--cose signs one event; the file holds \(docs.count)") }
                    let (signed, statement) = try signer.signStatement(json: value)
                    guard FileManager.default.createFile(atPath: cose, contents: Data(statement)) else { throw InputFailure(message: "--cose \(cose): cannot write the file") }
                    out.append(CanonicalJSON.string(Command.custodyEvent(signed).json))
                } else {
                    out.append(CanonicalJSON.string(Command.custodyEvent(try signer.sign(json: value)).json))
                }
            } catch let e as DomainError {
                errors.append(ImportError(file: name, line: line, field: e.field, message: e.message).description)
            }
        }
        if !errors.isEmpty { throw InputFailure(message: errors.joined(separator: "\n") + "\n\(name): nothing was signed") }
        print(out.joined(separator: "\n"))
    }
}

/// `assay trace LOT`: lineage, origins, custody chain and flags of a lot.
struct Trace: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Trace a lot: origins, ancestors and descendants, the signed custody chain and its flags.")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The lot's id or any of its tags.") var lot: String

    func run() async throws {
        let store = try await Context.store(options)
        guard let t = try await store.trace(lot) else { throw InputFailure(message: "no lot or tag \"\(lot)\"") }
        if options.json { Context.printJSON(t.json); return }
        let l = t.lot
        print("lot \(l.id): \(l.mass) of \(l.mineral.rawValue) \(l.form.rawValue)\(l.grade.map { " at \($0)" } ?? ""), \(l.status), held by \(l.holder)\(l.location.map { " at \($0)" } ?? "")")
        print("\norigins:")
        for o in l.origins {
            let kg = Mass(grams: Int64((Double(l.mass.grams) * o.share).rounded()))
            print("  \(String(format: "%6.2f%%", o.share * 100))  \(kg)  \(t.names[o.site] ?? o.site) (\(o.site))  title: \(o.concession.map { t.names[$0] ?? $0 } ?? "NONE — untraced")")
        }
        if !t.ancestors.isEmpty {
            print("\nancestors:")
            for a in t.ancestors { print("  \(String(repeating: "  ", count: a.depth - 1))↑ \(a.lot.id) \(a.lot.mass) \(a.lot.mineral.rawValue) \(a.lot.form.rawValue)") }
        }
        if !t.descendants.isEmpty {
            print("\ndescendants:")
            for d in t.descendants { print("  \(String(repeating: "  ", count: d.depth - 1))↓ \(d.lot.id) \(d.lot.mass) \(d.lot.status)") }
        }
        print("\ncustody chain (\(t.events.count) events, signatures \(t.allSignaturesVerified ? "all verified" : "NOT ALL VERIFIED")):")
        var table = TextTable("time", "event", "kind", "party", "key", "signature", "lots", "entry")
        for e in t.events {
            let ev = e.signed.event
            table.add(ev.time.iso, ev.id, ev.kind.rawValue, ev.party, ev.key, e.verified ? "verified" : "FAILED", e.lots.joined(separator: ","), String(e.sequence))
        }
        print(table.render())
        if !t.flags.isEmpty {
            print("\nflags:")
            for f in t.flags { print("  [\(f.rule.severity.rawValue)] \(f.rule.rawValue) on \(f.lot) (event \(f.event)): \(f.explanation)") }
        } else {
            print("\nno flags")
        }
    }
}

/// `assay ingest FILE.ndjson`: bulk append where bad lines are reported and skipped.
struct Ingest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Bulk-append commands (signed custody events and others) from NDJSON; bad lines are reported and skipped, the good ones kept.",
        discussion: "Exit status 0 when every line was accepted, 1 when any was refused (the others are still written).")
    @OptionGroup var options: GlobalOptions
    @Argument(help: "The NDJSON file, or - for standard input.") var file: String
    @Option(help: "Who the journal records as author.") var author: String = "ingest"
    @Option(help: "Lines per durable transaction.") var chunk: Int = 5000

    func run() async throws {
        let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : FileManager.default.contents(atPath: file)
        guard let data, let text = String(data: data, encoding: .utf8) else { throw InputFailure(message: "\(file): cannot read UTF-8 text") }
        let name = file == "-" ? "stdin" : (file as NSString).lastPathComponent
        let store = try await Context.store(options)
        var report: [(line: Int, outcome: Result<AppendReceipt, ImportError>)] = []
        var pending: [(Int, Command)] = []
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        let bar = ProgressBar(total: lines.count, label: "ingesting")
        func flush() async throws {
            guard !pending.isEmpty else { return }
            let outcomes = try await store.appendEach(pending.map(\.1), author: "\(author):\(name)")
            for ((line, _), o) in zip(pending, outcomes) {
                switch o {
                case .accepted(let r): report.append((line, .success(r)))
                case .refused(let e): report.append((line, .failure(ImportError(file: name, line: line, field: e.field, message: e.message))))
                }
            }
            pending.removeAll(keepingCapacity: true)
        }
        for (i, raw) in lines.enumerated() {
            let line = raw.hasSuffix("\r") ? raw.dropLast() : raw
            if line.allSatisfy(\.isWhitespace) || line.hasPrefix("#") { continue }
            do { pending.append((i + 1, try Command(bulkLine: String(line)))) } catch {
                report.append((i + 1, .failure(ImportError(file: name, line: i + 1, field: error.field, message: error.message))))
            }
            if pending.count >= max(1, chunk) { try await flush(); bar.update(i + 1) }
        }
        try await flush()
        bar.finish()
        report.sort { $0.line < $1.line }
        let accepted = report.filter { if case .success = $0.outcome { true } else { false } }
        let refused = report.count - accepted.count
        let replayed = accepted.filter { if case .success(let r) = $0.outcome { r.replayed } else { false } }.count
        let flagged = accepted.reduce(0) { n, x in if case .success(let r) = x.outcome { n + r.flags.count } else { n } }
        if options.json {
            Context.printJSON(.object([
                "file": .string(name), "lines": .int(Int64(report.count)), "accepted": .int(Int64(accepted.count)),
                "refused": .int(Int64(refused)), "alreadyRecorded": .int(Int64(replayed)), "flags": .int(Int64(flagged)),
                "results": .array(report.map { x in
                    switch x.outcome {
                    case .success(let r):
                        return .object(["line": .int(Int64(x.line)), "status": .string(r.replayed ? "already-recorded" : "accepted"), "seq": .int(r.sequence),
                                        "subject": .string(r.subject), "flags": .array(r.flags.map(\.json))])
                    case .failure(let e):
                        return .object(["line": .int(Int64(x.line)), "status": "refused", "field": .string(e.field), "message": .string(e.message)])
                    }
                }),
            ]))
        } else {
            for x in report {
                switch x.outcome {
                case .success(let r):
                    for f in r.flags { print("\(name):\(x.line): flagged \(f.rule.rawValue): \(f.explanation)") }
                case .failure(let e): print(e.description)
                }
            }
            print("\(name): \(accepted.count) accepted (\(replayed) already recorded), \(refused) refused, \(flagged) flag(s)")
        }
        if refused > 0 { throw ExitCode(1) }
    }
}
