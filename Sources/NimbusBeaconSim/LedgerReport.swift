/// The `ledger` sub-command: the duty ledger of a data directory, optionally with the downtime until now booked.
public enum LedgerReport {
    /// The ledger JSON, or a failure message.
    public static func render(_ options: LedgerOptions, now: Double) -> Result<String, SimCommand.Failure> {
        let directory = DataDirectory(root: options.dataDir)
        do {
            var ledger = try directory.loadLedger()
            if options.untilNow, let state = try directory.loadNodeState() {
                let chain = state.chain
                guard let network = NetworkProfile.named(chain.network) else {
                    return .failure(SimCommand.Failure(message: "unknown network \(chain.network) in the node state"))
                }
                let configuration = SimulationConfiguration(
                    clock: SlotClock(
                        genesisTime: chain.genesisTime, secondsPerSlot: chain.secondsPerSlot,
                        slotsPerEpoch: chain.slotsPerEpoch),
                    seed: chain.seed, validatorCount: chain.validatorCount, network: network)
                // A simulation "starting now" books the downtime; its own run record is not part of the report.
                var booked = BeaconSimulation(
                    configuration: configuration, scenario: Scenario(), processStart: now, state: state, ledger: ledger
                )
                .ledger
                booked.runs.removeLast()
                ledger = booked
            }
            return .success(String(decoding: try JSONCoding.encode(ledger), as: UTF8.self))
        } catch {
            return .failure(SimCommand.Failure(message: "\(error)"))
        }
    }
}
