/// One socketpair between two roles. These five are the only paths between processes (see docs/ipc.md).
public enum Link: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    case supervisorNetwork = 1
    case supervisorSigner = 2
    case supervisorInstaller = 3
    case networkSigner = 4
    case networkInstaller = 5

    /// The side that initiates requests on this link (the supervisor, or the network role towards its peers).
    public var parent: Role {
        switch self {
        case .supervisorNetwork, .supervisorSigner, .supervisorInstaller: .supervisor
        case .networkSigner, .networkInstaller: .network
        }
    }

    /// The other side.
    public var child: Role {
        switch self {
        case .supervisorNetwork: .network
        case .supervisorSigner, .networkSigner: .signer
        case .supervisorInstaller, .networkInstaller: .installer
        }
    }

    /// The role at the far end of the link, seen from `local`. Traps when `local` is not on this link,
    /// because that is a wiring error in the daemon, not an input error.
    public func peer(of local: Role) -> Role {
        if local == parent { return child }
        precondition(local == child, "\(local) is not an end of link \(self)")
        return parent
    }

    /// The link between two roles, if there is one.
    public static func between(_ a: Role, _ b: Role) -> Link? {
        allCases.first { ($0.parent == a && $0.child == b) || ($0.parent == b && $0.child == a) }
    }

    /// The supervisor link of a child role.
    public static func supervisor(of role: Role) -> Link {
        switch role {
        case .network: .supervisorNetwork
        case .signer: .supervisorSigner
        case .installer: .supervisorInstaller
        case .supervisor: preconditionFailure("the supervisor has no supervisor link")
        }
    }

    /// The peer links of a role other than its supervisor link, in descriptor order: a child finds its supervisor
    /// link at descriptor 3 and these at 4, 5, ... (see `FixedDescriptor`).
    public static func peerLinks(of role: Role) -> [Link] {
        switch role {
        case .network: [.networkSigner, .networkInstaller]
        case .signer: [.networkSigner]
        case .installer: [.networkInstaller]
        case .supervisor: []
        }
    }

    public var description: String { "\(parent)<->\(child)" }
}

/// Where a child finds its link ends after exec. Every other descriptor above 2 is closed by the spawner.
public enum FixedDescriptor {
    /// The supervisor link is always descriptor 3.
    public static let supervisor: Int32 = 3

    /// The descriptor of `link` in the process of `role`.
    public static func descriptor(of link: Link, in role: Role) -> Int32? {
        if link == Link.supervisor(of: role) { return supervisor }
        guard let index = Link.peerLinks(of: role).firstIndex(of: link) else { return nil }
        return supervisor + 1 + Int32(index)
    }
}
