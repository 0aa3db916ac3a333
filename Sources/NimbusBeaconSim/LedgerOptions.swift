/// `ledger` options (simulator only).
public struct LedgerOptions: Sendable {
    /// The node's data directory.
    public var dataDir: String
    /// Also book as `down` the duties from the last accounted instant until now (for reading the ledger while no
    /// process runs; nothing is written).
    public var untilNow: Bool

    init(_ tokens: CommandLineTokens) {
        dataDir = tokens.last("data-dir") ?? "\(Environment.value("HOME") ?? "/root")/.cache/nimbus/BeaconNode"
        untilNow = tokens.last("until-now") == "true"
    }
}
