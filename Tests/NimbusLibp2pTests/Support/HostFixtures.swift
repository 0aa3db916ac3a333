import Logging
import NIOPosix
import NimbusMultiformats

@testable import NimbusLibp2p

/// Hosts for tests: loopback listeners on free ports, short timeouts, an echo protocol.
enum HostFixtures {
    static let echoProtocol = "/nimbus/test/echo/1.0.0"

    static func configuration(muxers: [MuxerKind] = [.yamux, .mplex]) -> Libp2pConfiguration {
        var configuration = Libp2pConfiguration()
        configuration.muxers = muxers
        configuration.handshakeTimeout = .seconds(2)
        configuration.readTimeout = .seconds(5)
        configuration.streamNegotiationTimeout = .seconds(5)
        configuration.identifyOnConnect = false
        return configuration
    }

    static func identity(_ type: Libp2pPublicKey.KeyType) -> IdentityKey {
        type == .secp256k1 ? .generateSecp256k1() : .generateEd25519()
    }

    /// A host listening on 127.0.0.1 with the echo protocol registered.
    static func listeningHost(
        _ type: Libp2pPublicKey.KeyType = .ed25519, configuration: Libp2pConfiguration = configuration(),
        logs: LogCapture = LogCapture()
    ) async throws -> (Libp2pHost, Multiaddr) {
        let host = Libp2pHost(identity: identity(type), configuration: configuration, logger: logs.logger())
        host.setStreamHandler(echoProtocol) { stream in await echo(stream) }
        let address = try await host.listen(on: Multiaddr("/ip4/127.0.0.1/tcp/0"))
        return (host, address.appending(.p2p(host.peerID)))
    }

    /// Echoes until the peer closes its side.
    static func echo(_ stream: Libp2pStream) async {
        do {
            while let chunk = try await stream.read() { try await stream.write(chunk) }
            try await stream.closeWrite()
        } catch {}
    }

    /// Sends `payload` on a new echo stream and returns what comes back.
    static func roundTrip(_ host: Libp2pHost, to peer: PeerID, _ payload: [UInt8]) async throws -> [UInt8] {
        let stream = try await host.newStream(to: peer, protocols: [echoProtocol])
        async let written: Void = {
            try await stream.write(payload)
            try await stream.closeWrite()
        }()
        let echoed = try await stream.readToEnd(maxLength: payload.count + 1)
        try await written
        await stream.close()
        return echoed
    }
}
