import AssayDomain
import Foundation
import Synchronization

/// Server-rendered SVG: escaping for every value drawn; the map (``MapSVG``) and charts (``LineChart``) build on it.
/// Every text that comes from data is escaped.
enum SVG {
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
