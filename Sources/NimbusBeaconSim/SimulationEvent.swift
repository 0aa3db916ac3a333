/// Something that happened in the simulation, for the event stream, the log and the runtime.
public enum SimulationEvent: Sendable, Equatable {
    /// A new head block (the beacon API `head` topic).
    public struct Head: Sendable, Equatable {
        public var slot: UInt64
        public var block: String
        public var state: String
        public var epochTransition: Bool
        public var previousDutyDependentRoot: String
        public var currentDutyDependentRoot: String
        public var executionOptimistic: Bool
    }

    /// A new finalized checkpoint (the `finalized_checkpoint` topic).
    public struct FinalizedCheckpoint: Sendable, Equatable {
        public var block: String
        public var state: String
        public var epoch: UInt64
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
