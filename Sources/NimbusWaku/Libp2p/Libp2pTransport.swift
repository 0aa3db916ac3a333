import NimbusLibp2p
import NimbusMultiformats
import Synchronization

/// The project's libp2p host (`NimbusLibp2p.Libp2pHost`) as the Waku node's transport.
///
/// A peer is reported connected once it answered identify (so that its protocols are known), or after
/// `identifyGrace` without an answer; disconnected when its last connection closes. The host's event stream has
/// one consumer, this adapter, which fans events out to every `connectionEvents()` caller.
public final class Libp2pTransport: WakuTransport {
    private struct State {
        var listeners: [AsyncStream<WakuConnectionEvent>.Continuation] = []
        /// Open connections per peer, and whether the first was outbound.
        var connections: [WakuPeerID: (count: Int, outbound: Bool)] = [:]
        var announced: Set<WakuPeerID> = []
        var peerIDs: [WakuPeerID: PeerID] = [:]
        var protocols: [WakuPeerID: Set<String>] = [:]
    }

    /// The host.
    public let host: Libp2pHost
    /// How long to wait for identify before reporting a peer connected anyway.
    public let identifyGrace: Duration
    private let state = Mutex(State())
    private let pump: Task<Void, Never>

    /// Adapts `host`; this adapter must be the only reader of `host.events`.
    public init(host: Libp2pHost, identifyGrace: Duration = .seconds(5)) {
        self.host = host
        self.identifyGrace = identifyGrace
        let events = host.events
        let box = WeakTransport()
        pump = Task {
            for await event in events {
                guard let transport = box.transport else { return }
                transport.handle(event)
            }
        }
        box.transport = self
    }

    deinit {
        pump.cancel()
    }

    /// The host's peer id.
    public var localPeer: WakuPeerID { WakuPeerID(host.peerID.description) }

    /// Dials a multiaddr (`/ip4|ip6|dns4|dns6/.../tcp/<port>/p2p/<id>`).
    public func dial(_ address: String) async throws -> WakuPeerID {
        let multiaddr = try Multiaddr(address)
        let peer = try await host.dial(multiaddr)
        let id = WakuPeerID(peer.description)
        state.withLock { $0.peerIDs[id] = peer }
        return id
    }

    /// Opens a stream negotiating the first of `protocols` the peer supports.
    public func openStream(to peer: WakuPeerID, protocols: [String]) async throws
        -> (stream: any WakuStream, protocolID: String)
    {
        let stream = try await host.newStream(to: try peerID(peer), protocols: protocols)
        let agreed = stream.protocolID ?? protocols[0]
        return (Libp2pWakuStream(stream: stream, waitsIndefinitely: agreed == WakuProtocolID.relay), agreed)
    }

    /// Serves `protocolID`.
    public func setHandler(
        for protocolID: String, _ handler: @escaping @Sendable (WakuPeerID, any WakuStream) async -> Void
    ) async {
        let indefinitely = protocolID == WakuProtocolID.relay
        host.setStreamHandler(protocolID) { stream in
            await handler(
                WakuPeerID(stream.peer.description), Libp2pWakuStream(stream: stream, waitsIndefinitely: indefinitely))
        }
    }

    /// The protocols the peer announced in identify.
    public func protocols(of peer: WakuPeerID) async -> Set<String> {
        if let known = state.withLock({ $0.protocols[peer] }) { return known }
        guard let id = try? peerID(peer), let record = host.identifyRecord(of: id) else { return [] }
        return Set(record.protocols)
    }

    /// Closes every connection to the peer.
    public func disconnect(_ peer: WakuPeerID) async {
        guard let id = try? peerID(peer) else { return }
        host.disconnect(id)
    }

    /// Connection events from now on.
    public func connectionEvents() async -> AsyncStream<WakuConnectionEvent> {
        let (stream, continuation) = AsyncStream<WakuConnectionEvent>.makeStream(
            bufferingPolicy: .bufferingNewest(1024))
        state.withLock { $0.listeners.append(continuation) }
        return stream
    }

    private func peerID(_ peer: WakuPeerID) throws -> PeerID {
        if let known = state.withLock({ $0.peerIDs[peer] }) { return known }
        return try PeerID(peer.rawValue)
    }

    private func handle(_ event: ConnectionEvent) {
        switch event {
        case .connected(let peer, _, let direction):
            let id = WakuPeerID(peer.description)
            let first = state.withLock { state -> Bool in
                state.peerIDs[id] = peer
                let current = state.connections[id]
                state.connections[id] = ((current?.count ?? 0) + 1, current?.outbound ?? (direction == .outbound))
                return current == nil
            }
            guard first else { return }
            let grace = identifyGrace
            Task { [weak self] in
                try? await Task.sleep(for: grace)
                self?.announce(id)
            }
        case .identified(let peer, let message):
            let id = WakuPeerID(peer.description)
            state.withLock { $0.protocols[id] = Set(message.protocols) }
            announce(id)
        case .disconnected(let peer, _):
            let id = WakuPeerID(peer.description)
            let (gone, listeners) = state.withLock { state -> (Bool, [AsyncStream<WakuConnectionEvent>.Continuation]) in
                guard let current = state.connections[id] else { return (false, []) }
                if current.count > 1 {
                    state.connections[id] = (current.count - 1, current.outbound)
                    return (false, [])
                }
                state.connections[id] = nil
                state.protocols[id] = nil
                let wasAnnounced = state.announced.remove(id) != nil
                return (wasAnnounced, state.listeners)
            }
            if gone { for listener in listeners { listener.yield(.disconnected(id)) } }
        }
    }

    /// Reports a connected peer once.
    private func announce(_ id: WakuPeerID) {
        let (outbound, listeners) = state.withLock {
            state -> (Bool?, [AsyncStream<WakuConnectionEvent>.Continuation]) in
            guard let connection = state.connections[id], state.announced.insert(id).inserted else { return (nil, []) }
            return (connection.outbound, state.listeners)
        }
        guard let outbound else { return }
        for listener in listeners { listener.yield(.connected(id, outbound: outbound)) }
    }
}

/// Lets the event pump hold the transport without keeping it alive.
private final class WeakTransport: @unchecked Sendable {
    weak var transport: Libp2pTransport?
}
