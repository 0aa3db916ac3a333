/// Beacon chain time: slots of a fixed length counted from genesis, grouped into epochs.
///
/// Times are Unix seconds as `Double`, so that tests may use sub-second slots; the real chain uses whole seconds.
public struct SlotClock: Sendable, Equatable, Codable {
    /// Unix time of slot 0's start.
    public var genesisTime: Double
    /// Length of one slot (12 on mainnet).
    public var secondsPerSlot: Double
    /// Slots per epoch (32 on mainnet).
    public var slotsPerEpoch: UInt64

    /// A clock; `secondsPerSlot` must be positive and `slotsPerEpoch` at least 1.
    public init(genesisTime: Double, secondsPerSlot: Double = 12, slotsPerEpoch: UInt64 = 32) {
        precondition(secondsPerSlot > 0 && slotsPerEpoch > 0, "degenerate slot clock")
        self.genesisTime = genesisTime
        self.secondsPerSlot = secondsPerSlot
        self.slotsPerEpoch = slotsPerEpoch
    }

    /// The slot in progress at `time`, or nil before genesis.
    public func slot(at time: Double) -> UInt64? {
        guard time >= genesisTime else { return nil }
        return UInt64(((time - genesisTime) / secondsPerSlot).rounded(.down))
    }

    /// The slot in progress at `time`, 0 before genesis (what a node reports as its wall slot then).
    public func wallSlot(at time: Double) -> UInt64 { slot(at: time) ?? 0 }

    /// When `slot` starts.
    public func startTime(of slot: UInt64) -> Double { genesisTime + Double(slot) * secondsPerSlot }

    /// When attestations for `slot` are due: a third into the slot, as in the consensus specs.
    public func attestationTime(of slot: UInt64) -> Double { startTime(of: slot) + secondsPerSlot / 3 }

    /// The epoch `slot` belongs to.
    public func epoch(of slot: UInt64) -> UInt64 { slot / slotsPerEpoch }

    /// The first slot of `epoch`.
    public func firstSlot(of epoch: UInt64) -> UInt64 { epoch * slotsPerEpoch }

    /// The first epoch that starts at or after `slot` (rounds up: a partial epoch does not count).
    public func firstFullEpoch(from slot: UInt64) -> UInt64 { (slot + slotsPerEpoch - 1) / slotsPerEpoch }
}
