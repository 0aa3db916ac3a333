/// The metric values the simulated node exposes, under Nimbus's names (see `MetricsExposition`).
public struct NodeMetrics: Sendable, Equatable {
    /// Labels of an `engine_api_responses` series.
    public struct EngineResponseKey: Sendable, Hashable, Comparable {
        /// The execution client URL.
        public var url: String
        /// Engine API method ("newPayload", "forkchoiceUpdated").
        public var request: String
        /// HTTP status of the answer.
        public var status: String
        public static func < (a: Self, b: Self) -> Bool { (a.url, a.request, a.status) < (b.url, b.request, b.status) }
    }

    /// Labels of an `engine_api_timeouts` series.
    public struct EngineRequestKey: Sendable, Hashable, Comparable {
        /// The execution client URL.
        public var url: String
        /// Engine API method ("newPayload", "forkchoiceUpdated").
        public var request: String
        public static func < (a: Self, b: Self) -> Bool { (a.url, a.request) < (b.url, b.request) }
    }

    /// Seconds to the next attestation or proposal; set at slot end only when a duty is known (else stale).
    public var nextActionWait: Double = 0
    /// Seconds to the next proposal, +infinity when none is known.
    public var nextProposalWait: Double = .infinity
    /// 1 when a node validator is in the current sync committee.
    public var syncCommitteeActive: Double = 0
    /// Wall slot.
    public var beaconSlot: UInt64 = 0
    /// Wall epoch.
    public var beaconCurrentEpoch: UInt64 = 0
    /// Head slot.
    public var beaconHeadSlot: UInt64 = 0
    /// Finalized epoch.
    public var beaconFinalizedEpoch: UInt64 = 0
    /// Current justified epoch.
    public var beaconCurrentJustifiedEpoch: UInt64 = 0
    /// Connected peers.
    public var peers: Int = 0
    /// Attestations sent (counter).
    public var attestationsSent: UInt64 = 0
    /// Blocks proposed (counter).
    public var blocksProposed: UInt64 = 0
    /// Validators attached.
    public var attachedValidators: Int = 0
    /// Per epoch processing: previous-epoch attester hits by validator label.
    public var attesterHits: [String: UInt64] = [:]
    /// Per epoch processing: previous-epoch attester misses by validator label.
    public var attesterMisses: [String: UInt64] = [:]
    /// Per epoch processing: proposals of the epoch that made it on chain (hit) or not (miss), by validator label.
    public var blockHits: [String: UInt64] = [:]
    public var blockMisses: [String: UInt64] = [:]
    /// Proposals whose block could not be produced (counter).
    public var blockProductionErrors: UInt64 = 0
    /// Validator-monitor balances (gwei) by validator label, as of the last epoch processed.
    public var monitorBalances: [String: UInt64] = [:]
    /// Head-state balances (gwei) of the first 64 attached validators by short public key, and of all of them.
    public var attachedBalances: [String: UInt64] = [:]
    public var attachedBalanceTotal: UInt64 = 0
    /// Engine API responses.
    public var engineResponses: [EngineResponseKey: UInt64] = [:]
    /// Engine API time-outs.
    public var engineTimeouts: [EngineRequestKey: UInt64] = [:]

    /// Empty metrics.
    public init() {}
}
