import Foundation

/// A source as a page lists it: the URL, the publisher's name and the date of publication when the URL
/// says it. The registry stores a record's sources as bare URLs (what the API and exports carry); a page
/// names the publisher (from its host, with the names of publishers the reference data cites most) and
/// lists each source once, however often a record repeats it.
struct SourceLink: Equatable {
    var href: String
    var publisher: String
    /// `YYYY-MM-DD` or `YYYY-MM`, read from the URL's path; `nil` when it carries none.
    var date: String?

    /// `urls` in their order, each once: URLs differing only by scheme, `www.`, a trailing slash or a
    /// fragment are the same source.
    static func list(_ urls: [String]) -> [SourceLink] {
        var seen: Set<String> = []
        return urls.compactMap { u in
            guard seen.insert(identity(u)).inserted else { return nil }
            return SourceLink(href: u, publisher: publisher(u), date: date(u))
        }
    }

    /// What makes two URLs the same source.
    static func identity(_ u: String) -> String {
        guard var c = URLComponents(string: u), let host = c.host?.lowercased() else { return u }
        c.scheme = "https"
        c.host = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        c.fragment = nil
        if c.path.count > 1, c.path.hasSuffix("/") { c.path.removeLast() }
        return c.string ?? u
    }

    /// The publisher's name: a known publisher's, else its host without `www.`.
    static func publisher(_ u: String) -> String {
        guard let host = URLComponents(string: u)?.host?.lowercased() else { return u }
        let bare = host.hasPrefix("www.") ? String(host.dropFirst(4)) : host
        for (suffix, name) in known where bare == suffix || bare.hasSuffix("." + suffix) { return name }
        return bare
    }

    /// The publishers the reference data cites most, by the end of their host name.
    static let known: [(String, String)] = [
        ("ipisresearch.be", "IPIS"), ("state.gov", "U.S. Department of State"), ("whitehouse.gov", "The White House"),
        ("reuters.com", "Reuters"), ("un.org", "United Nations"), ("unctad.org", "UNCTAD"), ("resourcecontracts.org", "ResourceContracts"),
        ("acleddata.com", "ACLED"), ("egmontinstitute.be", "Egmont Institute"), ("allafrica.com", "AllAfrica"), ("africanews.com", "Africanews"),
        ("miningmx.com", "Miningmx"), ("mining.com", "MINING.COM"), ("northernminer.com", "The Northern Miner"), ("argusmedia.com", "Argus Media"),
        ("actualite.cd", "Actualite.cd"), ("businesslive.co.za", "BusinessLIVE"), ("theeastafrican.co.ke", "The EastAfrican"),
        ("semafor.com", "Semafor"), ("ktpress.rw", "KT Press"), ("dlapiper.com", "DLA Piper"), ("mining-journal.com", "Mining Journal"),
        ("geoboundaries.org", "geoBoundaries"), ("openstreetmap.org", "OpenStreetMap"), ("eiti.org", "EITI"), ("oecd.org", "OECD"),
    ]

    /// A date in the path: `/2025/06/27/`, `/2025/06/`, or `2025-06-27` anywhere in it.
    static func date(_ u: String) -> String? {
        guard let path = URLComponents(string: u)?.path else { return nil }
        let parts = path.split(separator: "/").map(String.init)
        for (i, p) in parts.enumerated() where p.count == 4 && i + 1 < parts.count {
            guard let y = Int(p), (1990...2100).contains(y), parts[i + 1].count == 2, let m = Int(parts[i + 1]), (1...12).contains(m) else { continue }
            if i + 2 < parts.count, parts[i + 2].count == 2, let d = Int(parts[i + 2]), (1...31).contains(d) {
                return String(format: "%04d-%02d-%02d", y, m, d)
            }
            return String(format: "%04d-%02d", y, m)
        }
        // `YYYY-MM-DD` anywhere in the path, read by hand: Foundation's regular expressions were a tenth
        // of a page's time.
        let b = Array(path.utf8)
        func digits(_ i: Int, _ n: Int) -> Int? {
            guard i + n <= b.count else { return nil }
            var v = 0
            for k in i..<(i + n) { guard (48...57).contains(b[k]) else { return nil }; v = v * 10 + Int(b[k] - 48) }
            return v
        }
        var i = 0
        while i + 10 <= b.count {
            if let y = digits(i, 4), (1900...2099).contains(y), b[i + 4] == 45, let m = digits(i + 5, 2), (1...12).contains(m),
               b[i + 7] == 45, let d = digits(i + 8, 2), (1...31).contains(d), i + 10 == b.count || !(48...57).contains(b[i + 10]),
               i == 0 || !(48...57).contains(b[i - 1]) {
                return String(format: "%04d-%02d-%02d", y, m, d)
            }
            i += 1
        }
        return nil
    }

    /// As the oracle templates take it.
    var templateData: [String: Any] {
        var d: [String: Any] = ["href": href, "publisher": publisher]
        if let date { d["date"] = date }
        return d
    }
}
