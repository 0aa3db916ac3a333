/// Something that happened in the simulation, for the event stream, the log and the runtime.
public enum SimulationEvent: Sendable, Equatable {
    /// A new head block (the beacon API `head` topic).
    public struct Head: Sendable, Equatable {
        /// As in the beacon API event's `slot`.
        public var slot: UInt64
        /// As in the beacon API event's `block`.
        public var block: String
        /// As in the beacon API event's `state`.
        public var state: String
        /// As in the beacon API event's `epoch_transition`.
        public var epochTransition: Bool
        /// As in the beacon API event's `previous_duty_dependent_root`.
        public var previousDutyDependentRoot: String
        /// As in the beacon API event's `current_duty_dependent_root`.
        public var currentDutyDependentRoot: String
        /// As in the beacon API event's `execution_optimistic`.
        public var executionOptimistic: Bool
    }

    /// A new finalized checkpoint (the `finalized_checkpoint` topic).
    public struct FinalizedCheckpoint: Sendable, Equatable {
        /// As in the beacon API event's `block`.
        public var block: String
        /// As in the beacon API event's `state`.
        public var state: String
        /// As in the beacon API event's `epoch`.
        public var epoch: UInt64
        /// As in the beacon API event's `execution_optimistic`.
        public var executionOptimistic: Bool
    }

    /// Start-up finished: REST and metrics may be served from now on.
    case ready
    /// New head.
    case head(Head)
    /// New finality.
    case finalizedCheckpoint(FinalizedCheckpoint)
    /// A duty done.
    case dutyPerformed(duty: DutyLedger.Duty, slot: UInt64, validatorIndex: UInt64)
    /// A duty missed (also booked in the ledger).
    case dutyMissed(DutyLedger.Miss)
    /// End of a slot, with what Nimbus logs then.
    case slotEnd(slot: UInt64, headSlot: UInt64, nextActionWait: Double?)
    /// The process must exit with `status` (simulated crash, doppelganger).
    case exit(status: Int32, reason: String)
}
