import Foundation

/// Log lines in the shape of Nimbus's console output: `LVL timestamp message key=value...`, on standard output.
public enum NodeLog {
    /// Severity (Nimbus's three-letter prefixes).
    public enum Level: String, Sendable {
        case debug = "DBG", info = "INF", notice = "NOT", warning = "WRN", error = "ERR", fatal = "FAT"
    }

    /// Writes one line.
    public static func write(_ level: Level, _ message: String, _ fields: [(String, String)] = []) {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd HH:mm:ss.SSSxxx"
        var line = "\(level.rawValue) \(formatter.string(from: Date())) \(message)"
        for (key, value) in fields {
            let needsQuotes = value.contains(" ") || value.isEmpty
            line += " \(key)=" + (needsQuotes ? "\"\(value)\"" : value)
        }
        FileHandle.standardOutput.write(Data((line + "\n").utf8))
    }
}
