/// The yardstick for zero-downtime upgrades: every duty of the node's validators, and why each missed one was
/// missed. Kept in `<data-dir>/beacon-sim/ledger.json` across restarts.
///
/// Duties whose time passed while no process ran are booked as `down` by the next process at start-up, from the
/// last instant the previous process accounted for (`accountedThrough`) to its own start.
public struct DutyLedger: Sendable, Equatable, Codable {
    /// Kinds of duty.
    public enum Duty: String, Sendable, Codable, CaseIterable {
        case attestation
        case proposal
    }

    /// Why a duty was missed.
    public enum Reason: String, Sendable, Codable, CaseIterable {
        /// No simulator process was running.
        case down
        /// The process ran but had not finished starting (`startupDelay`).
        case starting
        /// Running but unable: syncing, stuck, no peers, execution client offline (see `detail`).
        case unhealthy
        /// Doppelganger detection was still listening.
        case doppelganger
        /// The scenario dropped it on purpose (`missed_attestation_rate`, `missed_proposal_rate`).
        case injected
        /// Slashing protection refused to sign (the key signed this slot or epoch elsewhere).
        case slashingProtection = "slashing_protection"
    }

    /// One missed duty.
    public struct Miss: Sendable, Equatable, Codable {
        /// Attestation or proposal.
        public var duty: Duty
        /// The duty's slot.
        public var slot: UInt64
        /// The slot's epoch.
        public var epoch: UInt64
        /// The validator's index on the simulated chain.
        public var validatorIndex: UInt64
        /// The validator's public key.
        public var pubkey: String
        /// Why it was missed.
        public var reason: Reason
        /// More about `unhealthy`: "syncing", "stuck", "el_offline", "no_peers".
        public var detail: String?

        private enum CodingKeys: String, CodingKey {
            case duty, slot, epoch, reason, detail, pubkey
            case validatorIndex = "validator_index"
        }
    }

    /// Counts per duty kind.
    public struct Tally: Sendable, Equatable, Codable {
        /// Duties whose time came.
        public var due: UInt64 = 0
        /// Duties done.
        public var performed: UInt64 = 0
        /// Duties missed.
        public var missed: UInt64 = 0
    }

    /// One process run, for reading the ledger next to a supervisor's log.
    public struct Run: Sendable, Equatable, Codable {
        /// The version the process claimed.
        public var version: String
        /// Process start (Unix seconds).
        public var startedAt: Double
        /// Last instant accounted for by this run (updated as it goes; its end if it ended).
        public var accountedThrough: Double?
        /// Exit status, when the process ended on its own (crash, doppelganger, signal).
        public var exitStatus: Int32?

        private enum CodingKeys: String, CodingKey {
            case version
            case startedAt = "started_at"
            case accountedThrough = "accounted_through"
            case exitStatus = "exit_status"
        }
    }

    /// Format version of the file.
    public var format: Int = 1
    /// Duties whose instant is at or before this time are booked (nil: nothing yet).
    public var accountedThrough: Double?
    /// Totals per duty kind ("attestation", "proposal").
    public var totals: [String: Tally] = [:]
    /// Missed duties per reason.
    public var missedByReason: [String: UInt64] = [:]
    /// Every missed duty, oldest first.
    public var missed: [Miss] = []
    /// Every run, oldest first.
    public var runs: [Run] = []

    /// An empty ledger.
    public init() {}

    private enum CodingKeys: String, CodingKey {
        case format, totals, missed, runs
        case accountedThrough = "accounted_through"
        case missedByReason = "missed_by_reason"
    }

    /// Books a performed duty.
    public mutating func recordPerformed(_ duty: Duty) {
        totals[duty.rawValue, default: Tally()].due += 1
        totals[duty.rawValue, default: Tally()].performed += 1
    }

    /// Books a missed duty.
    public mutating func recordMissed(_ miss: Miss) {
        totals[miss.duty.rawValue, default: Tally()].due += 1
        totals[miss.duty.rawValue, default: Tally()].missed += 1
        missedByReason[miss.reason.rawValue, default: 0] += 1
        missed.append(miss)
    }

    /// Missed duties of `reason` (all reasons if nil).
    public func missedCount(reason: Reason? = nil) -> UInt64 {
        guard let reason else { return totals.values.reduce(0) { $0 + $1.missed } }
        return missedByReason[reason.rawValue] ?? 0
    }
}
