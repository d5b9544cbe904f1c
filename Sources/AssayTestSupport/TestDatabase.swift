import Foundation

/// The database a storage test runs on: SQLite by default; a live PostgreSQL when the test command
/// sets `ASSAY_TEST_BACKEND=postgres` and `ASSAY_TEST_POSTGRES` to a server's URL (`scripts/test` starts
/// a throwaway cluster with `scripts/pg` and runs the storage suites a second time so). The same
/// assertions then run on both backends: nothing is mocked.
public enum TestDatabase {
    /// Whether this run's storage tests use PostgreSQL.
    public static var isPostgres: Bool { ProcessInfo.processInfo.environment["ASSAY_TEST_BACKEND"] == "postgres" }

    /// The backend's name, for messages.
    public static var backend: String { isPostgres ? "postgres" : "sqlite" }

    /// A new, empty database: a path in the temporary folder, or the URL of a new PostgreSQL database
    /// on the test server (created with `psql`; the cluster's locale is C, as `scripts/pg` makes it).
    public static func fresh(_ label: String = "test") throws -> String {
        let unique = "\(label)-\(UUID().uuidString.prefix(8).lowercased())"
        guard isPostgres else { return NSTemporaryDirectory() + "assay-\(unique).sqlite" }
        let admin = try adminURL()
        let name = "t_" + unique.map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
        try psql(admin, "CREATE DATABASE \(name)")
        return replacingDatabase(of: admin, with: name)
    }

    /// Removes a database made by ``fresh(_:)`` (the SQLite file and its WAL, or the PostgreSQL database).
    public static func remove(_ db: String) {
        if db.hasPrefix("postgres://") {
            guard let admin = try? adminURL(), let name = db.split(separator: "/").last else { return }
            try? psql(admin, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
        } else {
            for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + s) }
        }
    }

    /// Runs one SQL statement on a PostgreSQL test database behind the store's back (tamper tests).
    public static func execute(_ db: String, _ sql: String) throws { try psql(db, sql) }

    /// The URL of the test server (its maintenance database), from `ASSAY_TEST_POSTGRES`.
    public static func adminURL() throws -> String {
        guard let url = ProcessInfo.processInfo.environment["ASSAY_TEST_POSTGRES"], url.hasPrefix("postgres://") else {
            throw Failure(message: "ASSAY_TEST_BACKEND=postgres needs ASSAY_TEST_POSTGRES=postgres://… (scripts/test sets both)")
        }
        return url
    }

    static func replacingDatabase(of url: String, with name: String) -> String {
        guard let slash = url.range(of: "/", options: .backwards), slash.lowerBound > url.index(url.startIndex, offsetBy: 12) else { return url + "/" + name }
        return String(url[..<slash.lowerBound]) + "/" + name
    }

    /// Runs one query with psql and returns its first column of its first row, as text.
    public static func query(_ url: String, _ sql: String) throws -> String {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        p.arguments = ["-X", "-q", "-t", "-A", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql]
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Failure(message: "psql \(sql): exit \(p.terminationStatus): \(String(decoding: errors, as: UTF8.self))")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").first.map(String.init) ?? ""
    }

    /// Runs one statement with psql, failing with its output.
    static func psql(_ url: String, _ sql: String) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/psql")
        p.arguments = ["-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url, "-c", sql]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        let data = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else {
            throw Failure(message: "psql \(sql): exit \(p.terminationStatus): \(String(decoding: data, as: UTF8.self))")
        }
    }

    /// The test database could not be made or reached.
    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var description: String { message }
    }
}
