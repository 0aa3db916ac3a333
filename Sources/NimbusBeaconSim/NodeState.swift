/// What the node keeps in `<data-dir>/beacon-sim/node.json` between runs (its "database").
public struct NodeState: Sendable, Equatable, Codable {
    /// A node validator as remembered for downtime accounting.
    public struct Key: Sendable, Equatable, Codable {
        /// Canonical public key.
        public var pubkey: String
        /// Its validator index.
        public var index: UInt64
    }

    /// Format version.
    public var format: Int = 1
    /// The chain this directory follows.
    public var chain: ChainIdentity
    /// The head slot when last written (a restarted node syncs from here).
    public var headSlot: UInt64
    /// Indices given to node keys, kept so that a key keeps its duties.
    public var validatorIndices: [String: UInt64]
    /// The keys attached when last written: their duties count as missed while no process runs.
    public var validators: [Key]
    /// Set by `trustedNodeSync`: the checkpoint it "downloaded".
    public var checkpointSlot: UInt64?
    /// Chain balances of the node's keys in gwei, by public key (absent in directories written before balances
    /// were simulated: each key then starts from its genesis balance).
    public var balances: [String: UInt64]?

    /// A state.
    public init(
        chain: ChainIdentity, headSlot: UInt64, validatorIndices: [String: UInt64] = [:], validators: [Key] = [],
        checkpointSlot: UInt64? = nil, balances: [String: UInt64]? = nil
    ) {
        self.chain = chain
        self.headSlot = headSlot
        self.validatorIndices = validatorIndices
        self.validators = validators
        self.checkpointSlot = checkpointSlot
        self.balances = balances
    }

    private enum CodingKeys: String, CodingKey {
        case format, chain, validators
        case headSlot = "head_slot"
        case validatorIndices = "validator_indices"
        case checkpointSlot = "checkpoint_slot"
        case balances
    }
}
