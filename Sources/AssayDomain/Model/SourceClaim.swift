/// What one source says about one fact (`record-claim`): the subject (any entity), the field ("date",
/// "role", "name", "figure"…), the value as the source gives it, and how far it is trusted. Sources that
/// disagree are recorded side by side, never merged; at most one claim per subject and field is the one the
/// registry uses, with the reason.
///
/// For example: `{"type":"record-claim","id":"c1","subject":"ev-visit","field":"date","value":"2025-03-16","source":"https://…","confidence":"high","used":true,"reason":"…"}`.
public struct SourceClaim: Sendable, Hashable {
    public var id: String
    public var subject: String
    public var field: String
    public var value: String
    public var source: String
    public var confidence: Confidence
    public var used: Bool
    public var reason: String?

    public init(id: String, subject: String, field: String, value: String, source: String, confidence: Confidence, used: Bool = false, reason: String? = nil) {
        self.id = id; self.subject = subject; self.field = field; self.value = value; self.source = source
        self.confidence = confidence; self.used = used; self.reason = reason
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        subject = try o.id("subject")
        field = try o.string("field", maxLength: 60)
        value = try o.string("value", maxLength: 2000)
        source = try o.string("source", maxLength: 2000)
        guard source.hasPrefix("https://") || source.hasPrefix("http://"), !source.contains(" ") else {
            throw DomainError(.invalidField, field: o.path("source"), "expected the http(s) URL of the source")
        }
        confidence = try o.enumValue("confidence", Confidence.self)
        used = try o.optionalBool("used") ?? false
        reason = try o.optionalString("reason", maxLength: 2000)
        if used, reason == nil { throw DomainError(.missingField, field: o.path("reason"), "say why the registry uses this claim") }
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["id": .string(id), "subject": .string(subject), "field": .string(field), "value": .string(value),
                                      "source": .string(source), "confidence": .string(confidence.rawValue)]
        if used { m["used"] = .bool(true) }
        if let reason { m["reason"] = .string(reason) }
        return m
    }
}
