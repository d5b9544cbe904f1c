import AssayDomain
import Foundation
import Synchronization

/// Server-rendered SVG: escaping for every value drawn; the map (``MapSVG``) and charts (``LineChart``) build on it.
/// Every text that comes from data is escaped.
enum SVG {
    /// `s` with `&`, `<`, `>` and `"` escaped. One pass over the UTF-8, and none of Foundation's
    /// search (four `replacingOccurrences` were a tenth of a site page's time with its mini-map).
    static func escape(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == UInt8(ascii: "\"") }) else { return s }
        var out = ""
        out.reserveCapacity(s.utf8.count + 16)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }

    /// `v` to the nearest hundredth with two decimals (`-1.5` → `-1.50`; an exact tie rounds away from
    /// zero), without Foundation's formatter (a quarter of a map's drawing time).
    static func fixed2(_ v: Double) -> String {
        guard v.isFinite, abs(v) < 1e15 else { return String(format: "%.2f", v) }
        let hundredths = Int64((abs(v) * 100).rounded())
        let whole = hundredths / 100, frac = hundredths % 100
        return (v < 0 && hundredths != 0 ? "-" : "") + String(whole) + (frac < 10 ? ".0" : ".") + String(frac)
    }
}
