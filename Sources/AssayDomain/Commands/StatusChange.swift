/// A move of an agreement or a concession to a new status on a date, with an optional reason.
public struct StatusChange<Status: RawRepresentable & CaseIterable & Sendable & Hashable>: Sendable, Hashable
where Status.RawValue == String {
    public var subject: String
    public var status: Status
    public var date: Day
    public var reason: String?

    public init(subject: String, status: Status, date: Day, reason: String? = nil) {
        self.subject = subject; self.status = status; self.date = date; self.reason = reason
    }

    init(json o: JSONObject, subjectKey: String) throws(DomainError) {
        subject = try o.id(subjectKey)
        status = try o.enumValue("status", Status.self)
        date = try o.day("date")
        reason = try o.optionalString("reason", maxLength: 2000)
    }

    func json(subjectKey: String) -> [String: JSONValue] {
        var m: [String: JSONValue] = [subjectKey: .string(subject), "status": .string(status.rawValue), "date": .string(date.iso)]
        if let reason { m["reason"] = .string(reason) }
        return m
    }
}
