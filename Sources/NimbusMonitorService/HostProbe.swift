import CNimbusHost
import Foundation
import NimbusMonitoring

/// Reads the host's state: disk (statfs), memory, load, uptime, CPU and network counters (/proc), and the
/// kernel's clock synchronisation state (adjtimex with no modes: a read; setting the clock needs CAP_SYS_TIME,
/// which no role has).
public final class HostProbe: @unchecked Sendable {
    /// A filesystem to watch: a path on it, the subject its alerts are about, and its bounds.
    public struct DiskWatch: Sendable, Equatable {
        public var subject: String
        public var path: String
        public var low: DiskBounds
        public var critical: DiskBounds

        public init(subject: String, path: String, low: DiskBounds, critical: DiskBounds) {
            self.subject = subject
            self.path = path
            self.low = low
            self.critical = critical
        }
    }

    private let disks: [DiskWatch]
    private var previousCPU: (busy: UInt64, total: UInt64)?
    private let lock = NSLock()

    /// `disks` in order of precedence: when several paths share a filesystem, the first names and bounds it.
    public init(disks: [DiskWatch]) {
        self.disks = disks
    }

    /// The files this probe reads, for the role's Landlock rules.
    public static let procFiles = ["/proc/meminfo", "/proc/loadavg", "/proc/uptime", "/proc/stat", "/proc/net/dev"]

    public func observe(nowMillis: UInt64) -> HostObservation {
        var observation = HostObservation(atMillis: nowMillis)
        // Filesystems are told apart by device each time: a data directory may be created or mounted later.
        var seen: Set<UInt64> = []
        for watch in disks {
            var info = stat()
            guard stat(watch.path, &info) == 0, seen.insert(UInt64(info.st_dev)).inserted else { continue }
            var free: UInt64 = 0
            var total: UInt64 = 0
            guard nm_disk_space(watch.path, &free, &total) == 0 else { continue }
            observation.disks.append(DiskUsage(
                subject: watch.subject, path: watch.path, freeBytes: free, totalBytes: total, low: watch.low,
                critical: watch.critical))
        }
        if let memory = read("/proc/meminfo").flatMap(HostStats.memory) {
            observation.memoryTotalBytes = memory.total
            observation.memoryAvailableBytes = memory.available
        }
        observation.loadAverage = read("/proc/loadavg").flatMap(HostStats.loadAverage)
        observation.uptimeSeconds = read("/proc/uptime").flatMap(HostStats.uptime)
        if let network = read("/proc/net/dev").flatMap(HostStats.networkBytes) {
            observation.networkReceivedBytes = network.received
            observation.networkSentBytes = network.sent
        }
        if let cpu = read("/proc/stat").flatMap(HostStats.cpuTimes) {
            lock.lock()
            if let previous = previousCPU, cpu.total > previous.total {
                observation.cpuBusyFraction = Double(cpu.busy &- previous.busy) / Double(cpu.total - previous.total)
            }
            previousCPU = cpu
            lock.unlock()
        }
        var synchronized: Int32 = 0
        var errorMicroseconds: Int64 = 0
        if nm_clock_state(&synchronized, &errorMicroseconds) == 0 {
            // TIME_ERROR: the kernel has not been told the clock is synchronised (no NTP client, or it lost sync).
            observation.clockSynchronized = synchronized != 0
            observation.clockErrorSeconds = Double(errorMicroseconds) / 1_000_000
        }
        return observation
    }

    private func read(_ path: String) -> String? {
        try? String(contentsOfFile: path, encoding: .utf8)
    }
}
