/// Provenance carried by every registered fact: the public sources it rests on, and whether it is
/// synthetic (made up for the demo). Synthetic facts are labelled as such in every view.
public struct Provenance: Sendable, Hashable {
    public var sources: [String]
    public var synthetic: Bool

    public init(sources: [String] = [], synthetic: Bool = false) {
        self.sources = sources
        self.synthetic = synthetic
    }

    /// Reads `sources` (http or https URLs) and `synthetic` from `o`.
    public init(from o: JSONObject) throws(DomainError) {
        let urls = try o.strings("sources", maxCount: 50)
        for (i, u) in urls.enumerated() where !(u.hasPrefix("https://") || u.hasPrefix("http://")) || u.contains(" ") {
            throw DomainError(.invalidField, field: "\(o.path("sources"))[\(i)]", "expected an http(s) URL, found \"\(u)\"")
        }
        sources = urls
        synthetic = try o.optionalBool("synthetic") ?? false
    }

    /// Adds `sources` (when any) and `synthetic` (when true) to a canonical object.
    public func write(into members: inout [String: JSONValue]) {
        if !sources.isEmpty { members["sources"] = .array(sources.map { .string($0) }) }
        if synthetic { members["synthetic"] = .bool(true) }
    }
}

/// A SHA-256 digest written as 64 lower-case hex characters (a document's fingerprint).
public enum SHA256Hex {
    public static func validate(_ s: String, field: String) throws(DomainError) {
        guard s.utf8.count == 64, s.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) else {
            throw DomainError(.invalidField, field: field, "expected a SHA-256 digest as 64 lower-case hex characters")
        }
    }
}
