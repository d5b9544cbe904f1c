import AssayDomain
import AssayStore
import Foundation

/// A reserve's assets and their first-offer windows on a day, as JSON (the API and `assay reserve show
/// --json`) — shaped here, outside the store.
public enum ReserveReport {
    /// One window on `day`: `{"offer","beneficiary","opens","state","lastDay"|"on","renewals","answers":[…],"reveal"?}`.
    public static func window(_ w: OfferWindow, on day: Day) -> JSONValue {
        var m: [String: JSONValue] = ["offer": .string(w.offer.id), "beneficiary": .string(w.offer.beneficiary),
                                      "opens": .string(w.offer.opens.iso), "renewals": .int(Int64(w.renewalsUsed)),
                                      "closes": .string(w.closes(asOf: day).iso)]
        let state = w.state(on: day)
        m["state"] = .string(state.name)
        switch state {
        case .open(let last): m["lastDay"] = .string(last.iso)
        case .accepted(let d), .refused(let d), .lapsed(let d): m["on"] = .string(d.iso)
        }
        m["answers"] = .array(w.resolutions.filter { $0.date <= day }.map { .object($0.json) })
        if let reveal = w.offer.reveal { m["reveal"] = reveal }
        if w.offer.provenance.synthetic { m["synthetic"] = .bool(true) }
        return .object(m)
    }

    public static func json(_ v: ReserveView, on day: Day) -> JSONValue {
        var m: [String: JSONValue] = [
            "id": .string(v.reserve.id), "agreement": .string(v.reserve.agreement), "title": .string(v.reserve.title),
            "asOf": .string(day.iso), "confidential": .bool(v.reserve.confidential), "assetCount": .int(Int64(v.assetCount)),
            "windowMonths": .int(Int64(v.reserve.windowMonths)), "renewals": .int(Int64(v.reserve.renewals)), "entry": .int(v.sequence),
            "assets": .array(v.reserve.assets.map { a in
                var x: [String: JSONValue] = ["id": .string(a.id), "name": .string(a.name), "minerals": a.minerals.json]
                if let c = a.concession { x["concession"] = .string(c) }
                if let s = a.site { x["site"] = .string(s) }
                if let area = a.area { x["area"] = area.json }
                let windows = v.windows[a.id] ?? []
                x["windows"] = .array(windows.map { window($0, on: day) })
                x["free"] = .bool(windows.allSatisfy { w in
                    switch w.state(on: day) { case .refused, .lapsed: true; default: false }
                })
                return .object(x)
            }),
        ]
        if v.redacted { m["redacted"] = .bool(true) }
        if let d = v.reserve.designated { m["designated"] = .string(d.iso) }
        if let h = v.sealedHash { m["sealed"] = .string(h) }
        if !v.commitments.isEmpty { m["assetCommitments"] = .array(v.commitments.map { .string($0) }) }
        if !v.reserve.provenance.sources.isEmpty { m["sources"] = .array(v.reserve.provenance.sources.map { .string($0) }) }
        if v.reserve.provenance.synthetic { m["synthetic"] = .bool(true) }
        return .object(m)
    }
}
