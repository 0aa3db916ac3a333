import Logging
import NIOCore
import NIOPosix
import NimbusMultiformats
import Synchronization

/// A libp2p host over TCP: it listens and dials, upgrades every connection (Noise, then yamux or mplex), opens
/// and accepts streams with multistream-select, and answers identify and ping.
///
/// Thread-safe; all network work runs on the event loop group. Call `shutdown()` when done.
public final class Libp2pHost: Sendable {
    /// Handles an inbound stream after negotiation; the stream is closed when the handler returns.
    public typealias StreamHandler = @Sendable (Libp2pStream) async -> Void

    /// What the host knows of an upgraded connection, readable from any thread.
    struct ConnectionRecord: Sendable {
        let peer: PeerID
        let address: Multiaddr?
        let muxer: MuxerKind
        let direction: ConnectionDirection
    }

    private struct State {
        var connections: [UInt64: Libp2pConnection] = [:]
        var records: [UInt64: ConnectionRecord] = [:]
        var handlers: [String: StreamHandler] = [:]
        var listeners: [any Channel] = []
        var listenAddresses: [Multiaddr] = []
        var identified: [PeerID: IdentifyMessage] = [:]
        var nextConnectionID: UInt64 = 0
        var isShutDown = false
    }

    /// The local identity.
    public let identity: IdentityKey
    /// Limits and timeouts.
    public let configuration: Libp2pConfiguration
    /// Connection changes, for one consumer.
    public let events: AsyncStream<ConnectionEvent>

    let logger: Logger
    private let group: any EventLoopGroup
    private let eventContinuation: AsyncStream<ConnectionEvent>.Continuation
    private let state = Mutex(State())

    /// A host with `identity`; it does nothing until it listens or dials.
    public init(
        identity: IdentityKey, configuration: Libp2pConfiguration = .init(),
        group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        logger: Logger = Logger(label: "nimbus.libp2p")
    ) {
        self.identity = identity
        self.configuration = configuration
        self.group = group
        var logger = logger
        logger[metadataKey: "local"] = "\(identity.peerID)"
        self.logger = logger
        (events, eventContinuation) = AsyncStream.makeStream(
            of: ConnectionEvent.self, bufferingPolicy: .bufferingNewest(1024))
        registerBuiltInProtocols()
    }

    /// The local peer id.
    public var peerID: PeerID { identity.peerID }

    /// The addresses the host listens on (with the ports actually bound).
    public var listenAddresses: [Multiaddr] { state.withLock { $0.listenAddresses } }

    /// The peers with an upgraded connection.
    public var connectedPeers: [PeerID] { state.withLock { Array(Set($0.records.values.map(\.peer))) } }

    /// Whether an upgraded connection to `peer` is open.
    public func isConnected(to peer: PeerID) -> Bool {
        state.withLock { $0.records.values.contains { $0.peer == peer } }
    }

    /// The peer's last identify record, if it answered.
    public func identifyRecord(of peer: PeerID) -> IdentifyMessage? {
        state.withLock { $0.identified[peer] }
    }

    // MARK: Protocols

    /// Registers (or replaces) the handler of inbound streams for `protocolID`.
    public func setStreamHandler(_ protocolID: String, _ handler: @escaping StreamHandler) {
        state.withLock { $0.handlers[protocolID] = handler }
    }

    /// Removes the handler of `protocolID`; later proposals of it are refused.
    public func removeStreamHandler(_ protocolID: String) {
        state.withLock { $0.handlers[protocolID] = nil }
    }

    /// The protocol ids with handlers, sorted.
    public var supportedProtocols: [String] { state.withLock { $0.handlers.keys.sorted() } }

    // MARK: Listening and dialing

    /// Listens on `/ip4/<address>/tcp/<port>` or `/ip6/...` (port 0 picks a free port); returns the bound address.
    public func listen(on address: Multiaddr) async throws -> Multiaddr {
        guard address.components.count == 2, case .tcp(let port) = address.components[1] else {
            throw Libp2pError.unsupportedAddress(address.description)
        }
        let host: String
        switch address.components[0] {
        case .ip4(let ip): host = ip.description
        case .ip6(let ip): host = ip.description
        default: throw Libp2pError.unsupportedAddress(address.description)
        }
        let channel = try await ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { [self] channel in
                // A refused connection stays registered until its refusal handler has logged and closed it.
                initializeConnection(channel, direction: .inbound, expectedPeer: nil).map { _ in }.recover { _ in }
            }
            .bind(host: host, port: Int(port))
            .get()
        guard let local = channel.localAddress.flatMap(Multiaddr.init(socketAddress:)) else {
            channel.close(promise: nil)
            throw Libp2pError.unsupportedAddress(address.description)
        }
        let accepted = state.withLock { state -> Bool in
            guard !state.isShutDown else { return false }
            state.listeners.append(channel)
            state.listenAddresses.append(local)
            return true
        }
        guard accepted else {
            try? await channel.close()
            throw Libp2pError.shutdown
        }
        logger.info("listening", metadata: ["address": "\(local)"])
        return local
    }

    /// Dials `/ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>[/p2p/<peer>]`, upgrades the connection and returns the
    /// authenticated peer id (which must match a `/p2p` component).
    @discardableResult
    public func dial(_ address: Multiaddr) async throws -> PeerID {
        let (host, port) = try Self.tcpTarget(address)
        let expectedPeer = address.peerID
        let loop = group.next()
        let connectionPromise = loop.makePromise(of: Libp2pConnection.self)
        let bootstrap = ClientBootstrap(group: loop)
            .connectTimeout(TimeAmount(configuration.connectTimeout))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { [self] channel in
                let future = initializeConnection(channel, direction: .outbound, expectedPeer: expectedPeer)
                future.cascade(to: connectionPromise)
                return future.map { _ in }
            }
        do {
            _ = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            connectionPromise.fail(error)
            throw error
        }
        // The connection closes itself if the upgrade outlives the handshake timeout, failing `upgraded`.
        let connection = try await connectionPromise.futureResult.get()
        return try await connection.upgraded.futureResult.get()
    }

    /// Opens a stream to a connected peer and negotiates the first of `protocols` it supports.
    public func newStream(to peer: PeerID, protocols: [String]) async throws -> Libp2pStream {
        precondition(!protocols.isEmpty, "no protocol to propose")
        guard let connection = connection(to: peer) else { throw Libp2pError.notConnected(peer) }
        let stream = try await connection.openStream()
        do {
            _ = try await stream.negotiate(
                MultistreamNegotiation(proposing: protocols), timeout: configuration.streamNegotiationTimeout
            )
            return stream
        } catch {
            await stream.reset()
            throw error
        }
    }

    /// Closes every connection to `peer`.
    public func disconnect(_ peer: PeerID) {
        let connections = state.withLock { state in
            state.records.filter { $0.value.peer == peer }.compactMap { state.connections[$0.key] }
        }
        for connection in connections { connection.closeFromAnyThread(.local) }
    }

    /// Stops listening and closes every connection.
    public func shutdown() async {
        let (listeners, connections) = state.withLock { state in
            state.isShutDown = true
            defer {
                state.listeners = []
                state.listenAddresses = []
            }
            return (state.listeners, Array(state.connections.values))
        }
        for listener in listeners { try? await listener.close() }
        for connection in connections { connection.closeFromAnyThread(.local) }
        for connection in connections { try? await connection.channel.closeFuture.get() }
        eventContinuation.finish()
    }

    // MARK: Connection bookkeeping

    /// The most recent upgraded connection to `peer`.
    func connection(to peer: PeerID) -> Libp2pConnection? {
        state.withLock { state in
            state.records.filter { $0.value.peer == peer }.keys.max().flatMap { state.connections[$0] }
        }
    }

    /// The record of the most recent upgraded connection to `peer`.
    func connectionRecord(to peer: PeerID) -> ConnectionRecord? {
        state.withLock { state in
            state.records.filter { $0.value.peer == peer }.max { $0.key < $1.key }?.value
        }
    }

    /// Creates the connection of a new channel, or refuses it beyond the limit.
    private func initializeConnection(
        _ channel: any Channel, direction: ConnectionDirection, expectedPeer: PeerID?
    ) -> EventLoopFuture<Libp2pConnection> {
        let id: UInt64? = state.withLock { state in
            guard !state.isShutDown, state.connections.count < configuration.maxConnections else { return nil }
            state.nextConnectionID += 1
            return state.nextConnectionID
        }
        guard let id else {
            // Refused once active, when the peer's address is known for the log line.
            let refusal = ConnectionRefusalHandler(logger: logger, reason: .connectionLimit)
            do {
                try channel.pipeline.syncOperations.addHandler(refusal)
            } catch {
                channel.close(promise: nil)
            }
            return channel.eventLoop.makeFailedFuture(Libp2pError.connectionClosed("connection limit reached"))
        }
        let connection = Libp2pConnection(
            id: id, channel: channel, direction: direction, expectedPeer: expectedPeer, host: self, logger: logger
        )
        state.withLock { $0.connections[id] = connection }
        do {
            try channel.pipeline.syncOperations.addHandler(Libp2pConnectionHandler(connection: connection))
        } catch {
            state.withLock { $0.connections[id] = nil }
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(error)
        }
        return channel.eventLoop.makeSucceededFuture(connection)
    }

    func connectionUpgraded(_ connection: Libp2pConnection, record: ConnectionRecord) {
        let peer = record.peer
        state.withLock { $0.records[connection.id] = record }
        eventContinuation.yield(.connected(peer: peer, address: record.address, direction: record.direction))
        if configuration.identifyOnConnect {
            Task { [self] in
                do {
                    _ = try await identify(peer)
                } catch {
                    logger.debug("identify failed", metadata: ["peer": "\(peer)", "error": "\(error)"])
                }
            }
        }
    }

    func connectionClosed(_ connection: Libp2pConnection, reason: String, wasOpen: Bool) {
        let peer = state.withLock { state -> PeerID? in
            state.connections[connection.id] = nil
            return state.records.removeValue(forKey: connection.id)?.peer
        }
        if wasOpen, let peer { eventContinuation.yield(.disconnected(peer: peer, reason: reason)) }
    }

    func recordIdentify(_ message: IdentifyMessage, of peer: PeerID) {
        state.withLock { $0.identified[peer] = message }
        eventContinuation.yield(.identified(peer: peer, message))
    }

    func inboundStream(_ stream: Libp2pStream) {
        Task { [self] in
            let supported = state.withLock { Array($0.handlers.keys) }
            do {
                let agreed = try await stream.negotiate(
                    MultistreamNegotiation(supporting: supported), timeout: configuration.streamNegotiationTimeout
                )
                guard let handler = state.withLock({ $0.handlers[agreed] }) else {
                    await stream.reset()
                    return
                }
                await handler(stream)
                await stream.close()
            } catch {
                logger.debug("inbound stream failed", metadata: ["stream": "\(stream)", "error": "\(error)"])
                await stream.reset()
            }
        }
    }

    /// Host and port of a TCP multiaddr.
    static func tcpTarget(_ address: Multiaddr) throws -> (String, Int) {
        let components = address.withoutPeerID.components
        guard components.count == 2, case .tcp(let port) = components[1] else {
            throw Libp2pError.unsupportedAddress(address.description)
        }
        switch components[0] {
        case .ip4(let ip): return (ip.description, Int(port))
        case .ip6(let ip): return (ip.description, Int(port))
        case .dns(let name), .dns4(let name), .dns6(let name): return (name, Int(port))
        default: throw Libp2pError.unsupportedAddress(address.description)
        }
    }
}
