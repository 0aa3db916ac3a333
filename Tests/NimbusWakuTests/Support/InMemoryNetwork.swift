import NimbusWaku
import Synchronization

/// An in-memory stand-in for the libp2p host: transports that dial each other by `/memory/<peer>` addresses and
/// open streams that carry bytes through async streams. It lets the node's protocol glue run end to end in a
/// test without sockets.
final class InMemoryNetwork: Sendable {
    private let transports = Mutex<[WakuPeerID: InMemoryTransport]>([:])

    /// A transport for a new peer on this network.
    func makeTransport(_ name: String) -> InMemoryTransport {
        let transport = InMemoryTransport(peer: WakuPeerID(name), network: self)
        transports.withLock { $0[transport.localPeer] = transport }
        return transport
    }

    func transport(_ peer: WakuPeerID) -> InMemoryTransport? {
        transports.withLock { $0[peer] }
    }
}

/// A one-way byte channel: chunks queue until read; finishing ends the reader after the queue drains.
final class ByteChannel: Sendable {
    private struct State {
        var queue: [[UInt8]] = []
        var finished = false
        var waiter: CheckedContinuation<[UInt8]?, Never>?
    }

    private let state = Mutex(State())

    /// Queues a chunk; false once finished.
    func send(_ bytes: [UInt8]) -> Bool {
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<[UInt8]?, Never>?) in
            guard !state.finished else { return (false, nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (true, waiter)
            }
            state.queue.append(bytes)
            return (true, nil)
        }
        waiter?.resume(returning: bytes)
        return accepted
    }

    /// Ends the channel.
    func finish() {
        let waiter = state.withLock { state -> CheckedContinuation<[UInt8]?, Never>? in
            state.finished = true
            defer { state.waiter = nil }
            return state.queue.isEmpty ? state.waiter : nil
        }
        waiter?.resume(returning: nil)
    }

    /// The next chunk, or nil once finished and drained.
    func receive() async -> [UInt8]? {
        await withCheckedContinuation { continuation in
            let ready = state.withLock { state -> [UInt8]?? in
                if !state.queue.isEmpty { return .some(state.queue.removeFirst()) }
                if state.finished { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }
}

/// One end of an in-memory stream.
final class InMemoryStreamEnd: WakuStream {
    private let incoming: ByteChannel
    private let outgoing: ByteChannel

    init(incoming: ByteChannel, outgoing: ByteChannel) {
        self.incoming = incoming
        self.outgoing = outgoing
    }

    /// Two connected ends.
    static func pair() -> (InMemoryStreamEnd, InMemoryStreamEnd) {
        let aToB = ByteChannel()
        let bToA = ByteChannel()
        return (InMemoryStreamEnd(incoming: bToA, outgoing: aToB), InMemoryStreamEnd(incoming: aToB, outgoing: bToA))
    }

    func read() async throws -> [UInt8]? {
        await incoming.receive()
    }

    func write(_ bytes: [UInt8]) async throws {
        guard outgoing.send(bytes) else { throw InMemoryError.closed }
    }

    func closeWrite() async {
        outgoing.finish()
    }

    func close() async {
        outgoing.finish()
        incoming.finish()
    }
}

enum InMemoryError: Error {
    case closed
    case unknownPeer(String)
    case notConnected
    case protocolNotSupported([String])
}

/// A `WakuTransport` on an `InMemoryNetwork`.
final class InMemoryTransport: WakuTransport {
    private struct State {
        var dialled: [String] = []
        var handlers: [String: @Sendable (WakuPeerID, any WakuStream) async -> Void] = [:]
        var connections: Set<WakuPeerID> = []
        var listeners: [AsyncStream<WakuConnectionEvent>.Continuation] = []
    }

    let localPeer: WakuPeerID
    private weak let network: InMemoryNetwork?
    private let state = Mutex(State())

    init(peer: WakuPeerID, network: InMemoryNetwork) {
        localPeer = peer
        self.network = network
    }

    /// This transport's address.
    var address: String { "/memory/\(localPeer)" }

    /// Every address dialled, in order.
    var dialled: [String] { state.withLock { $0.dialled } }

    func dial(_ address: String) async throws -> WakuPeerID {
        state.withLock { $0.dialled.append(address) }
        let name = String(address.dropFirst("/memory/".count))
        guard address.hasPrefix("/memory/"), let remote = network?.transport(WakuPeerID(name)) else {
            throw InMemoryError.unknownPeer(address)
        }
        if state.withLock({ $0.connections.contains(remote.localPeer) }) { return remote.localPeer }
        attach(remote.localPeer, outbound: true)
        remote.attach(localPeer, outbound: false)
        return remote.localPeer
    }

    func openStream(to peer: WakuPeerID, protocols: [String]) async throws -> (
        stream: any WakuStream, protocolID: String
    ) {
        guard state.withLock({ $0.connections.contains(peer) }), let remote = network?.transport(peer) else {
            throw InMemoryError.notConnected
        }
        guard let (protocolID, handler) = remote.handler(for: protocols) else {
            throw InMemoryError.protocolNotSupported(protocols)
        }
        let (mine, theirs) = InMemoryStreamEnd.pair()
        let me = localPeer
        Task { await handler(me, theirs) }
        return (mine, protocolID)
    }

    func setHandler(for protocolID: String, _ handler: @escaping @Sendable (WakuPeerID, any WakuStream) async -> Void)
        async
    {
        state.withLock { $0.handlers[protocolID] = handler }
    }

    func protocols(of peer: WakuPeerID) async -> Set<String> {
        guard let remote = network?.transport(peer) else { return [] }
        return remote.state.withLock { Set($0.handlers.keys) }
    }

    func disconnect(_ peer: WakuPeerID) async {
        detach(peer)
        network?.transport(peer)?.detach(localPeer)
    }

    func connectionEvents() async -> AsyncStream<WakuConnectionEvent> {
        let (stream, continuation) = AsyncStream<WakuConnectionEvent>.makeStream()
        state.withLock { $0.listeners.append(continuation) }
        return stream
    }

    /// Removes a handler, as a peer that stops serving a protocol.
    func removeHandler(_ protocolID: String) {
        state.withLock { $0.handlers[protocolID] = nil }
    }

    private func handler(for protocols: [String]) -> (String, @Sendable (WakuPeerID, any WakuStream) async -> Void)? {
        state.withLock { state in
            for protocolID in protocols { if let handler = state.handlers[protocolID] { return (protocolID, handler) } }
            return nil
        }
    }

    private func attach(_ peer: WakuPeerID, outbound: Bool) {
        let listeners = state.withLock { state -> [AsyncStream<WakuConnectionEvent>.Continuation] in
            guard state.connections.insert(peer).inserted else { return [] }
            return state.listeners
        }
        for listener in listeners { listener.yield(.connected(peer, outbound: outbound)) }
    }

    private func detach(_ peer: WakuPeerID) {
        let listeners = state.withLock { state -> [AsyncStream<WakuConnectionEvent>.Continuation] in
            guard state.connections.remove(peer) != nil else { return [] }
            return state.listeners
        }
        for listener in listeners { listener.yield(.disconnected(peer)) }
    }
}
