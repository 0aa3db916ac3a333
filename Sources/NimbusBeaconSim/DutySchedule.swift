/// Who must attest, propose and sign sync messages when: a deterministic stand-in for the consensus shuffling.
///
/// The rule (documented in docs/beacon-sim.md):
/// - every validator attests once per epoch, at slot `first_slot(epoch) + H(seed, "attest", epoch, index) mod
///   SLOTS_PER_EPOCH`, in committee `H(seed, "committee", epoch, index) mod committees_at_slot`;
/// - slot `s` is proposed by validator `H(seed, "proposer", s) mod validator_count`;
/// - validator `i` is in the sync committee of period `p` (256 epochs) when `H(seed, "sync", p, i) mod
///   validator_count < 512`.
/// H is SHA-256 (`SimHash`); the real chain's RANDAO shuffle is not simulated.
public struct DutySchedule: Sendable, Equatable {
    /// An attestation duty, with the committee fields the beacon API reports.
    public struct AttesterDuty: Sendable, Equatable {
        /// The attesting validator.
        public var validatorIndex: UInt64
        /// The slot to attest in.
        public var slot: UInt64
        /// Its committee at that slot.
        public var committeeIndex: UInt64
        /// Members of that committee.
        public var committeeLength: UInt64
        /// Committees at that slot.
        public var committeesAtSlot: UInt64
        /// Its position in the committee.
        public var validatorCommitteeIndex: UInt64
    }

    /// Beacon time.
    public let clock: SlotClock
    /// Number of active validators.
    public let validatorCount: UInt64
    private let hash: SimHash

    /// EPOCHS_PER_SYNC_COMMITTEE_PERIOD.
    public static let epochsPerSyncCommitteePeriod: UInt64 = 256
    /// SYNC_COMMITTEE_SIZE.
    public static let syncCommitteeSize: UInt64 = 512

    /// A schedule.
    public init(clock: SlotClock, validatorCount: UInt64, hash: SimHash) {
        self.clock = clock
        self.validatorCount = validatorCount
        self.hash = hash
    }

    /// Committees per slot, as `get_committee_count_per_slot` (MAX_COMMITTEES_PER_SLOT 64, TARGET_COMMITTEE_SIZE
    /// 128).
    public var committeesAtSlot: UInt64 {
        max(1, min(64, validatorCount / clock.slotsPerEpoch / 128))
    }

    /// The slot at which `validator` attests in `epoch`.
    public func attestationSlot(validator: UInt64, epoch: UInt64) -> UInt64 {
        clock.firstSlot(of: epoch) + hash.number(below: clock.slotsPerEpoch, "attest", "\(epoch)", "\(validator)")
    }

    /// The full attestation duty of `validator` in `epoch`.
    public func attesterDuty(validator: UInt64, epoch: UInt64) -> AttesterDuty {
        let committees = committeesAtSlot
        let length = max(1, validatorCount / (clock.slotsPerEpoch * committees))
        return AttesterDuty(
            validatorIndex: validator,
            slot: attestationSlot(validator: validator, epoch: epoch),
            committeeIndex: hash.number(below: committees, "committee", "\(epoch)", "\(validator)"),
            committeeLength: length,
            committeesAtSlot: committees,
            validatorCommitteeIndex: hash.number(below: length, "committee-position", "\(epoch)", "\(validator)"))
    }

    /// The validator that proposes `slot`.
    public func proposer(of slot: UInt64) -> UInt64 {
        hash.number(below: validatorCount, "proposer", "\(slot)")
    }

    /// Whether `validator` is in the sync committee during `epoch`.
    public func isInSyncCommittee(validator: UInt64, epoch: UInt64) -> Bool {
        let period = epoch / Self.epochsPerSyncCommitteePeriod
        return hash.number(below: validatorCount, "sync", "\(period)", "\(validator)") < Self.syncCommitteeSize
    }
}
