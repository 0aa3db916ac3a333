import Foundation
import Logging

/// A swift-log handler that writes one logfmt line per event to standard error, labelled with the role.
/// Under systemd (JOURNAL_STREAM set) lines carry a `<N>` priority prefix and no timestamp.
///
/// Secrets never reach this handler: callers log events and identifiers, never payloads, keys, codes or passwords.
public struct RoleLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let role: String
    private let journal: Bool

    public init(role: String, level: Logger.Level, journal: Bool) {
        self.role = role
        logLevel = level
        self.journal = journal
    }

    /// Installs the handler process-wide. Call once, first thing in `main`.
    public static func bootstrap(role: String, level: Logger.Level) {
        let journal = ProcessInfo.processInfo.environment["JOURNAL_STREAM"] != nil
        LoggingSystem.bootstrap { _ in RoleLogHandler(role: role, level: level, journal: journal) }
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { $1 } }
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        let line = LogLine.format(
            level: event.level.rawValue, role: role, message: event.message.description,
            metadata: merged.map { ($0.key, "\($0.value)") }, timestamp: journal ? nil : Self.timestamp(),
            journal: journal)
        // One write per line, so that lines from the roles sharing this stderr never interleave mid-line.
        var bytes = Array((line + "\n").utf8)
        bytes.withUnsafeMutableBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 && errno == EINTR { continue }
                if written <= 0 { return }
                offset += written
            }
        }
    }

    /// UTC, millisecond precision, from the clock alone (no time-zone files: the roles may not be able to read them).
    static func timestamp() -> String {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        var parts = tm()
        var seconds = now.tv_sec
        gmtime_r(&seconds, &parts)
        func pad(_ value: Int32, _ width: Int) -> String {
            let digits = String(value)
            return String(repeating: "0", count: max(0, width - digits.count)) + digits
        }
        return "\(pad(parts.tm_year + 1900, 4))-\(pad(parts.tm_mon + 1, 2))-\(pad(parts.tm_mday, 2))T"
            + "\(pad(parts.tm_hour, 2)):\(pad(parts.tm_min, 2)):\(pad(parts.tm_sec, 2))."
            + "\(pad(Int32(now.tv_nsec / 1_000_000), 3))Z"
    }
}
