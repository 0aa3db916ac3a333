/// Parsers for the /proc files the host observation reads. Pure: they take the files' text.
public enum HostStats {
    /// `/proc/meminfo`: (MemTotal, MemAvailable) in bytes.
    public static func memory(_ text: String) -> (total: UInt64, available: UInt64)? {
        var total: UInt64?
        var available: UInt64?
        for line in text.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 2, let kibibytes = UInt64(fields[1]) else { continue }
            if fields[0] == "MemTotal:" { total = kibibytes * 1024 }
            if fields[0] == "MemAvailable:" { available = kibibytes * 1024 }
        }
        guard let total, let available else { return nil }
        return (total, available)
    }

    /// `/proc/loadavg`: the one-minute load average.
    public static func loadAverage(_ text: String) -> Double? {
        text.split(separator: " ").first.flatMap { Double($0) }
    }

    /// `/proc/uptime`: seconds since boot.
    public static func uptime(_ text: String) -> Double? {
        text.split(separator: " ").first.flatMap { Double($0) }
    }

    /// `/proc/stat`'s aggregate `cpu` line: (busy, total) jiffies. Busy excludes idle and iowait.
    public static func cpuTimes(_ text: String) -> (busy: UInt64, total: UInt64)? {
        guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("cpu ") }) else { return nil }
        let values = line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().compactMap { UInt64($0) }
        guard values.count >= 5 else { return nil }
        let total = values.reduce(0, &+)
        let idle = values[3] &+ values[4]
        return (total &- idle, total)
    }

    /// `/proc/net/dev`: received and sent bytes summed over every interface but loopback.
    public static func networkBytes(_ text: String) -> (received: UInt64, sent: UInt64)? {
        var received: UInt64 = 0
        var sent: UInt64 = 0
        var seen = false
        for line in text.split(separator: "\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let fields = line[line.index(after: colon)...].split(separator: " ", omittingEmptySubsequences: true)
            guard name != "lo", fields.count >= 9, let rx = UInt64(fields[0]), let tx = UInt64(fields[8]) else {
                continue
            }
            received &+= rx
            sent &+= tx
            seen = true
        }
        return seen ? (received, sent) : nil
    }
}

extension Substring {
    fileprivate func trimmingCharacters(in _: WhitespaceSet) -> String {
        var trimmed = self
        while trimmed.first == " " || trimmed.first == "\t" { trimmed = trimmed.dropFirst() }
        while trimmed.last == " " || trimmed.last == "\t" { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}

fileprivate enum WhitespaceSet { case whitespaces }
