/// The numbers behind the rules. Defaults follow what home stakers' tools use (Rocket Pool's alert rules, the
/// Nimbus book); each can be tuned in the configuration later without changing the rules.
public struct AlertThresholds: Sendable, Equatable {
    /// Slots behind the wall clock before a node counts as out of sync.
    public var maximumSyncDistance: UInt64 = 8
    /// Fewer connected peers than this is "few".
    public var minimumPeers = 10
    /// Free disk below either bound: warning.
    public var diskLowBytes: UInt64 = 100 << 30
    public var diskLowFraction = 0.10
    /// Free disk below either bound: critical.
    public var diskCriticalBytes: UInt64 = 25 << 30
    public var diskCriticalFraction = 0.03
    /// The kernel's clock error estimate above this counts as drift.
    public var maximumClockErrorSeconds = 0.5
    /// This many restarts within `restartWindowMillis` is "keeps restarting".
    public var restartsInWindow = 3
    public var restartWindowMillis: UInt64 = 30 * 60 * 1000
    /// Slots per epoch (32 on every public network).
    public var slotsPerEpoch: UInt64 = 32

    public init() {}
}

/// What a rule concluded from one observation.
public enum Verdict: Sendable, Equatable {
    /// The condition holds; `detail` says what was seen, in words (no secrets: numbers and names only).
    case bad(String)
    case good
    /// No evidence either way this time (missing data, or not this rule's turn).
    case unknown
}
