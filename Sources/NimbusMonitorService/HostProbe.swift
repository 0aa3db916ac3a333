import CNimbusHost
import Foundation
import NimbusMonitoring

/// Reads the host's state: disk (statfs), memory, load, uptime, CPU and network counters (/proc), and the
/// kernel's clock synchronisation state (adjtimex with no modes: a read; setting the clock needs CAP_SYS_TIME,
/// which no role has).
public final class HostProbe: @unchecked Sendable {
    private let diskPath: String
    private var previousCPU: (busy: UInt64, total: UInt64)?
    private let lock = NSLock()

    /// `diskPath` is the filesystem to watch (the node's data directory, or "/").
    public init(diskPath: String) {
        self.diskPath = diskPath
    }

    /// The files this probe reads, for the role's Landlock rules.
    public static let procFiles = ["/proc/meminfo", "/proc/loadavg", "/proc/uptime", "/proc/stat", "/proc/net/dev"]

    public func observe(nowMillis: UInt64) -> HostObservation {
        var observation = HostObservation(atMillis: nowMillis)
        var free: UInt64 = 0
        var total: UInt64 = 0
        if nm_disk_space(diskPath, &free, &total) == 0 {
            observation.diskFreeBytes = free
            observation.diskTotalBytes = total
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
