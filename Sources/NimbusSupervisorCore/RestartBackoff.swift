/// How long to wait before restarting a role that died: quick at first (a killed role is back within a second),
/// then slower for a role that keeps dying, and quick again once it has run for a while.
public struct RestartBackoff: Sendable, Equatable {
    /// Successive delays in milliseconds; the last repeats.
    public static let delaysMillis: [UInt64] = [200, 500, 1_000, 2_000, 5_000, 10_000, 30_000]
    /// A role that ran this long before dying is treated as a fresh failure.
    public static let stableAfterMillis: UInt64 = 60_000

    /// Consecutive quick failures so far.
    public private(set) var failures = 0

    public init() {}

    /// The delay before the next restart, given how long the process that just died had been running.
    public mutating func nextDelay(ranForMillis: UInt64) -> UInt64 {
        if ranForMillis >= Self.stableAfterMillis { failures = 0 }
        defer { failures += 1 }
        return Self.delaysMillis[min(failures, Self.delaysMillis.count - 1)]
    }
}
