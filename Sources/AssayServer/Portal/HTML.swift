import Hummingbird

/// A page being written as HTML text. Every value from the registry goes through ``text(_:)``, which
/// escapes it — the one place that does (the same five characters Mustache's `{{ }}` escaped, so pages
/// moved off templates render byte for byte as before); ``raw(_:)`` is for markup this code made itself
/// (SVG drawn here from escaped values). Written by hand: it is a dozen lines, and a typed DSL would
/// change the markup the browser tests and screenshots pin down.
struct HTML {
    private(set) var output = ""

    init(capacity: Int = 16_384) { output.reserveCapacity(capacity) }

    /// Markup as is.
    mutating func raw(_ markup: String) { output += markup }

    /// A value, escaped for element content and quoted attribute values.
    mutating func text(_ value: String) {
        var plain = true
        for b in value.utf8 where b == UInt8(ascii: "<") || b == UInt8(ascii: ">") || b == UInt8(ascii: "&")
            || b == UInt8(ascii: "\"") || b == UInt8(ascii: "'") { plain = false; break }
        if plain { output += value; return }
        for c in value.unicodeScalars {
            switch c {
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "&": output += "&amp;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.unicodeScalars.append(c)
            }
        }
    }

    /// The red flags section (`<h2>` and `ul#risk-flags`) of agreement, party and site pages; nothing when there are none.
    mutating func riskFlags(_ flags: [EntityView.Flag], _ t: Language) {
        guard !flags.isEmpty else { return }
        raw("<h2>"); text(t["flags"]); raw("</h2><ul id=\"risk-flags\">")
        for f in flags {
            raw("<li class=\"flag-high\"><code>"); text(f.rule); raw("</code> ("); text(f.response); raw("): "); text(f.explanation); raw("</li>")
        }
        raw("</ul>")
    }

    /// Each source once, as a list item: the publisher linked, the date when known, the URL in full.
    mutating func sourceItems(_ sources: [String]) {
        for s in SourceLink.list(sources) {
            raw("<li><a href=\""); text(s.href); raw("\" rel=\"nofollow\">"); text(s.publisher); raw("</a>")
            if let d = s.date { raw(" · "); text(d) }
            raw(" <small>"); text(s.href); raw("</small></li>")
        }
    }

    /// The sources section ending a page.
    mutating func sources(_ sources: [String], _ t: Language) {
        raw("<h2>"); text(t["sources"]); raw("</h2><ul class=\"sources\">")
        sourceItems(sources)
        raw("</ul>\n")
    }

    /// The page as a 200 response in `language`.
    func response(language: Language) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.contentLanguage] = language.rawValue
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: output)))
    }
}

/// The portal's header (styles, navigation, search, language switch) and footer, as the `header` and
/// `footer` templates wrote them: the parts that do not depend on the page are filled in once per language.
enum PageLayout {
    /// The header split around the page's title, per language.
    static let headers: [Language: (beforeTitle: String, afterTitle: String)] = Dictionary(uniqueKeysWithValues: Language.allCases.map { l in
        let filled = fill(PortalTemplates.header, l)
        let parts = filled.components(separatedBy: "{{pageTitle}}")
        precondition(parts.count == 2, "the header template names the page title once")
        return (l, (parts[0], parts[1]))
    })
    static let footers: [Language: String] = Dictionary(uniqueKeysWithValues: Language.allCases.map { ($0, fill(PortalTemplates.footer, $0)) })

    /// `template` with `{{lang}}` and every `{{t.key}}` filled in (escaped), `{{pageTitle}}` left.
    static func fill(_ template: String, _ language: Language) -> String {
        var out = template.replacingOccurrences(of: "{{lang}}", with: language.rawValue)
        for (key, value) in language.strings {
            var v = HTML(capacity: value.utf8.count)
            v.text(value)
            out = out.replacingOccurrences(of: "{{t.\(key)}}", with: v.output)
        }
        return out
    }

    static func open(_ html: inout HTML, language: Language, title: String) {
        let h = headers[language]!
        html.raw(h.beforeTitle)
        html.text(title)
        html.raw(h.afterTitle)
    }

    static func close(_ html: inout HTML, language: Language) {
        html.raw(footers[language]!)
    }
}
