/// A process of the node manager. The wire value is stable: it appears in frames (`peerLinkReplaced`, `roleStatus`).
public enum Role: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Spawns, watches and restarts the other roles; holds no secrets and parses no network input.
    case supervisor = 0
    /// Waku node, control socket, monitoring: the only role that talks to the outside world.
    case network = 1
    /// Validator keys and keystore crypto, in a network namespace with no interfaces.
    case signer = 2
    /// Releases, downloads, installs: the only privileged role.
    case installer = 3

    public var description: String {
        switch self {
        case .supervisor: "supervisor"
        case .network: "network"
        case .signer: "signer"
        case .installer: "installer"
        }
    }

    /// Parses the names used in configuration files and on the command line.
    public init?(name: String) {
        guard let role = Role.allCases.first(where: { $0.description == name }) else { return nil }
        self = role
    }

    /// The roles the supervisor spawns, in spawn order (the network role last, so that its peers exist).
    public static let children: [Role] = [.signer, .installer, .network]
}
