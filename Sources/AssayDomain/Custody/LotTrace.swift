/// One event along a lot's chain of custody, with the check of its signature made when it was read.
public struct TracedEvent: Sendable, Hashable {
    public var sequence: Int64
    public var signed: SignedCustodyEvent
    /// The key's party and public key (base64) as registered.
    public var keyParty: String?
    public var publicKey: String?
    /// The signature verifies with the registered key over the event's canonical bytes.
    public var verified: Bool
    /// The lots the event touched.
    public var lots: [String]

    public init(sequence: Int64, signed: SignedCustodyEvent, keyParty: String?, publicKey: String?, verified: Bool, lots: [String]) {
        self.sequence = sequence; self.signed = signed; self.keyParty = keyParty; self.publicKey = publicKey; self.verified = verified; self.lots = lots
    }

    public var json: JSONValue {
        let e = signed.event
        var m: [String: JSONValue] = [
            "seq": .int(sequence), "id": .string(e.id), "kind": .string(e.kind.rawValue), "time": .string(e.time.iso), "party": .string(e.party),
            "key": .string(e.key), "verified": .bool(verified), "lots": .array(lots.map { .string($0) }), "event": signed.raw,
            "signature": .string(signed.json["signature"].flatMap { if case .string(let s) = $0 { s } else { nil } } ?? ""),
        ]
        if let publicKey { m["publicKey"] = .string(publicKey) }
        if let keyParty { m["keyParty"] = .string(keyParty) }
        return .object(m)
    }
}

/// Where a lot came from and where it went: its ancestors and descendants through splits, blends and
/// processing, the edges between them, its origin breakdown, the custody chain (its own and its
/// ancestors' events, by time) and every flag on any of them.
public struct LotTrace: Sendable {
    public var lot: LotRecord
    /// With their distance from the lot (1 = parent).
    public var ancestors: [(lot: LotRecord, depth: Int)]
    public var descendants: [(lot: LotRecord, depth: Int)]
    public var edges: [(parent: String, child: String, event: String, grams: Int64)]
    public var events: [TracedEvent]
    public var flags: [CustodyFlag]
    /// Site and title names for the origins, by id.
    public var names: [String: String]

    public init(lot: LotRecord, ancestors: [(lot: LotRecord, depth: Int)], descendants: [(lot: LotRecord, depth: Int)],
                edges: [(parent: String, child: String, event: String, grams: Int64)], events: [TracedEvent], flags: [CustodyFlag],
                names: [String: String]) {
        self.lot = lot; self.ancestors = ancestors; self.descendants = descendants; self.edges = edges; self.events = events
        self.flags = flags; self.names = names
    }

    public var allSignaturesVerified: Bool { events.allSatisfy(\.verified) }

    public var originsJSON: JSONValue {
        .array(lot.origins.map { o in
            var m: [String: JSONValue] = ["site": .string(o.site), "share": .string(String(format: "%.4f", o.share)),
                                          "massKg": .string(Mass(grams: Int64((Double(lot.mass.grams) * o.share).rounded())).kilogramText)]
            if let n = names[o.site] { m["siteName"] = .string(n) }
            if let c = o.concession { m["concession"] = .string(c); if let n = names[c] { m["concessionName"] = .string(n) } }
            return .object(m)
        })
    }

    public var json: JSONValue {
        .object([
            "lot": lot.json,
            "origins": originsJSON,
            "ancestors": .array(ancestors.map { a in
                guard case .object(var m) = a.lot.json else { return .null }
                m["depth"] = .int(Int64(a.depth)); return .object(m)
            }),
            "descendants": .array(descendants.map { d in
                guard case .object(var m) = d.lot.json else { return .null }
                m["depth"] = .int(Int64(d.depth)); return .object(m)
            }),
            "edges": .array(edges.map { .object(["parent": .string($0.parent), "child": .string($0.child), "event": .string($0.event),
                                                  "massKg": .string(Mass(grams: $0.grams).kilogramText)]) }),
            "custodyChain": .array(events.map(\.json)),
            "allSignaturesVerified": .bool(allSignaturesVerified),
            "flags": .array(flags.map(\.json)),
        ])
    }
}
