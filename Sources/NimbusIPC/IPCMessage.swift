/// Every message of the catalogue with its typed body. Encoding and decoding live together so that they cannot
/// drift; decoding insists on an exact length.
public enum IPCMessage: Sendable, Equatable {
    case ping(nonce: UInt64)
    case pong(nonce: UInt64)
    case failure(Failure)
    case ready(steps: [SandboxStepReport])
    case shutdown
    case peerLinkReplaced(peer: Role)
    case roleStatusRequest
    case roleStatus([RoleInfo])
    case keyStoreStatusRequest
    case keyStoreStatus(KeyStoreStatus)
    case keysSession(KeysClient)
    case pairingTopic(topic: String, subscribe: Bool)
    case pairingPublish(topic: String, payload: [UInt8])
    case pairingMessage(topic: String, payload: [UInt8])
    case hostKeyRequest
    case hostKey([UInt8])
    case deviceChange(DeviceChange)
    case networkPairedDevice(NetworkPairedDevice)
    case keyListRequest
    case keyList([KeyListEntry])
    case keysChannelOpen(KeysChannelOpen)
    case keysChannelOpened(KeysChannelOpened)
    case keysChannelExchange(KeysChannelExchange)
    case keysChannelOutput(KeysChannelOutput)
    case keysChannelClose(KeysChannelRef)
    case installStateRequest
    case installState(InstallState)
    case nodeProcessesRequest
    case nodeProcesses([NodeProcessState])
    case nodeControl(NodeControl)
    case latestReleaseRequest
    case releaseDocument(ReleaseDocument)

    /// The wire number of this message.
    public var type: MessageType {
        switch self {
        case .ping: .ping
        case .pong: .pong
        case .failure: .failure
        case .ready: .ready
        case .shutdown: .shutdown
        case .peerLinkReplaced: .peerLinkReplaced
        case .roleStatusRequest: .roleStatusRequest
        case .roleStatus: .roleStatus
        case .keyStoreStatusRequest: .keyStoreStatusRequest
        case .keyStoreStatus: .keyStoreStatus
        case .keysSession: .keysSession
        case .pairingTopic: .pairingTopic
        case .pairingPublish: .pairingPublish
        case .pairingMessage: .pairingMessage
        case .hostKeyRequest: .hostKeyRequest
        case .hostKey: .hostKey
        case .deviceChange: .deviceChange
        case .networkPairedDevice: .networkPairedDevice
        case .keyListRequest: .keyListRequest
        case .keyList: .keyList
        case .keysChannelOpen: .keysChannelOpen
        case .keysChannelOpened: .keysChannelOpened
        case .keysChannelExchange: .keysChannelExchange
        case .keysChannelOutput: .keysChannelOutput
        case .keysChannelClose: .keysChannelClose
        case .installStateRequest: .installStateRequest
        case .installState: .installState
        case .nodeProcessesRequest: .nodeProcessesRequest
        case .nodeProcesses: .nodeProcesses
        case .nodeControl: .nodeControl
        case .latestReleaseRequest: .latestReleaseRequest
        case .releaseDocument: .releaseDocument
        }
    }

    /// The body bytes.
    public func encodedBody() -> [UInt8] {
        var writer = WireWriter()
        switch self {
        case let .ping(nonce), let .pong(nonce): writer.u64(nonce)
        case let .failure(failure): failure.encode(into: &writer)
        case let .ready(steps): writer.array(steps) { $1.encode(into: &$0) }
        case .shutdown, .roleStatusRequest, .keyStoreStatusRequest, .installStateRequest, .hostKeyRequest,
             .nodeProcessesRequest, .latestReleaseRequest, .keyListRequest: break
        case let .peerLinkReplaced(peer): writer.u8(peer.rawValue)
        case let .roleStatus(roles): writer.array(roles) { $1.encode(into: &$0) }
        case let .keyStoreStatus(status): status.encode(into: &writer)
        case let .keysSession(client): client.encode(into: &writer)
        case let .pairingTopic(topic, subscribe):
            writer.string(topic)
            writer.bool(subscribe)
        case let .pairingPublish(topic, payload), let .pairingMessage(topic, payload):
            writer.string(topic)
            writer.byteString(payload)
        case let .hostKey(key): writer.byteString(key)
        case let .deviceChange(change): change.encode(into: &writer)
        case let .networkPairedDevice(device): device.encode(into: &writer)
        case let .keyList(keys): writer.array(keys) { $1.encode(into: &$0) }
        case let .keysChannelOpen(open): open.encode(into: &writer)
        case let .keysChannelOpened(opened): opened.encode(into: &writer)
        case let .keysChannelExchange(exchange): exchange.encode(into: &writer)
        case let .keysChannelOutput(output): output.encode(into: &writer)
        case let .keysChannelClose(channel): channel.encode(into: &writer)
        case let .installState(state): state.encode(into: &writer)
        case let .nodeProcesses(nodes): writer.array(nodes) { $1.encode(into: &$0) }
        case let .nodeControl(control): control.encode(into: &writer)
        case let .releaseDocument(document): document.encode(into: &writer)
        }
        return writer.bytes
    }

    /// Decodes a body of the given type. Throws on a short, long or malformed body.
    public static func decode(type: MessageType, body: [UInt8]) throws(IPCError) -> IPCMessage {
        var reader = WireReader(body)
        let message: IPCMessage
        switch type {
        case .ping: message = .ping(nonce: try reader.u64())
        case .pong: message = .pong(nonce: try reader.u64())
        case .failure: message = .failure(try Failure(from: &reader))
        case .ready: message = .ready(steps: try reader.array { (r) throws(IPCError) in try SandboxStepReport(from: &r) })
        case .shutdown: message = .shutdown
        case .peerLinkReplaced: message = .peerLinkReplaced(peer: try reader.enumeration(Role.self, field: "peer"))
        case .roleStatusRequest: message = .roleStatusRequest
        case .roleStatus: message = .roleStatus(try reader.array { (r) throws(IPCError) in try RoleInfo(from: &r) })
        case .keyStoreStatusRequest: message = .keyStoreStatusRequest
        case .keyStoreStatus: message = .keyStoreStatus(try KeyStoreStatus(from: &reader))
        case .keysSession: message = .keysSession(try KeysClient(from: &reader))
        case .pairingTopic: message = .pairingTopic(topic: try reader.string(), subscribe: try reader.bool())
        case .pairingPublish: message = .pairingPublish(topic: try reader.string(), payload: try reader.byteString())
        case .pairingMessage: message = .pairingMessage(topic: try reader.string(), payload: try reader.byteString())
        case .hostKeyRequest: message = .hostKeyRequest
        case .hostKey: message = .hostKey(try reader.byteString())
        case .deviceChange: message = .deviceChange(try DeviceChange(from: &reader))
        case .networkPairedDevice: message = .networkPairedDevice(try NetworkPairedDevice(from: &reader))
        case .keyListRequest: message = .keyListRequest
        case .keyList: message = .keyList(try reader.array { (r) throws(IPCError) in try KeyListEntry(from: &r) })
        case .keysChannelOpen: message = .keysChannelOpen(try KeysChannelOpen(from: &reader))
        case .keysChannelOpened: message = .keysChannelOpened(try KeysChannelOpened(from: &reader))
        case .keysChannelExchange: message = .keysChannelExchange(try KeysChannelExchange(from: &reader))
        case .keysChannelOutput: message = .keysChannelOutput(try KeysChannelOutput(from: &reader))
        case .keysChannelClose: message = .keysChannelClose(try KeysChannelRef(from: &reader))
        case .installStateRequest: message = .installStateRequest
        case .installState: message = .installState(try InstallState(from: &reader))
        case .nodeProcessesRequest: message = .nodeProcessesRequest
        case .nodeProcesses:
            message = .nodeProcesses(try reader.array { (r) throws(IPCError) in try NodeProcessState(from: &r) })
        case .nodeControl: message = .nodeControl(try NodeControl(from: &reader))
        case .latestReleaseRequest: message = .latestReleaseRequest
        case .releaseDocument: message = .releaseDocument(try ReleaseDocument(from: &reader))
        }
        try reader.finish()
        return message
    }
}
