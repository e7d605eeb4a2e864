import Foundation
import Logging
import RelaisServer

/// How the relay writes its log lines (`--log-format`): text (swift-log's stream handler) or JSON,
/// one object a line on stderr. Either way each line a request causes carries its `request_id`
/// (`RequestID`); what the relay puts in a line is unchanged (never a body, key, name or identifier).
enum LogFormat: String {
    case text, json

    /// Sets the process's logging system; once, before the first logger is made.
    func bootstrap() {
        let provider = Logger.MetadataProvider { RequestID.current.map { ["request_id": .string($0)] } ?? [:] }
        switch self {
        case .text: LoggingSystem.bootstrap({ label, provider in StreamLogHandler.standardError(label: label, metadataProvider: provider) },
                                            metadataProvider: provider)
        case .json: LoggingSystem.bootstrap({ label, provider in JSONLogHandler(label: label, metadataProvider: provider) },
                                            metadataProvider: provider)
        }
    }
}

/// One JSON object a line on stderr: `time` (RFC 3339, UTC, milliseconds), `level`, `label`,
/// `message`, then the metadata as strings (nested values flattened to their description).
struct JSONLogHandler: LogHandler {
    let label: String
    var metadataProvider: Logger.MetadataProvider?
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .info

    init(label: String, metadataProvider: Logger.MetadataProvider?) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var fields: [String: String] = [:]
        let merged = metadata.merging(metadataProvider?.get() ?? [:]) { _, new in new }.merging(event.metadata ?? [:]) { _, new in new }
        for (key, value) in merged { fields[key] = "\(value)" }
        fields["time"] = Self.time(Date())
        fields["level"] = event.level.rawValue
        fields["label"] = label
        fields["message"] = "\(event.message)"
        guard var line = try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(0x0A)
        FileHandle.standardError.write(line)
    }

    static func time(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
