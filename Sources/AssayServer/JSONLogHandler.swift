import Foundation
import Logging

/// A swift-log handler that writes one JSON object a line to standard error (`--log-format json`), for
/// log collectors. Values are escaped; nothing secret is ever passed to the logger.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    let label: String

    public init(label: String) { self.label = label }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
                    file: String, function: String, line: UInt) {
        var fields: [String: String] = ["time": ISO8601DateFormatter().string(from: Date()), "level": level.rawValue,
                                        "label": label, "message": message.description, "source": source]
        for (k, v) in metadata.merging(extra ?? [:], uniquingKeysWith: { _, b in b }) { fields[k] = v.description }
        guard let data = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys]) else { return }
        FileHandle.standardError.write(data + Data("\n".utf8))
    }
}
