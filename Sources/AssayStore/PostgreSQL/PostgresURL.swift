import Foundation

/// A PostgreSQL address as Assay takes it: `postgres://USER[:PASSWORD]@HOST[:PORT][,HOST[:PORT]…]/DATABASE`.
/// Several hosts name the nodes of one highly available cluster (as libpq's multi-host URLs do): the
/// writer connects to whichever is the primary now, and finds the new one after a failover.
public struct PostgresURL: Sendable, Hashable, CustomStringConvertible {
    public var hosts: [Host]
    public var user: String
    public var password: String?
    public var database: String

    /// One node's address.
    public struct Host: Sendable, Hashable {
        public var name: String
        public var port: Int
    }

    /// Whether `text` is meant as a PostgreSQL address rather than a SQLite file path.
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    public init(_ text: String) throws {
        func bad(_ why: String) -> PostgresFailure {
            PostgresFailure("'\(PostgresURL.redacted(text))' is not a PostgreSQL URL (\(why)); give postgres://USER@HOST:PORT/DATABASE (scripts/pg start prints one)")
        }
        guard let scheme = text.range(of: "://"), PostgresURL.isPostgres(text) else { throw bad("it must start with postgres://") }
        var rest = text[scheme.upperBound...]
        if let q = rest.firstIndex(of: "?") { rest = rest[..<q] }
        guard let at = rest.lastIndex(of: "@") else { throw bad("no USER@ before the host") }
        let userInfo = rest[..<at]
        let afterAt = rest[rest.index(after: at)...]
        guard let slash = afterAt.firstIndex(of: "/") else { throw bad("no /DATABASE after the host") }
        let hostList = afterAt[..<slash]
        let db = afterAt[afterAt.index(after: slash)...]
        let userParts = userInfo.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        user = String(userParts[0]).removingPercentEncoding ?? String(userParts[0])
        password = userParts.count > 1 ? (String(userParts[1]).removingPercentEncoding ?? String(userParts[1])) : nil
        database = String(db).removingPercentEncoding ?? String(db)
        guard !user.isEmpty else { throw bad("the user is empty") }
        guard !database.isEmpty else { throw bad("the database name is empty") }
        hosts = try hostList.split(separator: ",").map { h in
            let parts = h.split(separator: ":", maxSplits: 1)
            guard let name = parts.first, !name.isEmpty else { throw bad("an empty host") }
            var port = 5432
            if parts.count > 1 {
                guard let p = Int(parts[1]), (1...65535).contains(p) else { throw bad("port '\(parts[1])' is not a number from 1 to 65535") }
                port = p
            }
            return Host(name: String(name), port: port)
        }
        guard !hosts.isEmpty else { throw bad("no host") }
    }

    /// The URL without its password, for messages and logs.
    public var description: String {
        "postgres://\(user)@\(hosts.map { "\($0.name):\($0.port)" }.joined(separator: ","))/\(database)"
    }

    /// `text` with any password replaced by `***` (secrets are never logged).
    public static func redacted(_ text: String) -> String {
        guard let scheme = text.range(of: "://"), let at = text[scheme.upperBound...].lastIndex(of: "@") else { return text }
        let userInfo = text[scheme.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}

/// Something PostgreSQL refused or could not do that is not a storage failure (a bug or a setup error),
/// with the server's own message.
public struct PostgresFailure: Error, Sendable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
