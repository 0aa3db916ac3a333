/// The numbers behind the rules. Defaults follow what home stakers' tools use (Rocket Pool's alert rules, the
/// Nimbus book); each can be tuned in the configuration later without changing the rules.
public struct AlertThresholds: Sendable, Equatable {
    /// Slots behind the wall clock before a node counts as out of sync.
    public var maximumSyncDistance: UInt64 = 8
    /// Fewer connected peers than this is "few".
    public var minimumPeers = 10
    /// Free space on a node's data filesystem below either bound: warning; below either of the second: critical.
    /// A beacon node's database grows by gigabytes a week, hence absolute bounds as well as shares.
    public var diskLow = DiskBounds(bytes: 100 << 30, fraction: 0.10)
    public var diskCritical = DiskBounds(bytes: 25 << 30, fraction: 0.03)
    /// The same for a filesystem that holds only the node manager's state (small databases): shares only, so that
    /// a small system partition is not "low" for having less than 100 GiB.
    public var stateDiskLow = DiskBounds(fraction: 0.10)
    public var stateDiskCritical = DiskBounds(fraction: 0.03)
    /// The kernel's clock error estimate above this counts as drift.
    public var maximumClockErrorSeconds = 0.5
    /// This many restarts within `restartWindowMillis` is "keeps restarting".
    public var restartsInWindow = 3
    public var restartWindowMillis: UInt64 = 30 * 60 * 1000
    /// A missed proposal stays alerted until this many epochs have passed without another one.
    public var proposalQuietEpochs: UInt64 = 2
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

/// Free-space bounds for one filesystem: free space below any of them counts.
public struct DiskBounds: Sendable, Equatable {
    public var bytes: UInt64?
    /// A share of the filesystem's size, 0...1.
    public var fraction: Double?

    public init(bytes: UInt64? = nil, fraction: Double? = nil) {
        self.bytes = bytes
        self.fraction = fraction
    }
}
