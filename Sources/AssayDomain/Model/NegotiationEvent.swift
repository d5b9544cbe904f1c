/// What happened in a negotiation, as a lobbying register or a diplomatic chronology records it.
public enum EventKind: String, Sendable, CaseIterable {
    case proposal, letter, visit, meeting, call, statement
    /// Someone acted for a client (`onBehalfOf`) towards officials.
    case lobbying
    /// A joint body (a party made of other parties) decided something.
    case decision
}

/// How exactly the date is known: to the day, or only the month (the day is then the 1st).
public enum DatePrecision: String, Sendable, CaseIterable {
    case day, month
}

/// One dated event of the record (`record-event`): a proposal, a letter, a visit, a meeting, a call, a
/// statement, a lobbying contact or a joint body's decision — who acted, who took part, for whom, which
/// agreements it concerns and what it changed, each with its sources.
public struct NegotiationEvent: Sendable, Hashable {
    public var id: String
    public var kind: EventKind
    public var date: Day
    public var precision: DatePrecision
    public var title: String
    public var summary: String?
    public var agreements: [String]
    /// Who acted: wrote, visited, hosted, lobbied, decided (a decision's one actor is the joint body).
    public var actors: [String]
    /// Who else took part or was addressed.
    public var participants: [String]
    /// For lobbying: the client the actors acted for.
    public var onBehalfOf: String?
    /// Entities the event changed (a decision designating a reserve names the reserve).
    public var changes: [String]
    public var provenance: Provenance

    public init(id: String, kind: EventKind, date: Day, precision: DatePrecision = .day, title: String, summary: String? = nil,
                agreements: [String] = [], actors: [String], participants: [String] = [], onBehalfOf: String? = nil,
                changes: [String] = [], provenance: Provenance) {
        self.id = id; self.kind = kind; self.date = date; self.precision = precision; self.title = title; self.summary = summary
        self.agreements = agreements; self.actors = actors; self.participants = participants; self.onBehalfOf = onBehalfOf
        self.changes = changes; self.provenance = provenance
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.id("id")
        kind = try o.enumValue("kind", EventKind.self)
        date = try o.day("date")
        precision = try o.optionalEnum("precision", DatePrecision.self) ?? .day
        if precision == .month, date.components.day != 1 {
            throw DomainError(.invalidField, field: o.path("date"), "a date known to the month is written as its first day (\(date.firstOfMonth.iso))")
        }
        title = try o.string("title", maxLength: 500)
        summary = try o.optionalString("summary", maxLength: 4000)
        func ids(_ key: String) throws(DomainError) -> [String] {
            let list = try o.strings(key, maxCount: 50)
            for (i, s) in list.enumerated() { try Identifier.validate(s, field: "\(o.path(key))[\(i)]") }
            return list
        }
        agreements = try ids("agreements")
        actors = try ids("actors")
        if actors.isEmpty { throw DomainError(.missingField, field: o.path("actors"), "name who acted (at least one party)") }
        participants = try ids("participants")
        onBehalfOf = try o.optionalID("onBehalfOf")
        changes = try ids("changes")
        provenance = try Provenance(from: o)
        if kind == .lobbying, onBehalfOf == nil {
            throw DomainError(.missingField, field: o.path("onBehalfOf"), "a lobbying contact names the client it was made for")
        }
        if kind != .lobbying, onBehalfOf != nil {
            throw DomainError(.invalidField, field: o.path("onBehalfOf"), "only a lobbying contact is made on behalf of someone")
        }
        if kind == .decision, actors.count != 1 {
            throw DomainError(.invalidField, field: o.path("actors"), "a decision has one actor: the joint body that took it")
        }
        if provenance.sources.isEmpty, !provenance.synthetic {
            throw DomainError(.missingField, field: o.path("sources"), "give the sources of the event, or label it synthetic")
        }
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["id": .string(id), "kind": .string(kind.rawValue), "date": .string(date.iso), "title": .string(title),
                                      "actors": .array(actors.map { .string($0) })]
        if precision != .day { m["precision"] = .string(precision.rawValue) }
        if let summary { m["summary"] = .string(summary) }
        if !agreements.isEmpty { m["agreements"] = .array(agreements.map { .string($0) }) }
        if !participants.isEmpty { m["participants"] = .array(participants.map { .string($0) }) }
        if let onBehalfOf { m["onBehalfOf"] = .string(onBehalfOf) }
        if !changes.isEmpty { m["changes"] = .array(changes.map { .string($0) }) }
        provenance.write(into: &m)
        return m
    }

    /// Every party the event names, with its role: `actor`, `participant` or `client`.
    public var parties: [(party: String, role: String)] {
        actors.map { ($0, "actor") } + participants.map { ($0, "participant") } + (onBehalfOf.map { [($0, "client")] } ?? [])
    }

    /// The date as known: `2025-03-16`, or `2025-03` when only the month is.
    public var dateText: String { precision == .month ? date.monthKey : date.iso }
}
