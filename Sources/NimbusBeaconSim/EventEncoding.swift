/// The JSON `data` of the beacon API events the simulator emits.
public enum EventEncoding {
    /// The `head` event.
    public static func head(_ head: SimulationEvent.Head) -> String {
        JSONValue.object([
            ("slot", .uint(head.slot)),
            ("block", .string(head.block)),
            ("state", .string(head.state)),
            ("epoch_transition", .bool(head.epochTransition)),
            ("previous_duty_dependent_root", .string(head.previousDutyDependentRoot)),
            ("current_duty_dependent_root", .string(head.currentDutyDependentRoot)),
            ("execution_optimistic", .bool(head.executionOptimistic)),
        ]).text
    }

    /// The `finalized_checkpoint` event.
    public static func finalizedCheckpoint(_ checkpoint: SimulationEvent.FinalizedCheckpoint) -> String {
        JSONValue.object([
            ("block", .string(checkpoint.block)),
            ("state", .string(checkpoint.state)),
            ("epoch", .uint(checkpoint.epoch)),
            ("execution_optimistic", .bool(checkpoint.executionOptimistic)),
        ]).text
    }
}
