import AssayDomain
import Foundation

/// The demo's chain of custody: SYNTHETIC lots (every event says so in its note) flowing from real
/// sites — Bisie's tin, Rubaya's coltan, Kolwezi's (KCC) cobalt — through synthetic traders, exporters
/// and refiners, some clean and some flagged; synthetic reference prices and royalty payments.
///
/// The demo's operator keys come from fixed seeds so the demo journal is the same everywhere: they are
/// public, demo-only keys.
enum DemoCustody {
    /// Synthetic parties of the custody story (all labelled synthetic).
    static let parties: [(id: String, name: String, country: String)] = [
        ("demo-coop-rubaya", "Artisanal miners' cooperative, Rubaya (synthetic)", "CD"),
        ("demo-comptoir-goma", "Trading house, Goma (synthetic)", "CD"),
        ("demo-buyer-rw", "Mineral buyer, Gisenyi (synthetic)", "RW"),
        ("demo-smelter-my", "Tin smelter, Malaysia (synthetic)", "MY"),
        ("demo-refinery-cn", "Cobalt refinery, China (synthetic)", "CN"),
    ]

    /// Places the story passes (synthetic points near the real places, labelled synthetic).
    static let sites: [(id: String, name: String, kind: SiteKind, lat: String, lon: String, minerals: [String])] = [
        ("demo-goma-depot", "Goma mineral depot (synthetic)", .tradingPost, "-1.6700", "29.2200", ["tin", "tantalum"]),
        ("goma-gisenyi-border", "Goma – Gisenyi border crossing (approximate point)", .borderCrossing, "-1.6880", "29.2450", []),
        ("kasumbalesa-border", "Kasumbalesa border crossing (approximate point)", .borderCrossing, "-12.2600", "27.8000", []),
    ]

    static let keyParties = ["alphamin-bisie", "demo-coop-rubaya", "demo-comptoir-goma", "demo-buyer-rw", "demo-smelter-my", "kcc", "demo-refinery-cn"]

    static func key(_ party: String) -> OperatorSigningKey {
        OperatorSigningKey(keyID: "\(party)-demo-key", party: party, demoSeed: Array("assay demo key \(party)".utf8))
    }

    static func time(_ s: String) -> Timestamp {
        do { return try Timestamp(iso: s, field: "time") } catch { preconditionFailure("demo time \(s)") }
    }

    static func commands() throws -> [JSONValue] {
        var out: [JSONValue] = []
        for p in parties {
            out.append(.object(["type": "register-party", "id": .string(p.id), "name": .string(p.name), "kind": "company",
                                "country": .string(p.country), "synthetic": true]))
        }
        for s in sites {
            out.append(.object(["type": "register-site", "id": .string(s.id), "name": .string(s.name), "kind": .string(s.kind.rawValue),
                                "latitude": .string(s.lat), "longitude": .string(s.lon), "minerals": .array(s.minerals.map { .string($0) }),
                                "synthetic": true]))
        }
        // Historic synthetic events reach the registry now: the demo's late window is wide on purpose.
        out.append(.object(["type": "set-custody-policy", "lateWindowDays": 36500,
                            "tolerances": ["weighing": "1", "split": "0.5", "blend": "0.5", "processing": "0"]]))
        for p in keyParties {
            out.append(Command.registerKey(key(p).registration(validFrom: time("2024-01-01T00:00:00.000Z"))).json)
        }
        for (mineral, date, price) in [("tin", "2024-01-01", "25000"), ("tin", "2025-01-01", "30000"), ("tantalum", "2024-01-01", "200000"),
                                       ("cobalt", "2024-01-01", "28000"), ("cobalt", "2025-03-01", "33000")] {
            out.append(.object(["type": "record-price", "mineral": .string(mineral), "date": .string(date),
                                "pricePerTonne": ["amount": .string(price), "currency": "USD"],
                                "source": "synthetic demo price (order of magnitude only)"]))
        }
        var n = 0
        func ev(_ party: String, _ kind: String, _ t: String, _ fields: [String: JSONValue], id: String? = nil) {
            n += 1
            var m = fields
            m["id"] = .string(id ?? "demo-ev-\(n)"); m["kind"] = .string(kind); m["party"] = .string(party)
            m["key"] = .string(key(party).keyID); m["time"] = .string(t); m["note"] = "synthetic demo lot"
            do { out.append(Command.custodyEvent(try key(party).sign(json: .object(m))).json) } catch { preconditionFailure("demo event: \(error)") }
        }
        func lot(_ id: String, _ mineral: String, _ form: String, _ kg: String, _ grade: String) -> JSONValue {
            ["id": .string(id), "mineral": .string(mineral), "form": .string(form), "massKg": .string(kg), "grade": .string(grade)]
        }
        // A. Bisie tin: titled industrial mine, clean, to a smelter in Malaysia; one weighing arrives late.
        ev("alphamin-bisie", "extraction", "2025-01-10T08:00:00.000Z", ["site": "bisie", "lot": lot("BIS-2025-0001", "tin", "concentrate", "20000", "65")])
        ev("alphamin-bisie", "transport", "2025-01-12T06:00:00.000Z", ["lot": "BIS-2025-0001", "from": "bisie", "to": "demo-goma-depot"])
        ev("alphamin-bisie", "weighing", "2025-01-11T17:00:00.000Z", ["lot": "BIS-2025-0001", "massKg": "19980"])
        ev("alphamin-bisie", "export", "2025-01-15T09:00:00.000Z", ["lot": "BIS-2025-0001", "crossing": "goma-gisenyi-border", "destination": "MY",
                                                                  "consignee": "demo-smelter-my", "declaredValue": ["amount": "389610", "currency": "USD"], "hsCode": "2609.00"])
        ev("demo-smelter-my", "receipt", "2025-02-20T10:00:00.000Z", ["lot": "BIS-2025-0001"])
        // After AFC/M23 took Goma (27 Jan 2025), a lot routed through the Goma depot and border is on held ground.
        ev("alphamin-bisie", "extraction", "2025-02-10T08:00:00.000Z", ["site": "bisie", "lot": lot("BIS-2025-0003", "tin", "concentrate", "20000", "65")])
        ev("alphamin-bisie", "transport", "2025-02-12T06:00:00.000Z", ["lot": "BIS-2025-0003", "from": "bisie", "to": "demo-goma-depot"])
        ev("alphamin-bisie", "export", "2025-02-14T09:00:00.000Z", ["lot": "BIS-2025-0003", "crossing": "goma-gisenyi-border", "destination": "MY",
                                                                  "consignee": "demo-smelter-my", "declaredValue": ["amount": "390000", "currency": "USD"], "hsCode": "2609.00"])
        ev("alphamin-bisie", "extraction", "2025-03-12T08:00:00.000Z", ["site": "bisie", "lot": lot("BIS-2025-0002", "tin", "concentrate", "18000", "64")])
        // B. Rubaya coltan: artisanal, no title registered, blended heavier than its inputs, exported to Rwanda.
        ev("demo-coop-rubaya", "extraction", "2024-06-05T07:00:00.000Z", ["site": "rubaya", "lot": lot("RUB-2024-0001", "tantalum", "ore", "800", "30")])
        ev("demo-coop-rubaya", "transfer", "2024-06-06T07:00:00.000Z", ["lot": "RUB-2024-0001", "to": "demo-comptoir-goma"], id: "demo-tr-rub-1")
        ev("demo-comptoir-goma", "acceptance", "2024-06-06T12:00:00.000Z", ["lot": "RUB-2024-0001", "transfer": "demo-tr-rub-1"])
        ev("demo-comptoir-goma", "transport", "2024-06-07T08:00:00.000Z", ["lot": "RUB-2024-0001", "from": "rubaya", "to": "demo-goma-depot"])
        ev("demo-coop-rubaya", "extraction", "2024-06-10T07:00:00.000Z", ["site": "rubaya", "lot": lot("RUB-2024-0002", "tantalum", "ore", "600", "28")])
        ev("demo-coop-rubaya", "transfer", "2024-06-11T07:00:00.000Z", ["lot": "RUB-2024-0002", "to": "demo-comptoir-goma"], id: "demo-tr-rub-2")
        ev("demo-comptoir-goma", "acceptance", "2024-06-11T12:00:00.000Z", ["lot": "RUB-2024-0002", "transfer": "demo-tr-rub-2"])
        ev("demo-comptoir-goma", "transport", "2024-06-12T08:00:00.000Z", ["lot": "RUB-2024-0002", "from": "rubaya", "to": "demo-goma-depot"])
        ev("demo-comptoir-goma", "blend", "2024-06-14T08:00:00.000Z", ["inputs": ["RUB-2024-0001", "RUB-2024-0002"],
                                                                    "output": lot("GOM-2024-B01", "tantalum", "ore", "1450", "29")])
        ev("demo-comptoir-goma", "export", "2024-06-15T09:00:00.000Z", ["lot": "GOM-2024-B01", "crossing": "goma-gisenyi-border", "destination": "RW",
                                                                     "consignee": "demo-buyer-rw", "declaredValue": ["amount": "60000", "currency": "USD"], "hsCode": "2615.90"])
        // C. Kolwezi (KCC) cobalt: ore processed to hydroxide at the mine, split, one part exported to China.
        ev("kcc", "extraction", "2025-02-01T08:00:00.000Z", ["site": "kamoto-kcc", "lot": lot("KCC-2025-0001", "cobalt", "ore", "500000", "3")])
        ev("kcc", "processing", "2025-02-05T08:00:00.000Z", ["inputs": ["KCC-2025-0001"], "outputs": [lot("KCC-HYD-2025-0001", "cobalt", "hydroxide", "40000", "30")]])
        ev("kcc", "split", "2025-02-06T08:00:00.000Z", ["lot": "KCC-HYD-2025-0001", "outputs": [
            ["id": "KCC-HYD-2025-0001-A", "massKg": "25000"], ["id": "KCC-HYD-2025-0001-B", "massKg": "15000"]]])
        ev("kcc", "export", "2025-02-12T09:00:00.000Z", ["lot": "KCC-HYD-2025-0001-A", "crossing": "kasumbalesa-border", "destination": "CN",
                                                      "consignee": "demo-refinery-cn", "declaredValue": ["amount": "247500", "currency": "USD"], "hsCode": "2822.00"])
        ev("demo-refinery-cn", "receipt", "2025-04-01T10:00:00.000Z", ["lot": "KCC-HYD-2025-0001-A"])
        // Royalty payments (synthetic): Bisie paid in full for January 2025; KCC paid part of February's.
        out.append(.object(["type": "record-payment", "id": "demo-pay-bisie-2025-01", "payer": "alphamin-bisie", "recipient": "cd", "stream": "royalty",
                            "amount": ["amount": "13650", "currency": "USD"], "date": "2025-02-10",
                            "period": ["from": "2025-01-01", "until": "2025-02-01"], "project": "bisie", "lots": ["BIS-2025-0001"]]))
        out.append(.object(["type": "record-payment", "id": "demo-pay-kcc-2025-02", "payer": "kcc", "recipient": "cd", "stream": "royalty",
                            "amount": ["amount": "15000", "currency": "USD"], "date": "2025-03-10",
                            "period": ["from": "2025-02-01", "until": "2025-03-01"], "project": "kamoto-kcc", "lots": ["KCC-HYD-2025-0001-A"]]))
        return out
    }
}
