/// CSV as RFC 4180 quotes it: a field holding a comma, a quote or a line break is quoted with its
/// quotes doubled. Lines end with LF, as every CSV export of Assay does. Kept by hand: the exports are
/// a few columns of plain values, and no CSV writer is in the package mirror.
public enum CSVText {
    public static func field(_ s: String) -> String {
        s.contains(where: { $0 == "," || $0 == "\"" || $0.isNewline }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }

    /// A header line and the rows under it.
    public static func rows(_ header: [String], _ rows: [[String]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }
}
