/// One entry of the journal: a command with its sequence number, time, author and schema version.
///
/// Its canonical bytes (``bytes``) are what the log hashes, so they are fixed at append time and
/// stored as they are; ``init(bytes:)`` reads them back, and re-encoding what it read gives the same
/// bytes (a test holds this for every command type).
public struct JournalEntry: Sendable, Hashable {
    /// The version of the entry and command format. Replay refuses entries of a version it does not know.
    public static let schemaVersion: Int64 = 1

    /// 1-based, contiguous.
    public var sequence: Int64
    public var time: Timestamp
    /// Who appended it (a user, a token's name, `demo`, `import:FILE`).
    public var author: String
    public var schema: Int64
    public var command: Command

    public init(sequence: Int64, time: Timestamp, author: String, command: Command) {
        self.sequence = sequence; self.time = time; self.author = author; self.schema = Self.schemaVersion
        self.command = command
    }

    public var json: JSONValue {
        .object(["seq": .int(sequence), "time": .string(time.iso), "author": .string(author), "schema": .int(schema),
                 "command": command.json])
    }

    /// RFC 8785 canonical bytes.
    public var bytes: [UInt8] {
        JournalEntry.bytes(sequence: sequence, time: time, author: author, commandBytes: CanonicalJSON.encode(command.json))
    }

    /// The canonical bytes of an entry around a command already encoded canonically, without encoding it
    /// again: the members in canonical order (`author`, `command`, `schema`, `seq`, `time`). Equal to
    /// `CanonicalJSON.encode(json)` (a test holds it).
    public static func bytes(sequence: Int64, time: Timestamp, author: String, commandBytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(commandBytes.count + author.utf8.count + 96)
        out.append(contentsOf: Array(#"{"author":"#.utf8))
        CanonicalJSON.writeString(author, into: &out)
        out.append(contentsOf: Array(#","command":"#.utf8))
        out.append(contentsOf: commandBytes)
        out.append(contentsOf: Array(#","schema":"#.utf8))
        CanonicalJSON.writeInt(schemaVersion, into: &out)
        out.append(contentsOf: Array(#","seq":"#.utf8))
        CanonicalJSON.writeInt(sequence, into: &out)
        out.append(contentsOf: Array(#","time":"#.utf8))
        CanonicalJSON.writeString(time.iso, into: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }

    /// Reads an entry from its stored bytes.
    public init(bytes: [UInt8]) throws(DomainError) {
        let value: JSONValue
        do { value = try JSONParser.parse(bytes) } catch { throw DomainError(.invalidField, field: "entry", error.description) }
        try self.init(value: value)
    }

    /// Reads an entry from its parsed JSON (after any sealed details were put back by the store).
    public init(value: JSONValue) throws(DomainError) {
        let o = try JSONObject(value, path: "")
        guard let seq = try o.optionalInt("seq"), seq > 0 else { throw DomainError(.missingField, field: "seq", "is required") }
        sequence = seq
        time = try Timestamp(iso: o.string("time"), field: "time")
        author = try o.string("author", maxLength: 200)
        schema = try o.optionalInt("schema") ?? 0
        guard schema == Self.schemaVersion else {
            throw DomainError(.invalidField, field: "schema", "entry schema \(schema) is not supported (this build reads \(Self.schemaVersion))")
        }
        do { command = try Command(json: o.value("command")) } catch { throw error.nested(under: "command") }
        try o.rejectUnknown()
    }
}

/// A UTC instant with millisecond precision, written as `2026-11-23T21:04:05.123Z`.
public struct Timestamp: Sendable, Hashable, Comparable {
    public var milliseconds: Int64

    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    public static func < (a: Timestamp, b: Timestamp) -> Bool { a.milliseconds < b.milliseconds }

    public var day: Day { Day(ordinal: Int32((milliseconds - (milliseconds % 86_400_000 + 86_400_000) % 86_400_000) / 86_400_000)) }

    public var iso: String {
        let msOfDay = (milliseconds % 86_400_000 + 86_400_000) % 86_400_000
        let h = msOfDay / 3_600_000, mi = msOfDay / 60_000 % 60, s = msOfDay / 1000 % 60, ms = msOfDay % 1000
        func p(_ v: Int64, _ w: Int) -> String { let t = String(v); return String(repeating: "0", count: w - t.count) + t }
        return "\(day.iso)T\(p(h, 2)):\(p(mi, 2)):\(p(s, 2)).\(p(ms, 3))Z"
    }

    /// Parses exactly the form ``iso`` writes.
    public init(iso text: String, field: String) throws(DomainError) {
        let u = Array(text.utf8)
        guard u.count == 24, u[10] == UInt8(ascii: "T"), u[13] == UInt8(ascii: ":"), u[16] == UInt8(ascii: ":"),
              u[19] == UInt8(ascii: "."), u[23] == UInt8(ascii: "Z"),
              let h = Int64(String(decoding: u[11..<13], as: UTF8.self)), let mi = Int64(String(decoding: u[14..<16], as: UTF8.self)),
              let s = Int64(String(decoding: u[17..<19], as: UTF8.self)), let ms = Int64(String(decoding: u[20..<23], as: UTF8.self)),
              h < 24, mi < 60, s < 60 else {
            throw DomainError(.invalidField, field: field, "expected a UTC time like 2026-11-23T21:04:05.123Z")
        }
        let day = try Day(iso: String(decoding: u[0..<10], as: UTF8.self), field: field)
        milliseconds = Int64(day.ordinal) * 86_400_000 + h * 3_600_000 + mi * 60_000 + s * 1000 + ms
    }
}
