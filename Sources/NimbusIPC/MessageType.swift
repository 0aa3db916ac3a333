/// The wire number of every message in the catalogue (docs/ipc.md lists them with their links).
/// The high byte names the catalogue: 0x00 common to every link, 0x01 supervisor links, 0x02 network<->signer,
/// 0x03 network<->installer. Numbers are never reused.
public enum MessageType: UInt16, Sendable, CaseIterable, CustomStringConvertible {
    /// Liveness probe; the receiver answers `pong` with the same nonce.
    case ping = 0x0001
    /// Answer to `ping`.
    case pong = 0x0002
    /// Operational failure of a request (a typed code and one line a user can act on; never secret material).
    case failure = 0x0003

    /// Child to supervisor, once, after the sandbox is in force: which steps are in force. Ends the starting phase.
    case ready = 0x0101
    /// Supervisor to child: finish in-flight work, close databases and exit.
    case shutdown = 0x0102
    /// Supervisor to child: a peer restarted; the new link end travels with this frame (SCM_RIGHTS).
    case peerLinkReplaced = 0x0103
    /// Network to supervisor: who runs, as whom, restarted how often, sandboxed how.
    case roleStatusRequest = 0x0104
    /// Answer to `roleStatusRequest`.
    case roleStatus = 0x0105

    /// Network to signer: how many keystores the signer holds and its schema version.
    case keyStoreStatusRequest = 0x0201
    /// Answer to `keyStoreStatusRequest`.
    case keyStoreStatus = 0x0202
    /// Network to signer: a `nimbus keys` client connected; its socket travels with this frame (SCM_RIGHTS) and the
    /// signer answers on it directly, so that no secret the person types or must see crosses the network role.
    case keysSession = 0x0203
    /// Signer to network: start or stop forwarding the Waku messages of a pairing rendezvous topic.
    case pairingTopic = 0x0204
    /// Signer to network: publish a pairing frame (public bytes) on a pairing topic.
    case pairingPublish = 0x0205
    /// Network to signer: a message arrived on a pairing topic the signer asked for.
    case pairingMessage = 0x0206
    /// Signer to network: the public half of the network role's session key, which a new device will pin.
    case hostKeyRequest = 0x0207
    /// Answer to `hostKeyRequest`.
    case hostKey = 0x0208
    /// Signer to network: a device was paired (its pinned key) or revoked; the network role admits or drops it.
    case deviceChange = 0x0209
    /// Network to signer: a device paired through `nimbus pair --qr` (43/WAKU2-DEVICE-PAIRING); the signer records it
    /// as vouched for by the network role and answers with `deviceChange`.
    case networkPairedDevice = 0x020A
    /// Network to signer: the validator keys held, public facts only (`GET /v1/keys`).
    case keyListRequest = 0x020B
    /// Answer to `keyListRequest`.
    case keyList = 0x020C
    /// Network to signer: a paired device opens a keys channel (docs/keys-channel.md); the handshake's first
    /// message, opaque to the network role.
    case keysChannelOpen = 0x020D
    /// Answer to `keysChannelOpen`: the channel's id and the signer's handshake answer.
    case keysChannelOpened = 0x020E
    /// Network to signer: one exchange on a keys channel, the device's sealed messages.
    case keysChannelExchange = 0x020F
    /// Answer to `keysChannelExchange` and `keysChannelClose`: the signer's sealed messages and whose turn it is.
    case keysChannelOutput = 0x0210
    /// Network to signer: the device closes a keys channel.
    case keysChannelClose = 0x0211

    /// Network to installer: what is installed and what the installer is doing.
    case installStateRequest = 0x0301
    /// Answer to `installStateRequest`.
    case installState = 0x0302
    /// Network to installer: the nodes the installer runs itself (`[nodes.launch]`) and their processes.
    case nodeProcessesRequest = 0x0303
    /// Answer to `nodeProcessesRequest` and `nodeControl`: every launched node, in configuration order.
    case nodeProcesses = 0x0304
    /// Network to installer: start, stop or restart a launched node (`nimbus nodes start|stop|restart`).
    case nodeControl = 0x0305
    /// Network to installer: fetch the configured release source (`[releases] url`) now.
    case latestReleaseRequest = 0x0306
    /// Answer to `latestReleaseRequest`: the source's status and body, unparsed.
    case releaseDocument = 0x0307

    /// Whether a frame of this type must carry exactly one file descriptor.
    public var carriesDescriptor: Bool { self == .peerLinkReplaced || self == .keysSession }

    public var description: String {
        switch self {
        case .ping: "ping"
        case .pong: "pong"
        case .failure: "failure"
        case .ready: "ready"
        case .shutdown: "shutdown"
        case .peerLinkReplaced: "peerLinkReplaced"
        case .roleStatusRequest: "roleStatusRequest"
        case .roleStatus: "roleStatus"
        case .keyStoreStatusRequest: "keyStoreStatusRequest"
        case .keyStoreStatus: "keyStoreStatus"
        case .keysSession: "keysSession"
        case .pairingTopic: "pairingTopic"
        case .pairingPublish: "pairingPublish"
        case .pairingMessage: "pairingMessage"
        case .hostKeyRequest: "hostKeyRequest"
        case .hostKey: "hostKey"
        case .deviceChange: "deviceChange"
        case .networkPairedDevice: "networkPairedDevice"
        case .keyListRequest: "keyListRequest"
        case .keyList: "keyList"
        case .keysChannelOpen: "keysChannelOpen"
        case .keysChannelOpened: "keysChannelOpened"
        case .keysChannelExchange: "keysChannelExchange"
        case .keysChannelOutput: "keysChannelOutput"
        case .keysChannelClose: "keysChannelClose"
        case .installStateRequest: "installStateRequest"
        case .installState: "installState"
        case .nodeProcessesRequest: "nodeProcessesRequest"
        case .nodeProcesses: "nodeProcesses"
        case .nodeControl: "nodeControl"
        case .latestReleaseRequest: "latestReleaseRequest"
        case .releaseDocument: "releaseDocument"
        }
    }
}
