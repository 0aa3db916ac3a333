/// `trustedNodeSync` options (Nimbus's names and defaults).
public struct TrustedNodeSyncOptions: Sendable {
    /// `--network`.
    public var network: NetworkProfile
    /// `--data-dir` (must be empty).
    public var dataDir: String
    /// `--trusted-node-url` (not contacted).
    public var trustedNodeURL: String
    /// "finalized" (default), "head", "genesis", a slot or a state root.
    public var stateID: String
    /// `--backfill` (accepted; nothing to backfill).
    public var backfill: Bool
    /// `--trusted-block-root` (accepted, checked for form).
    public var trustedBlockRoot: String?
    /// Simulator: the chain the checkpoint belongs to (must match the node's later flags).
    public var seed: String
    /// `--sim-genesis-time`.
    public var genesisTime: Double
    /// `--sim-seconds-per-slot`.
    public var secondsPerSlot: Double
    /// `--sim-slots-per-epoch`.
    public var slotsPerEpoch: UInt64
    /// `--sim-validator-count`.
    public var validatorCount: UInt64

    init(_ tokens: CommandLineTokens) throws(SimCommand.Failure) {
        let values = OptionValues(tokens: tokens)
        network = try values.network()
        guard let dataDir = values.string("data-dir") else {
            throw SimCommand.Failure(message: "trustedNodeSync needs --data-dir")
        }
        self.dataDir = dataDir
        guard let url = values.string("trusted-node-url") else {
            throw SimCommand.Failure(message: "trustedNodeSync needs --trusted-node-url")
        }
        trustedNodeURL = url
        stateID = values.string("state-id") ?? "finalized"
        backfill = values.flag("backfill", default: true)
        trustedBlockRoot = values.string("trusted-block-root")
        if let root = trustedBlockRoot, Hex.bytes(root)?.count != 32 {
            throw SimCommand.Failure(message: "Invalid value for --trusted-block-root: '\(root)'")
        }
        seed = values.string("sim-seed") ?? "nimbus-beacon-sim"
        genesisTime = try values.real("sim-genesis-time") ?? Double(network.genesisTime)
        secondsPerSlot = try values.real("sim-seconds-per-slot", minimum: 0.05) ?? 12
        slotsPerEpoch = max(1, try values.unsigned("sim-slots-per-epoch") ?? 32)
        validatorCount = max(1, try values.unsigned("sim-validator-count") ?? 1_000_000)
    }

    /// The chain identity the written state claims.
    public var chainIdentity: ChainIdentity {
        ChainIdentity(
            network: network.name, genesisTime: genesisTime, secondsPerSlot: secondsPerSlot,
            slotsPerEpoch: slotsPerEpoch, seed: seed, validatorCount: validatorCount)
    }

    /// The checkpoint slot for `stateID` at time `now`, or a failure for a state id the simulator cannot serve.
    public func checkpointSlot(now: Double) -> Result<UInt64, SimCommand.Failure> {
        let clock = SlotClock(genesisTime: genesisTime, secondsPerSlot: secondsPerSlot, slotsPerEpoch: slotsPerEpoch)
        let wall = clock.wallSlot(at: now)
        let epoch = clock.epoch(of: wall)
        switch stateID {
        case "finalized": return .success(clock.firstSlot(of: epoch >= 2 ? epoch - 2 : 0))
        case "head": return .success(wall)
        case "genesis": return .success(0)
        default:
            if let slot = UInt64(stateID), slot <= wall { return .success(slot) }
            return .failure(SimCommand.Failure(message: "Unsupported --state-id '\(stateID)' for the simulator"))
        }
    }
}
