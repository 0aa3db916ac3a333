/// The phase of a link. Supervisor links start in `starting` and move to `running` when the child sends `ready`;
/// peer links are `running` from the start (the supervisor only hands them to a child that is up).
public enum LinkPhase: UInt8, Sendable, CustomStringConvertible {
    case starting = 0
    case running = 1

    public var description: String { self == .starting ? "starting" : "running" }
}

/// Which end of a link may send a message.
public enum LinkSide: Sendable, Equatable {
    case parent
    case child
}

/// What a message is on a link: a request with the replies that may answer it, or a notification.
/// Replies are not listed: a reply is permitted exactly when it answers an outstanding request.
public enum MessageKind: Sendable, Equatable {
    case request(replies: Set<MessageType>)
    case notification(once: Bool)
}

/// One row of the permission table.
public struct Permission: Sendable, Equatable {
    public var type: MessageType
    public var kind: MessageKind
    public var sender: LinkSide
    public var phases: Set<LinkPhase>

    public init(_ type: MessageType, _ kind: MessageKind, from sender: LinkSide, in phases: Set<LinkPhase>) {
        self.type = type
        self.kind = kind
        self.sender = sender
        self.phases = phases
    }
}

/// The permission table of every link (OpenSSH `monitor.c` style): a message not listed for its link, sender and
/// phase is a protocol violation. docs/ipc.md renders this table; keep the two together.
public enum PermissionTable {
    /// Every permitted request and notification on `link`.
    public static func permissions(on link: Link) -> [Permission] {
        let ping = Permission(.ping, .request(replies: [.pong]), from: .parent, in: [.running])
        switch link {
        case .supervisorNetwork, .supervisorSigner, .supervisorInstaller:
            var rows = [
                ping,
                Permission(.ready, .notification(once: true), from: .child, in: [.starting]),
                Permission(.shutdown, .notification(once: false), from: .parent, in: [.starting, .running]),
                Permission(.peerLinkReplaced, .notification(once: false), from: .parent, in: [.starting, .running]),
            ]
            if link == .supervisorNetwork {
                rows.append(
                    Permission(.roleStatusRequest, .request(replies: [.roleStatus, .failure]), from: .child,
                               in: [.running]))
            }
            return rows
        case .networkSigner:
            return [
                ping,
                Permission(.keyStoreStatusRequest, .request(replies: [.keyStoreStatus, .failure]), from: .parent,
                           in: [.running]),
                Permission(.keysSession, .notification(once: false), from: .parent, in: [.running]),
                Permission(.keyListRequest, .request(replies: [.keyList, .failure]), from: .parent, in: [.running]),
                // Keys channels: the network role carries a paired device's sealed bytes and cannot read them.
                Permission(.keysChannelOpen, .request(replies: [.keysChannelOpened, .failure]), from: .parent,
                           in: [.running]),
                Permission(.keysChannelExchange, .request(replies: [.keysChannelOutput, .failure]), from: .parent,
                           in: [.running]),
                Permission(.keysChannelClose, .request(replies: [.keysChannelOutput, .failure]), from: .parent,
                           in: [.running]),
                // Pairing runs in the signer; the network role only carries its public frames over Waku.
                Permission(.pairingTopic, .notification(once: false), from: .child, in: [.running]),
                Permission(.pairingPublish, .notification(once: false), from: .child, in: [.running]),
                Permission(.pairingMessage, .notification(once: false), from: .parent, in: [.running]),
                Permission(.hostKeyRequest, .request(replies: [.hostKey, .failure]), from: .child, in: [.running]),
                Permission(.deviceChange, .notification(once: false), from: .child, in: [.running]),
                Permission(.networkPairedDevice, .notification(once: false), from: .parent, in: [.running]),
            ]
        case .networkInstaller:
            return [
                ping,
                Permission(.installStateRequest, .request(replies: [.installState, .failure]), from: .parent,
                           in: [.running]),
                Permission(.nodeProcessesRequest, .request(replies: [.nodeProcesses, .failure]), from: .parent,
                           in: [.running]),
                Permission(.nodeControl, .request(replies: [.nodeProcesses, .failure]), from: .parent,
                           in: [.running]),
                Permission(.latestReleaseRequest, .request(replies: [.releaseDocument, .failure]), from: .parent,
                           in: [.running]),
            ]
        }
    }

    /// The row for `type` sent by `side` on `link`, if any.
    public static func permission(for type: MessageType, on link: Link, from side: LinkSide) -> Permission? {
        permissions(on: link).first { $0.type == type && $0.sender == side }
    }
}
