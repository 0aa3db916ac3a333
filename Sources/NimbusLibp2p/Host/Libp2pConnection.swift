import Logging
import NIOCore
import NimbusMultiformats

/// The driver of one TCP connection: it feeds socket bytes to the `ConnectionUpgrade` and then to the Noise
/// transport and the muxer session, and carries out their actions (writes, stream deliveries, closing).
///
/// All state lives on the channel's event loop; the methods without `OnLoop` hop there. A connection closes
/// exactly once, logging one line with the reason.
final class Libp2pConnection: @unchecked Sendable {
    private enum Phase { case idle, upgrading, open, closed }

    let id: UInt64
    let channel: any Channel
    let direction: ConnectionDirection
    /// Known once the channel is active (an outbound channel has no peer address before it connects).
    private(set) var remoteAddress: Multiaddr?
    /// Succeeds with the peer id once upgraded; fails if the connection closes first.
    let upgraded: EventLoopPromise<PeerID>
    var eventLoop: any EventLoop { channel.eventLoop }

    private let host: Libp2pHost
    private let configuration: Libp2pConfiguration
    private let expectedPeer: PeerID?
    private var logger: Logger
    private var phase = Phase.idle
    private var upgrade: ConnectionUpgrade?
    private var transport: NoiseTransport?
    private var session: (any StreamMuxerSession)?
    private var muxer: MuxerKind?
    private(set) var remotePeer: PeerID?
    private var streams: [MuxedStreamID: Libp2pStream] = [:]
    private var parkedWrites: [MuxedStreamID: [EventLoopPromise<Void>]] = [:]
    private var handshakeTimer: Scheduled<Void>?
    private var goingAway = false
    private var needsFlush = false

    init(
        id: UInt64, channel: any Channel, direction: ConnectionDirection, expectedPeer: PeerID?, host: Libp2pHost,
        logger: Logger
    ) {
        self.id = id
        self.channel = channel
        self.direction = direction
        self.expectedPeer = expectedPeer
        self.host = host
        self.configuration = host.configuration
        remoteAddress = channel.remoteAddress.flatMap(Multiaddr.init(socketAddress:))
        upgraded = channel.eventLoop.makePromise(of: PeerID.self)
        var logger = logger
        logger[metadataKey: "conn"] = "\(id)"
        logger[metadataKey: "remote"] = "\(remoteAddress?.description ?? "?")"
        logger[metadataKey: "direction"] = "\(direction.rawValue)"
        self.logger = logger
    }

    // MARK: Channel events

    func start() {
        eventLoop.preconditionInEventLoop()
        guard phase == .idle else { return }
        if remoteAddress == nil {
            remoteAddress = channel.remoteAddress.flatMap(Multiaddr.init(socketAddress:))
            logger[metadataKey: "remote"] = "\(remoteAddress?.description ?? "?")"
        }
        do {
            upgrade = try ConnectionUpgrade(
                isInitiator: direction == .outbound, identity: host.identity, expectedPeer: expectedPeer,
                muxers: configuration.muxers, maxHandshakeMessageLength: configuration.maxHandshakeMessageLength
            )
        } catch {
            close(.internalError("\(error)"))
            return
        }
        phase = .upgrading
        handshakeTimer = eventLoop.scheduleTask(in: TimeAmount(configuration.handshakeTimeout)) { [self] in
            if phase == .upgrading { close(.handshakeTimeout) }
        }
        performUpgrade(upgrade!.start())
        flushIfNeeded()
    }

    func receive(_ bytes: [UInt8]) {
        switch phase {
        case .idle, .closed:
            return
        case .upgrading:
            let actions = upgrade!.receive(bytes)
            performUpgrade(actions)
        case .open:
            let plaintext: [UInt8]
            do {
                plaintext = try transport!.decrypt(bytes)
            } catch {
                close(.transport(error))
                return
            }
            guard !plaintext.isEmpty else { return }
            performMuxer(session!.receive(plaintext))
        }
        flushIfNeeded()
    }

    func channelInactive() {
        guard phase != .closed else { return }
        let buffered = (transport?.bufferedCount ?? 0) + (session?.bufferedCount ?? 0)
        close(.remoteClosed(midMessage: buffered > 0, upgraded: phase == .open))
    }

    func flushIfNeeded() {
        guard needsFlush else { return }
        needsFlush = false
        channel.flush()
    }

    // MARK: Closing

    /// Closes the connection once, logging the reason in one line.
    func close(_ reason: ConnectionCloseReason) {
        eventLoop.preconditionInEventLoop()
        guard phase != .closed else { return }
        let wasOpen = phase == .open
        if wasOpen, case .local = reason, session != nil {
            // A graceful close tells a yamux peer first (go-away); mplex has nothing to say.
            let actions = session!.goAway()
            for case .send(let bytes) in actions { sendEncrypted(bytes) }
            flushIfNeeded()
        }
        phase = .closed
        logger.log(
            level: reason.isPeerFault ? .notice : .info, "closing connection",
            metadata: ["reason": "\(reason.description)"]
        )
        handshakeTimer?.cancel()
        channel.close(promise: nil)
        let error = Libp2pError.connectionClosed(reason.description)
        for stream in streams.values { stream.deliverFailure(error, discardBuffered: false) }
        streams = [:]
        for promises in parkedWrites.values { promises.forEach { $0.fail(error) } }
        parkedWrites = [:]
        upgraded.fail(error)
        host.connectionClosed(self, reason: reason.description, wasOpen: wasOpen)
    }

    // MARK: Upgrade

    private func performUpgrade(_ actions: [ConnectionUpgrade.Action]) {
        for action in actions {
            guard phase == .upgrading else { return }
            switch action {
            case .send(let bytes):
                writeRaw(bytes, promise: nil)
            case .failed(let failure):
                close(.upgrade(failure))
                return
            case .upgraded(let result):
                becomeOpen(result)
            }
        }
    }

    private func becomeOpen(_ result: ConnectionUpgrade.Upgraded) {
        handshakeTimer?.cancel()
        handshakeTimer = nil
        upgrade = nil
        transport = result.transport
        muxer = result.muxer
        remotePeer = result.remotePeer
        logger[metadataKey: "peer"] = "\(result.remotePeer)"
        switch result.muxer {
        case .yamux:
            session = YamuxSession(
                configuration: .init(
                    isClient: direction == .outbound, maxStreams: configuration.maxStreamsPerConnection
                ))
        case .mplex:
            session = MplexSession(
                configuration: .init(
                    maxStreams: configuration.maxStreamsPerConnection, maxFrameLength: configuration.maxMplexFrameLength
                ))
        }
        phase = .open
        logger.debug("connection upgraded", metadata: ["muxer": "\(result.muxer.rawValue)"])
        host.connectionUpgraded(
            self,
            record: .init(peer: result.remotePeer, address: remoteAddress, muxer: result.muxer, direction: direction)
        )
        upgraded.succeed(result.remotePeer)
        if !result.remainder.isEmpty, phase == .open { performMuxer(session!.receive(result.remainder)) }
    }

    // MARK: Muxer

    @discardableResult
    private func performMuxer(_ actions: [MuxerAction]) -> EventLoopFuture<Void>? {
        var lastWrite: EventLoopFuture<Void>?
        for action in actions {
            guard phase == .open else { return lastWrite }
            switch action {
            case .send(let bytes):
                lastWrite = sendEncrypted(bytes)
            case .streamOpened(let streamID):
                guard let peer = remotePeer else { continue }
                let stream = Libp2pStream(
                    peer: peer, direction: .inbound, id: streamID, connection: self,
                    readTimeout: configuration.readTimeout
                )
                streams[streamID] = stream
                host.inboundStream(stream)
            case .data(let streamID, let bytes):
                guard let stream = streams[streamID] else { continue }
                stream.deliver(bytes)
                if muxer == .mplex && stream.bufferedCount > configuration.maxStreamReceiveBuffer {
                    // Mplex has no flow control: a peer outrunning the reader loses the stream, not the host.
                    logger.notice(
                        "resetting stream",
                        metadata: [
                            "stream": "\(streamID)",
                            "reason": "receive buffer above \(configuration.maxStreamReceiveBuffer)",
                        ])
                    resetOnLoop(streamID)
                }
            case .remoteClosed(let streamID):
                streams[streamID]?.deliverEndOfStream()
            case .streamReset(let streamID):
                streams.removeValue(forKey: streamID)?.deliverFailure(.streamReset, discardBuffered: true)
                failParkedWrites(streamID, .streamReset)
            case .streamFinished(let streamID):
                streams[streamID] = nil
                succeedParkedWrites(streamID)
                if goingAway && streams.isEmpty { close(.goAway) }
            case .writable(let streamID):
                succeedParkedWrites(streamID)
            case .pong:
                continue
            case .goAway(let code):
                logger.debug("peer sent go-away", metadata: ["code": "\(code)"])
                goingAway = true
                if streams.isEmpty { close(.goAway) }
            case .failed(let error):
                flushIfNeeded()
                close(.muxer(error))
                return nil
            }
        }
        return lastWrite
    }

    @discardableResult
    private func sendEncrypted(_ bytes: [UInt8]) -> EventLoopFuture<Void>? {
        do {
            let ciphertext = try transport!.encrypt(bytes)
            let promise = eventLoop.makePromise(of: Void.self)
            writeRaw(ciphertext, promise: promise)
            return promise.futureResult
        } catch {
            close(.transport(error))
            return nil
        }
    }

    private func writeRaw(_ bytes: [UInt8], promise: EventLoopPromise<Void>?) {
        channel.write(ByteBuffer(bytes: bytes), promise: promise)
        needsFlush = true
    }

    private func succeedParkedWrites(_ streamID: MuxedStreamID) {
        parkedWrites.removeValue(forKey: streamID)?.forEach { $0.succeed() }
    }

    private func failParkedWrites(_ streamID: MuxedStreamID, _ error: Libp2pError) {
        parkedWrites.removeValue(forKey: streamID)?.forEach { $0.fail(error) }
    }

    // MARK: Stream operations (on the event loop)

    func openStreamOnLoop() throws -> Libp2pStream {
        guard phase == .open, let peer = remotePeer else { throw Libp2pError.connectionClosed("not open") }
        guard !goingAway else { throw Libp2pError.muxer(.goingAway) }
        let (streamID, actions): (MuxedStreamID, [MuxerAction])
        do {
            (streamID, actions) = try session!.openStream()
        } catch {
            throw Libp2pError.muxer(error)
        }
        let stream = Libp2pStream(
            peer: peer, direction: .outbound, id: streamID, connection: self, readTimeout: configuration.readTimeout
        )
        streams[streamID] = stream
        performMuxer(actions)
        flushIfNeeded()
        return stream
    }

    private func writeOnLoop(_ streamID: MuxedStreamID, _ bytes: [UInt8]) -> EventLoopFuture<Void> {
        guard phase == .open else { return eventLoop.makeFailedFuture(Libp2pError.connectionClosed("not open")) }
        let actions: [MuxerAction]
        do {
            actions = try session!.write(streamID, bytes)
        } catch {
            return eventLoop.makeFailedFuture(Self.streamError(error))
        }
        let written = performMuxer(actions)
        flushIfNeeded()
        guard phase == .open, let session else {
            return eventLoop.makeFailedFuture(Libp2pError.connectionClosed("closed while writing"))
        }
        if session.pendingCount(streamID) > 0 {
            // Flow control holds the rest; the write completes when the window lets it all out.
            let promise = eventLoop.makePromise(of: Void.self)
            parkedWrites[streamID, default: []].append(promise)
            return promise.futureResult
        }
        return written ?? eventLoop.makeSucceededVoidFuture()
    }

    private func closeWriteOnLoop(_ streamID: MuxedStreamID) -> EventLoopFuture<Void> {
        guard phase == .open else { return eventLoop.makeFailedFuture(Libp2pError.connectionClosed("not open")) }
        do {
            let written = performMuxer(try session!.closeWrite(streamID))
            flushIfNeeded()
            return written ?? eventLoop.makeSucceededVoidFuture()
        } catch {
            return eventLoop.makeFailedFuture(Self.streamError(error))
        }
    }

    private func resetOnLoop(_ streamID: MuxedStreamID) {
        guard phase == .open else { return }
        performMuxer(session!.reset(streamID))
        streams.removeValue(forKey: streamID)?.deliverFailure(.streamReset, discardBuffered: true)
        failParkedWrites(streamID, .streamReset)
        flushIfNeeded()
        if goingAway && streams.isEmpty { close(.goAway) }
    }

    private static func streamError(_ error: MuxerStreamError) -> Libp2pError {
        switch error {
        case .unknownStream, .writeClosed: .streamClosed
        case .tooManyStreams, .goingAway: .muxer(error)
        }
    }

    // MARK: Hops from any thread

    func write(_ streamID: MuxedStreamID, _ bytes: [UInt8]) async throws {
        try await eventLoop.flatSubmit { self.writeOnLoop(streamID, bytes) }.get()
    }

    func closeWrite(_ streamID: MuxedStreamID) async throws {
        try await eventLoop.flatSubmit { self.closeWriteOnLoop(streamID) }.get()
    }

    func reset(_ streamID: MuxedStreamID) {
        eventLoop.execute { self.resetOnLoop(streamID) }
    }

    func consumed(_ streamID: MuxedStreamID, count: Int) {
        eventLoop.execute {
            guard self.phase == .open else { return }
            self.performMuxer(self.session!.consumed(streamID, count: count))
            self.flushIfNeeded()
        }
    }

    func openStream() async throws -> Libp2pStream {
        try await eventLoop.submit { try self.openStreamOnLoop() }.get()
    }

    func closeFromAnyThread(_ reason: ConnectionCloseReason) {
        eventLoop.execute { self.close(reason) }
    }
}

extension Multiaddr {
    /// The `/ip4|ip6/<address>/tcp/<port>` of a socket address; nil for Unix sockets.
    init?(socketAddress: SocketAddress) {
        guard let text = socketAddress.ipAddress, let port = socketAddress.port, let port16 = UInt16(exactly: port)
        else {
            return nil
        }
        if let ip4 = IPv4Address(text) {
            self.init(components: [.ip4(ip4), .tcp(port16)])
        } else if let ip6 = IPv6Address(text) {
            self.init(components: [.ip6(ip6), .tcp(port16)])
        } else {
            return nil
        }
    }
}
