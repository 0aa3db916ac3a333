/// `trustedNodeSync`: "downloads" a checkpoint into an empty data directory, so that the node starts close to the
/// head. The simulator does not contact the trusted node; it computes the checkpoint the simulated chain has.
public enum TrustedNodeSync {
    /// Runs the sub-command at time `now`; returns the exit status.
    public static func run(_ options: TrustedNodeSyncOptions, now: Double) -> Int32 {
        let directory = DataDirectory(root: options.dataDir)
        guard directory.isEmpty else {
            NodeLog.write(
                .error,
                "Database already exists, trusted node sync cannot proceed: the data directory "
                    + "must be empty", [("dataDir", options.dataDir)])
            return 1
        }
        NodeLog.write(
            .notice, "Starting trusted node sync",
            [
                ("network", options.network.name), ("restUrl", options.trustedNodeURL), ("stateId", options.stateID),
                ("backfill", "\(options.backfill)"), ("dataDir", options.dataDir),
            ])
        let slot: UInt64
        switch options.checkpointSlot(now: now) {
        case .success(let found): slot = found
        case .failure(let failure):
            NodeLog.write(.error, failure.message)
            return 1
        }
        do {
            try directory.prepare()
            try directory.save(state: NodeState(chain: options.chainIdentity, headSlot: slot, checkpointSlot: slot))
        } catch {
            NodeLog.write(.error, "Could not write the checkpoint", [("error", "\(error)")])
            return 1
        }
        let root = SimHash(seed: options.seed).root("block", "\(slot)")
        NodeLog.write(.info, "Writing checkpoint state", [("slot", "\(slot)"), ("root", root)])
        NodeLog.write(
            .notice,
            "Done, your beacon node is ready to serve you! Don't forget to check that you're on "
                + "the canonical chain by comparing the checkpoint root with other online sources. See "
                + "https://nimbus.guide/trusted-node-sync.html for more information.", [("checkpointRoot", root)])
        return 0
    }
}
