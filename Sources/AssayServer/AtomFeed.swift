import AssayDomain
import AssayStore
import Foundation

/// An Atom feed (RFC 4287) of journal entries, newest first: each entry's id, title (its command's type and
/// subject), time, a link to its page and to its COSE receipt, its keys as categories, and its public command
/// JSON as text content. Every text written goes through ``escape(_:)``.
enum AtomFeed {
    /// One entry of the feed, read from its journal bytes.
    struct Item {
        var sequence: Int64
        var type: String
        var subject: String
        var time: String
        var command: String
        var keys: [String]

        init?(_ stored: StoredEntry) {
            guard case .object(let entry)? = try? JSONParser.parse(stored.bytes), let command = entry["command"],
                  case .object(let c) = command, case .string(let type)? = c["type"], case .string(let time)? = entry["time"] else { return nil }
            sequence = stored.sequence
            self.type = type
            keys = EntryKeys.keys(of: command)
            subject = keys.first { $0.hasPrefix("id:") }.map { String($0.dropFirst(3)) } ?? ""
            self.time = time
            self.command = CanonicalJSON.string(command)
        }
    }

    /// The feed document. `query` is the feed's canonical query string (its identity); `updated` is the newest
    /// entry's time, or `now` for an empty feed.
    static func document(origin: String, query: String, items: [Item], now: String, next: Int64?) -> String {
        var out = #"<?xml version="1.0" encoding="utf-8"?>"# + "\n"
        out += #"<feed xmlns="http://www.w3.org/2005/Atom">"# + "\n"
        out += "<id>\(escape("urn:assay:feed:\(origin):entries?\(query)"))</id>\n"
        out += "<title>\(escape("Assay \(origin): journal entries" + (query.isEmpty ? "" : " (\(query.replacingOccurrences(of: "&", with: ", ")))")))</title>\n"
        out += "<updated>\(escape(items.first?.time ?? now))</updated>\n"
        out += "<author><name>\(escape(origin))</name></author>\n"
        out += "<link rel=\"self\" href=\"\(escape("/feeds/entries.atom" + (query.isEmpty ? "" : "?" + query)))\"/>\n"
        if let next {
            out += "<link rel=\"next\" href=\"\(escape("/feeds/entries.atom?" + (query.isEmpty ? "" : query + "&") + "before=\(next)"))\"/>\n"
        }
        for item in items {
            out += "<entry>\n"
            out += "<id>\(escape("urn:assay:entry:\(origin):\(item.sequence)"))</id>\n"
            out += "<title>\(escape("\(item.type) \(item.subject)"))</title>\n"
            out += "<updated>\(escape(item.time))</updated>\n"
            out += "<link rel=\"alternate\" type=\"text/html\" href=\"/log/entries/\(item.sequence)\"/>\n"
            out += "<link rel=\"related\" type=\"application/cose\" href=\"/log/receipt/\(item.sequence)\"/>\n"
            for key in item.keys { out += "<category term=\"\(escape(key))\"/>\n" }
            out += "<content type=\"text\">\(escape(item.command))</content>\n"
            out += "</entry>\n"
        }
        return out + "</feed>\n"
    }

    /// XML character data and attribute values: the five predefined entities, and characters XML 1.0 cannot
    /// hold (control characters other than tab and newlines) replaced by U+FFFD.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(u)
            default:
                if u.value < 0x20 || (0xFFFE...0xFFFF).contains(u.value) { out += "\u{FFFD}" } else { out.unicodeScalars.append(u) }
            }
        }
        return out
    }
}
