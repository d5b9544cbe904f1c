import Foundation

/// The form a lot's material is in, from the pit to the refinery.
public enum ProductForm: String, Sendable, CaseIterable {
    case ore, concentrate, hydroxide, carbonate, sulphate, oxide, cathode, ingot, metal, other
}

/// A new lot an event creates: its id is its physical tag.
public struct LotSpec: Sendable, Hashable {
    public var id: String
    /// Required on extraction; split, blend and processing outputs default to their input's.
    public var mineral: Mineral?
    public var form: ProductForm?
    public var mass: Mass
    public var grade: Percent?
    public var moisture: Percent?

    public init(id: String, mineral: Mineral? = nil, form: ProductForm? = nil, mass: Mass, grade: Percent? = nil, moisture: Percent? = nil) {
        self.id = id; self.mineral = mineral; self.form = form; self.mass = mass; self.grade = grade; self.moisture = moisture
    }

    init(json o: JSONObject) throws(DomainError) {
        id = try o.tag("id")
        mineral = try o.optionalString("mineral", maxLength: 100).map { s throws(DomainError) in
            guard let m = Mineral.named(s) else { throw DomainError(.invalidField, field: o.path("mineral"), "unknown mineral \"\(s)\"") }
            return m
        }
        form = try o.optionalEnum("form", ProductForm.self)
        mass = try Mass(kilograms: o.decimal("massKg"), field: o.path("massKg"))
        grade = try o.optionalDecimal("grade").map { d throws(DomainError) in try Percent(percent: d, field: o.path("grade")) }
        moisture = try o.optionalDecimal("moisture").map { d throws(DomainError) in try Percent(percent: d, field: o.path("moisture")) }
        try o.rejectUnknown()
    }

    var json: JSONValue {
        var m: [String: JSONValue] = ["id": .string(id), "massKg": .string(mass.kilogramText)]
        if let mineral { m["mineral"] = .string(mineral.rawValue) }
        if let form { m["form"] = .string(form.rawValue) }
        if let grade { m["grade"] = .string(grade.text) }
        if let moisture { m["moisture"] = .string(moisture.text) }
        return .object(m)
    }
}

/// What a custody event does.
public enum CustodyEventKind: String, Sendable, CaseIterable {
    case extraction, tagging, weighing, transfer, acceptance, transport, processing, split, blend, export, receipt
}

/// One act along a chain of custody, as the acting party signs it: who did what to which lots, when.
///
/// Events carry the time of the act, which may be well before they reach the registry (mine sites are
/// often offline: store and forward), within the policy's late window.
///
/// For example:
/// ```json
/// {"id":"ev-1","kind":"extraction","time":"2025-01-02T08:00:00.000Z","party":"alphamin","key":"alphamin-2025",
///  "site":"bisie","lot":{"id":"BIS-0001","mineral":"tin","form":"concentrate","massKg":"1250.5","grade":"60"}}
/// ```
public struct CustodyEvent: Sendable, Hashable {
    public enum Body: Sendable, Hashable {
        /// Creates a lot at a mine or artisanal site.
        case extraction(site: String, lot: LotSpec)
        /// Attaches another physical tag (a bag seal, an iTSCi number) to a lot.
        case tagging(lot: String, tag: String)
        /// Records a new measured mass (and moisture).
        case weighing(lot: String, mass: Mass, moisture: Percent?)
        /// Offers a lot to another party; it moves when the receiver accepts.
        case transfer(lot: String, to: String)
        /// The receiver's acceptance of a transfer.
        case acceptance(lot: String, transfer: String)
        /// Moves a lot from one site to another.
        case transport(lot: String, from: String?, to: String)
        /// Turns input lots into output lots of another form and grade.
        case processing(site: String?, inputs: [String], outputs: [LotSpec])
        case split(lot: String, outputs: [LotSpec])
        case blend(inputs: [String], output: LotSpec)
        /// Crosses a border towards a consignee abroad, who completes it with a receipt.
        case export(lot: String, crossing: String, destination: String, consignee: String, declaredValue: Money, hsCode: String)
        /// A smelter's or refinery's receipt of an exported lot.
        case receipt(lot: String, site: String?)
    }

    public var id: String
    public var time: Timestamp
    /// The acting party: the holder of the lots (the receiver for acceptance and receipt).
    public var party: String
    /// The id of the registered key that signed the event.
    public var key: String
    public var note: String?
    public var body: Body

    public init(id: String, time: Timestamp, party: String, key: String, note: String? = nil, body: Body) {
        self.id = id; self.time = time; self.party = party; self.key = key; self.note = note; self.body = body
    }

    public var kind: CustodyEventKind {
        switch body {
        case .extraction: .extraction; case .tagging: .tagging; case .weighing: .weighing; case .transfer: .transfer
        case .acceptance: .acceptance; case .transport: .transport; case .processing: .processing; case .split: .split
        case .blend: .blend; case .export: .export; case .receipt: .receipt
        }
    }

    /// The existing lots the event acts on.
    public var inputLots: [String] {
        switch body {
        case .extraction: []
        case .tagging(let l, _), .weighing(let l, _, _), .transfer(let l, _), .acceptance(let l, _), .transport(let l, _, _),
             .split(let l, _), .export(let l, _, _, _, _, _), .receipt(let l, _): [l]
        case .processing(_, let inputs, _), .blend(let inputs, _): inputs
        }
    }

    /// The lots the event creates.
    public var outputLots: [LotSpec] {
        switch body {
        case .extraction(_, let lot): [lot]
        case .processing(_, _, let outputs), .split(_, let outputs): outputs
        case .blend(_, let output): [output]
        default: []
        }
    }

    public init(json o: JSONObject) throws(DomainError) {
        id = try o.tag("id")
        let kind = try o.enumValue("kind", CustodyEventKind.self)
        time = try Timestamp(iso: o.string("time"), field: o.path("time"))
        party = try o.id("party")
        key = try o.id("key")
        note = try o.optionalString("note", maxLength: 2000)
        func outputs(_ key: String) throws(DomainError) -> [LotSpec] {
            let items = try o.array(key, maxCount: 1000)
            if items.isEmpty { throw DomainError(.missingField, field: o.path(key), "name at least one output lot") }
            var out: [LotSpec] = []
            for (v, p) in items { out.append(try LotSpec(json: JSONObject(v, path: p))) }
            return out
        }
        func inputs() throws(DomainError) -> [String] {
            let items = try o.array("inputs", maxCount: 1000)
            if items.isEmpty { throw DomainError(.missingField, field: o.path("inputs"), "name at least one input lot") }
            var out: [String] = []
            for (v, p) in items {
                guard case .string(let s) = v else { throw DomainError(.invalidField, field: p, "expected a lot id, found \(v.typeName)") }
                try Identifier.validateTag(s, field: p)
                if out.contains(s) { throw DomainError(.invalidField, field: p, "lot \(s) is named twice") }
                out.append(s)
            }
            return out
        }
        switch kind {
        case .extraction:
            let lot = try LotSpec(json: o.object("lot"))
            if lot.mineral == nil { throw DomainError(.missingField, field: o.path("lot.mineral"), "an extracted lot names its mineral") }
            body = .extraction(site: try o.id("site"), lot: lot)
        case .tagging:
            body = .tagging(lot: try o.tag("lot"), tag: try o.tag("tag"))
        case .weighing:
            body = .weighing(lot: try o.tag("lot"), mass: try Mass(kilograms: o.decimal("massKg"), field: o.path("massKg")),
                             moisture: try o.optionalDecimal("moisture").map { d throws(DomainError) in try Percent(percent: d, field: o.path("moisture")) })
        case .transfer:
            body = .transfer(lot: try o.tag("lot"), to: try o.id("to"))
        case .acceptance:
            body = .acceptance(lot: try o.tag("lot"), transfer: try o.tag("transfer"))
        case .transport:
            body = .transport(lot: try o.tag("lot"), from: try o.optionalID("from"), to: try o.id("to"))
        case .processing:
            body = .processing(site: try o.optionalID("site"), inputs: try inputs(), outputs: try outputs("outputs"))
        case .split:
            let outs = try outputs("outputs")
            if outs.count < 2 { throw DomainError(.invalidField, field: o.path("outputs"), "a split makes at least two lots") }
            body = .split(lot: try o.tag("lot"), outputs: outs)
        case .blend:
            let ins = try inputs()
            if ins.count < 2 { throw DomainError(.invalidField, field: o.path("inputs"), "a blend takes at least two lots") }
            body = .blend(inputs: ins, output: try LotSpec(json: o.object("output")))
        case .export:
            let destination = try o.string("destination", maxLength: 2)
            try Country.validate(destination, field: o.path("destination"))
            if destination == "CD" { throw DomainError(.invalidField, field: o.path("destination"), "an export leaves the DRC; use transport within it") }
            let hs = try o.string("hsCode", maxLength: 10)
            let digits = hs.utf8.filter { $0 != UInt8(ascii: ".") }
            guard (4...8).contains(digits.count), digits.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), hs.utf8.first != UInt8(ascii: ".") else {
                throw DomainError(.invalidField, field: o.path("hsCode"), "expected a Harmonized System code like \"2609.00\"")
            }
            body = .export(lot: try o.tag("lot"), crossing: try o.id("crossing"), destination: destination,
                           consignee: try o.id("consignee"), declaredValue: try Money(json: o.object("declaredValue")), hsCode: hs)
        case .receipt:
            body = .receipt(lot: try o.tag("lot"), site: try o.optionalID("site"))
        }
        try o.rejectUnknown()
        for (i, out) in outputLots.enumerated() where inputLots.contains(out.id) {
            throw DomainError(.invalidField, field: o.path("outputs[\(i)].id"), "an output cannot reuse an input's tag \(out.id)")
        }
        let ids = outputLots.map(\.id)
        if Set(ids).count != ids.count { throw DomainError(.invalidField, field: o.path("outputs"), "two outputs share a tag") }
    }

    public var json: JSONValue {
        var m: [String: JSONValue] = ["id": .string(id), "kind": .string(kind.rawValue), "time": .string(time.iso),
                                      "party": .string(party), "key": .string(key)]
        if let note { m["note"] = .string(note) }
        switch body {
        case .extraction(let site, let lot): m["site"] = .string(site); m["lot"] = lot.json
        case .tagging(let lot, let tag): m["lot"] = .string(lot); m["tag"] = .string(tag)
        case .weighing(let lot, let mass, let moisture):
            m["lot"] = .string(lot); m["massKg"] = .string(mass.kilogramText)
            if let moisture { m["moisture"] = .string(moisture.text) }
        case .transfer(let lot, let to): m["lot"] = .string(lot); m["to"] = .string(to)
        case .acceptance(let lot, let transfer): m["lot"] = .string(lot); m["transfer"] = .string(transfer)
        case .transport(let lot, let from, let to):
            m["lot"] = .string(lot); m["to"] = .string(to)
            if let from { m["from"] = .string(from) }
        case .processing(let site, let inputs, let outputs):
            if let site { m["site"] = .string(site) }
            m["inputs"] = .array(inputs.map { .string($0) }); m["outputs"] = .array(outputs.map(\.json))
        case .split(let lot, let outputs): m["lot"] = .string(lot); m["outputs"] = .array(outputs.map(\.json))
        case .blend(let inputs, let output): m["inputs"] = .array(inputs.map { .string($0) }); m["output"] = output.json
        case .export(let lot, let crossing, let destination, let consignee, let value, let hs):
            m["lot"] = .string(lot); m["crossing"] = .string(crossing); m["destination"] = .string(destination)
            m["consignee"] = .string(consignee); m["declaredValue"] = value.json; m["hsCode"] = .string(hs)
        case .receipt(let lot, let site):
            m["lot"] = .string(lot)
            if let site { m["site"] = .string(site) }
        }
        return .object(m)
    }
}

/// A custody event with its signature, exactly as the operator sent it: the signature covers the
/// RFC 8785 canonical bytes of `raw` (the `event` member), so the registry keeps `raw` as received and
/// anyone can check the signature again from the journal alone.
///
/// Command JSON: `{"type":"custody-event","event":{…},"signature":"<base64 of 64 bytes>"}`.
///
/// An event submitted as a SCITT signed statement (a COSE_Sign1 whose payload is the canonical bytes of
/// `raw`) also keeps the statement's protected header, `"coseProtected":"<base64>"`: its signature covers
/// the COSE Sig_structure, and ``COSEStatement`` rebuilds the statement byte for byte.
public struct SignedCustodyEvent: Sendable, Hashable {
    public var event: CustodyEvent
    public var raw: JSONValue
    public var signature: [UInt8]
    /// The protected header of the COSE_Sign1 statement the event came in, or nil for a plain JSON signature.
    public var coseProtected: [UInt8]?
    /// The public key this signature was already checked with (off the writer, on any core), if it
    /// was: validation then only compares keys. Not part of the event: ignored by `==` and hashing.
    public var preverifiedKey: [UInt8]?

    public static func == (a: SignedCustodyEvent, b: SignedCustodyEvent) -> Bool {
        a.event == b.event && a.raw == b.raw && a.signature == b.signature && a.coseProtected == b.coseProtected
    }

    public func hash(into h: inout Hasher) {
        h.combine(raw)
        h.combine(signature)
        h.combine(coseProtected)
    }

    /// Signs `event` (the offline half of `assay sign`): the caller supplies the Ed25519 signing function.
    public init(event: CustodyEvent, sign: ([UInt8]) throws -> [UInt8]) rethrows {
        self.event = event
        self.raw = event.json
        self.signature = try sign(CanonicalJSON.encode(raw))
    }

    public init(json o: JSONObject) throws(DomainError) {
        let value = try o.value("event")
        try SignedCustodyEvent.refuseFractionLiterals(value, path: o.path("event"))
        raw = value
        event = try CustodyEvent(json: JSONObject(value, path: o.path("event")))
        let text = try o.string("signature", maxLength: 200)
        guard let sig = Data(base64Encoded: text), sig.count == 64 else {
            throw DomainError(.invalidField, field: o.path("signature"), "expected the base64 of a 64-byte Ed25519 signature")
        }
        signature = [UInt8](sig)
        coseProtected = try COSEStatement.protectedHeader(o, key: event.key)
    }

    /// The bytes the signature covers: the canonical bytes of `raw`, or for a COSE statement its Sig_structure.
    public var signedBytes: [UInt8] {
        let payload = CanonicalJSON.encode(raw)
        return coseProtected.map { COSEStatement.signedBytes(protected: $0, payload: payload) } ?? payload
    }

    public var json: [String: JSONValue] {
        var m: [String: JSONValue] = ["event": raw, "signature": .string(Data(signature).base64EncodedString())]
        if let coseProtected { m["coseProtected"] = .string(Data(coseProtected).base64EncodedString()) }
        return m
    }

    /// JSON numbers with fractions have no single canonical spelling across tools; signed events write
    /// decimals as strings so every verifier hashes the same bytes.
    static func refuseFractionLiterals(_ v: JSONValue, path: String) throws(DomainError) {
        switch v {
        case .decimal(let t):
            throw DomainError(.invalidField, field: path, "write decimal numbers as strings (\"\(t)\") so the signed bytes are canonical")
        case .array(let items):
            for (i, x) in items.enumerated() { try refuseFractionLiterals(x, path: "\(path)[\(i)]") }
        case .object(let m):
            for k in m.keys.sorted() { try refuseFractionLiterals(m[k]!, path: path + "." + k) }
        default: break
        }
    }
}
