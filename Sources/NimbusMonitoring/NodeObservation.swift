/// What one poll learned about a managed node. Every field is optional: a missing value means "not known this
/// time" (the endpoint failed or the metric is absent), which alert rules treat as no evidence either way.
public struct NodeObservation: Sendable, Equatable {
    public var node: String
    /// Unix milliseconds of the poll.
    public var atMillis: UInt64
    /// Nil when reachable; otherwise why not ("connection refused at 127.0.0.1:5052").
    public var unreachable: String?

    // GET /eth/v1/node/syncing
    public var headSlot: UInt64?
    public var syncDistance: UInt64?
    public var isSyncing: Bool?
    public var isOptimistic: Bool?
    public var elOffline: Bool?

    // GET /eth/v1/node/peer_count (connected), or the nbc_peers metric
    public var peers: Int?
    // GET /eth/v1/node/version: "Nimbus/v24.9.0-f54a03-stateofus"
    public var version: String?

    // /metrics
    /// `beacon_slot`: the wall-clock slot as the node sees it.
    public var wallSlot: UInt64?
    /// The network's SLOTS_PER_EPOCH (`/eth/v1/config/spec`), when known; 32 on every public network.
    public var slotsPerEpoch: UInt64?
    /// `validator_monitor_prev_epoch_on_chain_attester_hit`/`_miss` summed over the node's validators.
    public var attesterHits: Double?
    public var attesterMisses: Double?
    /// Validators attached to the node (from the metrics' per-validator series or the keymanager).
    public var validatorCount: Int?
    /// `beacon_blocks_proposed` and `beacon_block_production_errors` (counters) for proposal checks.
    public var blocksProposed: Double?
    public var blockProductionErrors: Double?
    /// `validator_monitor_block_miss` summed over the node's validators (counter): proposals whose block did not
    /// make it on chain, judged at the next epoch's processing.
    public var blockMisses: Double?
    /// The node's validators' balance in gwei: `attached_validator_balance_total`, or the sum of
    /// `validator_monitor_balance_gwei` when only the validator monitor reports it.
    public var balanceGwei: Double?
    /// Per-validator balances in gwei from the same source as `balanceGwei`, keyed by the metric's label (Nimbus's
    /// short public key, or the validator monitor's id); empty when the source reports only a total.
    public var validatorBalances: [String: Double] = [:]
    /// Which metric `balanceGwei` came from, so that samples from different sources are not compared.
    public var balanceSource: String?
    /// `process_start_time_seconds`: changes when the node restarts.
    public var processStartTime: Double?
    /// Exit status of the node's last process, when the node manager supervises it (129 = doppelganger).
    public var lastExitStatus: Int32?
    /// The node manager runs the node and it is down on purpose (stopped on request, or held after a doppelganger
    /// exit): its silence is expected, not an outage.
    public var stoppedOnPurpose = false

    public init(node: String, atMillis: UInt64) {
        self.node = node
        self.atMillis = atMillis
    }
}

/// What the host looks like, from /proc and statfs.
public struct HostObservation: Sendable, Equatable {
    public var atMillis: UInt64
    /// The watched filesystems (nodes' data directories, the node manager's state), one entry per filesystem.
    public var disks: [DiskUsage] = []
    /// The kernel's clock state from adjtimex: nil when unknown.
    public var clockSynchronized: Bool?
    /// The kernel's estimate of the clock error, in seconds (adjtimex `esterror`), when known.
    public var clockErrorSeconds: Double?
    public var loadAverage: Double?
    public var memoryAvailableBytes: UInt64?
    public var memoryTotalBytes: UInt64?
    public var uptimeSeconds: Double?
    public var cpuBusyFraction: Double?
    public var networkReceivedBytes: UInt64?
    public var networkSentBytes: UInt64?

    public init(atMillis: UInt64) {
        self.atMillis = atMillis
    }
}

/// One watched filesystem: whose it is (the alert subject: a node's name, or "host" for the node manager's own
/// state), a path on it, its space in bytes, and the bounds it is judged by.
public struct DiskUsage: Sendable, Equatable {
    public var subject: String
    public var path: String
    public var freeBytes: UInt64
    public var totalBytes: UInt64
    public var low: DiskBounds
    public var critical: DiskBounds

    public init(
        subject: String, path: String, freeBytes: UInt64, totalBytes: UInt64, low: DiskBounds, critical: DiskBounds
    ) {
        self.subject = subject
        self.path = path
        self.freeBytes = freeBytes
        self.totalBytes = totalBytes
        self.low = low
        self.critical = critical
    }
}
