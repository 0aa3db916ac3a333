import NIOCore
import NIOPosix
import NimbusMultiformats
import Synchronization

@testable import NimbusLibp2p

/// A scripted TCP client for bad-peer tests: it sends exactly the bytes a test chooses, and can run an honest
/// upgrade first (with the library's own state machine) to misbehave inside the encrypted channel.
final class RawPeer: Sendable {
    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received = Mutex<[UInt8]>([])

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            var buffer = unwrapInboundIn(data)
            let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
            received.withLock { $0 += bytes }
        }
    }

    let channel: any Channel
    private let collector: Collector

    private init(channel: any Channel, collector: Collector, localPort: Int) {
        self.channel = channel
        self.collector = collector
        self.localPort = localPort
    }

    static func connect(to address: Multiaddr) async throws -> RawPeer {
        let (host, port) = try Libp2pHost.tcpTarget(address)
        var lastError: (any Error)?
        for _ in 0..<20 {
            let localPort = Int.random(in: 20_000...60_000)
            let collector = Collector()
            do {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .channelOption(.socketOption(.so_reuseaddr), value: 1)
                    .bind(to: try SocketAddress(ipAddress: "127.0.0.1", port: localPort))
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(collector)
                        }
                    }
                    .connect(host: host, port: port).get()
                return RawPeer(channel: channel, collector: collector, localPort: localPort)
            } catch {
                lastError = error
            }
        }
        throw lastError!
    }

    /// The local TCP port, as the listener logs it in `remote`. Chosen before connecting: a listener that
    /// refuses at once can close the channel before `connect` returns, and a closed channel has no address.
    let localPort: Int

    var isOpen: Bool { channel.isActive }

    func send(_ bytes: [UInt8]) async throws {
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes)).get()
    }

    /// Takes what arrived so far.
    func takeReceived() -> [UInt8] {
        collector.received.withLock { bytes in
            defer { bytes = [] }
            return bytes
        }
    }

    func close() async {
        try? await channel.close().get()
    }

    /// Whether the listener closed the connection within `timeout`.
    func closedByPeer(within timeout: Duration) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if !channel.isActive { return true }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return !channel.isActive
    }

    /// Runs an honest dialer upgrade (multistream, Noise, muxer) and returns its outcome.
    func upgrade(identity: IdentityKey = .generateEd25519(), muxers: [MuxerKind]) async throws
        -> ConnectionUpgrade.Upgraded
    {
        var upgrade = try ConnectionUpgrade(
            isInitiator: true, identity: identity, expectedPeer: nil, muxers: muxers, maxHandshakeMessageLength: 8192
        )
        var actions = upgrade.start()
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline {
            for action in actions {
                switch action {
                case .send(let bytes): try await send(bytes)
                case .upgraded(let result): return result
                case .failed(let failure): throw failure
                }
            }
            try await Task.sleep(for: .milliseconds(5))
            actions = upgrade.receive(takeReceived())
        }
        throw Libp2pError.timeout("scripted upgrade")
    }
}
