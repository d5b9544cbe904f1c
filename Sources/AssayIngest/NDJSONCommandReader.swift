import AssayDomain
import Foundation
import Synchronization

/// Reads an NDJSON file of commands a chunk at a time, for an import that streams into one transaction
/// (``CommandImporter/ndjson(_:file:)`` reads the whole text at once: a million commands took over a
/// gigabyte). Blank lines and `#` comments are skipped, as there.
///
/// A bad line does not stop the reading: every bad line is collected, and after the last line
/// ``next(limit:)`` throws them all as ``ImportErrors`` (so the transaction the chunks went into is
/// abandoned). After the first bad line the chunks come back empty: nothing more is worth writing.
///
/// It keeps, per command returned, only its line number (4 bytes), to name lines in refusals.
public final class NDJSONCommandReader: Sendable {
    private struct State {
        var handle: FileHandle
        var buffer: [UInt8] = []
        /// Where the unread part of `buffer` starts.
        var start = 0
        var lineNo = 0
        var eof = false
        var errors: [ImportError] = []
        var lines: [Int32] = []
    }
    private let state: Mutex<State>
    public let file: String

    /// Opens `path`; `file` is the name errors give.
    public init(path: String, file: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw ImportError(file: file, line: 0, field: "", message: "cannot read the file")
        }
        self.file = file
        state = Mutex(State(handle: handle))
    }

    /// The next chunk of at most `limit` commands, nil after the last. Throws every bad line at the end.
    public func next(limit: Int = 10_000) throws -> [Command]? {
        try state.withLock { s throws -> [Command]? in
            var out: [Command] = []
            while out.count < limit {
                guard let line = Self.readLine(&s) else { break }
                s.lineNo += 1
                var bytes = line
                if bytes.last == 0x0D { bytes.removeLast() }
                if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) || bytes.first == 0x23 { continue }
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    s.errors.append(ImportError(file: file, line: s.lineNo, field: "", message: "not UTF-8 text"))
                    continue
                }
                do {
                    let command = try Command(jsonText: text)
                    if s.errors.isEmpty {
                        out.append(command)
                        s.lines.append(Int32(truncatingIfNeeded: s.lineNo))
                    }
                } catch let error as DomainError {
                    s.errors.append(ImportError(file: file, line: s.lineNo, field: error.field, message: error.message))
                } catch {
                    s.errors.append(ImportError(file: file, line: s.lineNo, field: "", message: "\(error)"))
                }
            }
            if out.isEmpty, s.eof, s.start >= s.buffer.count {
                if !s.errors.isEmpty { throw ImportErrors(s.errors) }
                return nil
            }
            return out
        }
    }

    /// The line of the `index`-th command returned (from 0), for naming it in a refusal.
    public func line(ofCommand index: Int) -> Int {
        state.withLock { s in index < s.lines.count ? Int(s.lines[index]) : index + 1 }
    }

    /// How many lines a file has (for a progress bar), reading it in blocks.
    public static func lineCount(path: String) -> Int {
        guard let h = FileHandle(forReadingAtPath: path) else { return 0 }
        defer { try? h.close() }
        var n = 0
        while let block = try? h.read(upToCount: 1 << 20), !block.isEmpty {
            n += block.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }
        return n
    }

    /// The next line without its newline, nil at the end of the file.
    private static func readLine(_ s: inout State) -> [UInt8]? {
        while true {
            if let nl = s.buffer[s.start...].firstIndex(of: 0x0A) {
                let line = Array(s.buffer[s.start..<nl])
                s.start = nl + 1
                return line
            }
            if s.eof {
                guard s.start < s.buffer.count else { return nil }
                defer { s.buffer = []; s.start = 0 }
                return Array(s.buffer[s.start...])
            }
            // Keep only the unread part, then read another block.
            s.buffer.removeSubrange(..<s.start)
            s.start = 0
            let block = (try? s.handle.read(upToCount: 1 << 20)) ?? nil
            if let block, !block.isEmpty { s.buffer.append(contentsOf: block) } else { s.eof = true }
        }
    }
}
