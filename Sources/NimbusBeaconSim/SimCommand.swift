/// What the command line asks for.
public enum SimCommand: Sendable {
    /// `--version`.
    case version(NodeVersion)
    /// `--help`.
    case help
    /// Run the beacon node.
    case node(NodeOptions)
    /// `trustedNodeSync`.
    case trustedNodeSync(TrustedNodeSyncOptions)
    /// `ledger` (simulator only): print the duty ledger of a data directory.
    case ledger(LedgerOptions)

    /// A refused command line: the message to print and the exit status (1, as Nimbus's `quit 1`).
    public struct Failure: Error, Equatable, CustomStringConvertible {
        /// What to print (empty when already logged).
        public var message: String
        /// Exit status.
        public var status: Int32 = 1
        public var description: String { message }
    }

    /// Sub-command words.
    public static let subcommands: Set<String> = ["trustedNodeSync", "ledger"]

    /// Options of the sub-commands and of the node, with whether each takes a value.
    static let nodeValued: Set<String> = Set([
        "network", "data-dir", "validators-dir", "secrets-dir", "el", "web3-url", "jwt-secret", "rest-port",
        "rest-address", "rest-allow-origin", "metrics-port", "metrics-address", "keymanager-port",
        "keymanager-address", "keymanager-token-file", "tcp-port", "udp-port", "log-level", "log-format",
        "suggested-fee-recipient", "suggested-gas-limit", "graffiti", "max-peers",
    ]).union(simValued)
    static let nodeBooleans: Set<String> = Set([
        "rest", "metrics", "keymanager", "non-interactive", "doppelganger-detection", "validator-monitor-details",
        "validator-monitor-auto", "version", "help",
    ]).union(simBooleans)
    static let simValued: Set<String> = [
        "sim-version", "sim-commit", "sim-seed", "sim-genesis-time", "sim-seconds-per-slot", "sim-slots-per-epoch",
        "sim-validator-count", "sim-sync-rate", "sim-initial-sync-distance", "sim-control-port", "sim-startup-delay",
        "sim-peers", "sim-sync-lag", "sim-crash-at", "sim-crash-after", "sim-crash-exit-code",
        "sim-missed-attestation-rate", "sim-missed-proposal-rate",
    ]
    static let simBooleans: Set<String> = ["sim-el-offline", "sim-unhealthy", "sim-doppelganger"]
    static let trustedValued: Set<String> = [
        "network", "data-dir", "trusted-node-url", "state-id", "trusted-block-root", "log-level", "sim-seed",
        "sim-genesis-time", "sim-seconds-per-slot", "sim-slots-per-epoch", "sim-validator-count",
    ]
    static let trustedBooleans: Set<String> = ["backfill", "reindex", "help"]
    static let ledgerValued: Set<String> = ["data-dir"]
    static let ledgerBooleans: Set<String> = ["until-now", "help"]

    /// Parses a command line (without the program name).
    public static func parse(_ arguments: [String]) -> Result<SimCommand, Failure> {
        let subcommand = arguments.first.flatMap { subcommands.contains($0) ? $0 : nil }
        let (valued, booleans) =
            switch subcommand {
            case "trustedNodeSync": (trustedValued, trustedBooleans)
            case "ledger": (ledgerValued, ledgerBooleans)
            default: (nodeValued, nodeBooleans)
            }
        do {
            let tokens = try CommandLineTokens.parse(
                arguments, valued: valued, booleans: booleans, subcommands: subcommands)
            if tokens.last("help") == "true" { return .success(.help) }
            switch tokens.subcommand {
            case "trustedNodeSync": return .success(.trustedNodeSync(try TrustedNodeSyncOptions(tokens)))
            case "ledger": return .success(.ledger(LedgerOptions(tokens)))
            default:
                let options = try NodeOptions(tokens)
                if tokens.last("version") == "true" { return .success(.version(options.version)) }
                return .success(.node(options))
            }
        } catch let failure as CommandLineTokens.Failure {
            return .failure(Failure(message: failure.description))
        } catch let failure as Failure {
            return .failure(failure)
        } catch {
            return .failure(Failure(message: "\(error)"))
        }
    }

    /// The usage text.
    public static let usage = """
        Usage: nimbus-beacon-sim [OPTIONS]... [trustedNodeSync | ledger] [OPTIONS]...

        A stand-in for nimbus_beacon_node (development and tests only). Nimbus's own options keep their names and
        meaning; --sim-* options drive the simulation. See docs/beacon-sim.md.
        """
}
