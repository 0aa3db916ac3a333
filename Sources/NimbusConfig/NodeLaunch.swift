/// How the node manager starts and supervises a node itself (`[nodes.launch]` under a `[[nodes]]` entry), the way
/// the packaged systemd unit does: the installer role runs the binary with flags it generates from the node's
/// entry, restarts it when it stops, and leaves it stopped after a doppelganger exit (status 129).
public struct NodeLaunch: Sendable, Equatable, Codable {
    /// Absolute path of `nimbus_beacon_node`.
    public var binary: String
    /// `--network`: mainnet, hoodi, sepolia, ... or a directory with a `config.yaml`.
    public var network: String
    /// The account the node runs as when the node manager runs as root (default "nimbus", as the packages use);
    /// in dev mode the node runs as the invoking user and this must be absent.
    public var user: String?
    /// `--el`: the execution client's engine API URLs.
    public var el: [String]
    /// `--jwt-secret`: the file with the engine API secret.
    public var jwtSecret: String?
    /// `--doppelganger-detection` (default true, as in Nimbus).
    public var doppelgangerDetection: Bool
    /// More flags, passed after the generated ones (e.g. `--suggested-fee-recipient=0x...`). Never secrets: a
    /// process's arguments are readable by every local user.
    public var extraArgs: [String]

    enum CodingKeys: String, CodingKey {
        case binary, network, user, el
        case jwtSecret = "jwt_secret"
        case doppelgangerDetection = "doppelganger_detection"
        case extraArgs = "extra_args"
    }

    public init(
        binary: String, network: String, user: String? = nil, el: [String] = [], jwtSecret: String? = nil,
        doppelgangerDetection: Bool = true, extraArgs: [String] = []
    ) {
        self.binary = binary
        self.network = network
        self.user = user
        self.el = el
        self.jwtSecret = jwtSecret
        self.doppelgangerDetection = doppelgangerDetection
        self.extraArgs = extraArgs
    }

    /// Flags the node manager writes itself; `extra_args` may not repeat them (two values would leave it to the
    /// node which one wins).
    public static let generatedFlags = [
        "--network", "--data-dir", "--non-interactive", "--rest", "--rest-address", "--rest-port", "--metrics",
        "--metrics-address", "--metrics-port", "--keymanager", "--keymanager-address", "--keymanager-port",
        "--keymanager-token-file", "--el", "--web3-url", "--jwt-secret", "--doppelganger-detection", "-d",
    ]

    init(reading reader: inout TableReader, node: String) throws(NodeManagerConfig.Invalid) {
        let place = "\(reader.source): [[nodes]] \"\(node)\" launch"
        guard let binary = try reader.string("binary"), binary.hasPrefix("/") else {
            throw NodeManagerConfig.Invalid("\(place) needs binary, the absolute path of nimbus_beacon_node")
        }
        guard let network = try reader.string("network"), !network.isEmpty else {
            throw NodeManagerConfig.Invalid("\(place) needs network (e.g. \"hoodi\" or \"mainnet\")")
        }
        self.init(
            binary: binary, network: network, user: try reader.string("user"), el: try reader.strings("el") ?? [],
            jwtSecret: try reader.string("jwt_secret"),
            doppelgangerDetection: try reader.bool("doppelganger_detection") ?? true,
            extraArgs: try reader.strings("extra_args") ?? [])
        if let user, user.isEmpty || user.contains(where: { $0 == ":" || $0 == "/" || $0.isWhitespace }) {
            throw NodeManagerConfig.Invalid("\(place): user \"\(user.prefix(40))\" is not an account name")
        }
        for argument in extraArgs {
            let flag = String(argument.split(separator: "=", maxSplits: 1).first ?? "")
            if Self.generatedFlags.contains(flag) || Self.generatedFlags.contains(where: { flag.hasPrefix("\($0):") }) {
                throw NodeManagerConfig.Invalid(
                    "\(place): extra_args may not set \(flag): the node manager generates it from the node's entry")
            }
        }
    }
}
