/// Formats one log event as a single logfmt line: `level=info role=network msg="..." key=value`.
/// Pure, so that the exact format (which journald and grep users rely on) is tested without I/O.
public enum LogLine {
    /// Syslog priorities, used as a `<N>` prefix that journald strips and turns into the entry's priority.
    public static func syslogPriority(_ level: String) -> Int {
        switch level {
        case "trace", "debug": 7
        case "info": 6
        case "notice": 5
        case "warning": 4
        case "error": 3
        default: 2
        }
    }

    /// The line without its trailing newline. `timestamp` is omitted under journald, which stamps entries itself.
    public static func format(
        level: String, role: String, message: String, metadata: [(String, String)], timestamp: String?,
        journal: Bool
    ) -> String {
        var fields: [String] = []
        if let timestamp { fields.append("ts=\(timestamp)") }
        fields.append("level=\(level)")
        fields.append("role=\(role)")
        fields.append("msg=\(quote(message))")
        for (key, value) in metadata.sorted(by: { $0.0 < $1.0 }) { fields.append("\(sanitizeKey(key))=\(quote(value))") }
        let line = fields.joined(separator: " ")
        return journal ? "<\(syslogPriority(level))>\(line)" : line
    }

    /// Quotes a value when it is empty or holds spaces, quotes, `=` or control characters; escapes so that one
    /// event can never span two lines, whatever a peer managed to put into a logged string.
    static func quote(_ value: String) -> String {
        let needsQuotes = value.isEmpty || value.unicodeScalars.contains {
            $0 == " " || $0 == "\"" || $0 == "=" || $0 == "\\" || isControl($0)
        }
        guard needsQuotes else { return value }
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if isControl(scalar) {
                    let digits = String(scalar.value, radix: 16)
                    out += scalar.value < 0x100
                        ? "\\x" + String(repeating: "0", count: 2 - digits.count) + digits
                        : "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    /// C0 and C1 controls, DEL, and the Unicode line and paragraph separators: anything a terminal or a log
    /// viewer might treat as a line break or an escape sequence.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
    }

    static func sanitizeKey(_ key: String) -> String {
        let cleaned = key.unicodeScalars.map { scalar -> Character in
            let allowed = (scalar >= "a" && scalar <= "z") || (scalar >= "A" && scalar <= "Z")
                || (scalar >= "0" && scalar <= "9") || scalar == "_" || scalar == "." || scalar == "-"
            return allowed ? Character(scalar) : "_"
        }
        return cleaned.isEmpty ? "_" : String(cleaned)
    }
}
