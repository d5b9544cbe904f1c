/// The rules the registrar sets for custody events: how late an event may arrive, and how much heavier
/// than its inputs a step's outputs may weigh before it is flagged (scales differ; moisture changes).
///
/// Recorded in the journal (`set-custody-policy`), so replay applies the same policy at the same point.
/// Until one is recorded, ``default`` holds.
public struct CustodyPolicy: Sendable, Hashable {
    /// An event whose time is more than this many days before it reaches the registry is refused.
    public var lateWindowDays: Int
    /// Outputs may exceed inputs by this share before `custody.mass-gain` is raised, per step.
    public var tolerances: [CustodyEventKind: Percent]

    public static let maxFutureSkewMilliseconds: Int64 = 5 * 60 * 1000
    public static let `default` = CustodyPolicy(lateWindowDays: 30, tolerances: [
        .weighing: Percent(basisPoints: 100), .split: Percent(basisPoints: 50), .blend: Percent(basisPoints: 50),
        .processing: Percent(basisPoints: 0),
    ])

    public init(lateWindowDays: Int, tolerances: [CustodyEventKind: Percent]) {
        self.lateWindowDays = lateWindowDays; self.tolerances = tolerances
    }

    public func tolerance(for kind: CustodyEventKind) -> Percent {
        tolerances[kind] ?? CustodyPolicy.default.tolerances[kind] ?? Percent(basisPoints: 0)
    }

    public init(json o: JSONObject) throws(DomainError) {
        guard let days = try o.optionalInt("lateWindowDays") else { throw DomainError(.missingField, field: o.path("lateWindowDays"), "is required") }
        guard (0...36_500).contains(days) else { throw DomainError(.invalidField, field: o.path("lateWindowDays"), "must be between 0 and 36500 days") }
        lateWindowDays = Int(days)
        var t: [CustodyEventKind: Percent] = [:]
        if let obj = try o.optionalObject("tolerances") {
            for key in obj.members.keys.sorted() {
                guard let kind = CustodyEventKind(rawValue: key), [.weighing, .split, .blend, .processing].contains(kind) else {
                    throw DomainError(.invalidField, field: obj.path(key), "tolerances apply to weighing, split, blend and processing")
                }
                t[kind] = try Percent(percent: obj.decimal(key), field: obj.path(key))
            }
        }
        tolerances = t
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["lateWindowDays": .int(Int64(lateWindowDays))]
        if !tolerances.isEmpty {
            m["tolerances"] = .object(Dictionary(uniqueKeysWithValues: tolerances.map { ($0.key.rawValue, .string($0.value.text)) }))
        }
        return m
    }
}
