import Foundation

/// When this process started, as the kernel records it: what nim-metrics reports as `process_start_time_seconds`
/// (boot time from `/proc/stat` plus the process's start in clock ticks from `/proc/self/stat`).
enum ProcessStart {
    /// The start time in Unix seconds, nil where `/proc` cannot be read.
    static func current() -> Double? {
        guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
            let system = try? String(contentsOfFile: "/proc/stat", encoding: .utf8)
        else { return nil }
        return parse(selfStat: stat, systemStat: system, ticksPerSecond: Double(sysconf(Int32(_SC_CLK_TCK))))
    }

    /// Pure part of `current`. The command name (field 2) may hold spaces and parentheses, so fields are counted
    /// from the last ')'.
    static func parse(selfStat: String, systemStat: String, ticksPerSecond: Double) -> Double? {
        guard ticksPerSecond > 0, let close = selfStat.lastIndex(of: ")") else { return nil }
        let fields = selfStat[selfStat.index(after: close)...].split(separator: " ")
        // After the name: state is field 3, so starttime (field 22) is the 20th here.
        guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
        guard let line = systemStat.split(separator: "\n").first(where: { $0.hasPrefix("btime ") }),
            let boot = Double(line.dropFirst("btime ".count).trimmingCharacters(in: .whitespaces))
        else { return nil }
        return boot + ticks / ticksPerSecond
    }
}
