import AssayDomain
import AssayIngest
import AssayStore
import Foundation
import TransparencyLog

/// Opens what commands need: the geography from the shipped boundaries and the store.
enum Context {
    static func geography() throws -> Geography {
        do { return try ReferenceData.geography() } catch { throw InputFailure(message: "cannot load the province boundaries: \(error)") }
    }

    /// Opens the store at `--db` (a SQLite file or a PostgreSQL URL); unless `create`, a SQLite file must exist.
    static func store(_ options: GlobalOptions, create: Bool = false) async throws -> RelationalStore {
        let postgres = PostgresURL.isPostgres(options.db)
        if !postgres, !create, !FileManager.default.fileExists(atPath: options.db) {
            throw InputFailure(message: "\(options.db): no database here; run `assay init` (or `assay demo`) first, or pass --db")
        }
        let shown = PostgresURL.redacted(options.db)
        do {
            let store = try await RelationalStore.open(database: options.db, readDatabase: options.readDb, geography: try geography(),
                                                       signers: try signers(options, create: create))
            // The server and the reports price royalties with the shipped DRC Mining Code table.
            do { store.useRoyalties(try RoyaltyRates.schedule()) } catch {
                await store.close()
                throw InputFailure(message: "cannot load the royalty rates: \(error)")
            }
            return store
        } catch let e as InputFailure { throw e } catch {
            throw InputFailure(message: "\(shown): cannot open the database: \(error)")
        }
    }

    /// The log's signing key: the newest in its file (see ``signers(_:create:)``).
    static func signer(_ options: GlobalOptions, create: Bool) throws -> Ed25519NoteSigner {
        guard let last = try signers(options, create: create).last else { throw InputFailure(message: "\(options.keyPath): no signing key") }
        return last
    }

    /// Every checkpoint key in the key file, oldest first (one a line: after `assay log rotate-key`
    /// the file holds the old key and the new one), or a new key (mode 0600, never printed) for a new log.
    static func signers(_ options: GlobalOptions, create: Bool) throws -> [Ed25519NoteSigner] {
        let path = options.keyPath
        if let data = FileManager.default.contents(atPath: path) {
            var out: [Ed25519NoteSigner] = []
            for (i, line) in String(decoding: data, as: UTF8.self).split(separator: "\n").enumerated() {
                let text = line.trimmingCharacters(in: .whitespaces)
                if text.isEmpty { continue }
                do { out.append(try Ed25519NoteSigner(privateKey: text)) } catch {
                    throw InputFailure(message: "\(path):\(i + 1): not a signing key (\(error.message))")
                }
            }
            guard !out.isEmpty else { throw InputFailure(message: "\(path): holds no signing key") }
            return out
        }
        guard create else {
            throw InputFailure(message: "\(path): no signing key; pass --key, or create the log with `assay init`")
        }
        let signer: Ed25519NoteSigner
        do { signer = try Ed25519NoteSigner(name: options.origin) } catch { throw InputFailure(message: "--origin: \(error.message)") }
        // O_EXCL with mode 0600: the key is never readable by others, not even for an instant.
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw InputFailure(message: "\(path): cannot create the signing key file (\(String(cString: strerror(errno))))") }
        defer { close(fd) }
        let bytes = Array((signer.privateKeyString + "\n").utf8)
        guard write(fd, bytes, bytes.count) == bytes.count, fsync(fd) == 0 else {
            throw InputFailure(message: "\(path): cannot write the signing key")
        }
        return [signer]
    }

    /// Adds `signer` as the last line of the key file: a new file (mode 0600) written, synced and
    /// renamed over the old one, so a crash leaves either the old file or the new one, never half.
    static func appendSigner(_ signer: Ed25519NoteSigner, to path: String) throws {
        let old = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let text = (old.isEmpty || old.hasSuffix("\n") ? old : old + "\n") + signer.privateKeyString + "\n"
        let temp = path + ".new"
        unlink(temp)
        let fd = open(temp, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw InputFailure(message: "\(temp): cannot create (\(String(cString: strerror(errno))))") }
        let bytes = Array(text.utf8)
        let ok = write(fd, bytes, bytes.count) == bytes.count && fsync(fd) == 0
        close(fd)
        guard ok, rename(temp, path) == 0 else { unlink(temp); throw InputFailure(message: "\(path): cannot write the new key file") }
        let dir = open((path as NSString).deletingLastPathComponent.isEmpty ? "." : (path as NSString).deletingLastPathComponent, O_RDONLY)
        if dir >= 0 { fsync(dir); close(dir) }
    }

    /// Turns a refused batch into `FILE:LINE: field: message` lines.
    static func describe(_ rejected: BatchRejected, file: String, lines: [Int]) -> String {
        rejected.errors.map { e in
            let line = e.index < lines.count ? lines[e.index] : e.index + 1
            return ImportError(file: file, line: line, field: e.error.field, message: e.error.message).description
        }.joined(separator: "\n")
    }

    static func printJSON(_ value: JSONValue) {
        print(CanonicalJSON.string(value))
    }
}

/// A plain-text table with aligned columns.
struct TextTable {
    var header: [String]
    var rows: [[String]] = []

    init(_ header: String...) { self.header = header }

    mutating func add(_ cells: String...) { rows.append(cells) }
    mutating func add(_ cells: [String]) { rows.append(cells) }

    func render() -> String {
        var widths = header.map(\.count)
        for r in rows { for (i, c) in r.enumerated() where i < widths.count { widths[i] = max(widths[i], min(c.count, 60)) } }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { i, c in
                let cut = c.count > 60 ? String(c.prefix(59)) + "…" : c
                return i == cells.count - 1 ? cut : cut.padding(toLength: widths[i], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(header), line(widths.map { String(repeating: "-", count: $0) })] + rows.map(line)).joined(separator: "\n")
    }
}

/// A progress bar on standard error, shown only when the work has run for over a second and standard
/// error is a terminal.
final class ProgressBar: Sendable {
    private let total: Int
    private let start = ContinuousClock.now
    private let label: String

    init(total: Int, label: String) { self.total = total; self.label = label }

    func update(_ done: Int) {
        guard isatty(2) == 1, ContinuousClock.now - start > .seconds(1), total > 0 else { return }
        let width = 30
        let filled = min(width, done * width / total)
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done * 100 / total)% \(done)/\(total)".utf8))
    }

    func finish() {
        guard isatty(2) == 1, ContinuousClock.now - start > .seconds(1) else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

extension Decimal {
    /// Grouped digits, up to two decimals: `1,620,000,000`, `71.25`.
    var grouped: String {
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.maximumFractionDigits = 2
        f.locale = Locale(identifier: "en_US_POSIX")
        f.usesGroupingSeparator = true
        f.groupingSeparator = ","
        f.groupingSize = 3
        return f.string(from: self as NSDecimalNumber) ?? "\(self)"
    }
}

func percent(_ x: Double) -> String { String(format: "%.2f%%", x * 100) }
