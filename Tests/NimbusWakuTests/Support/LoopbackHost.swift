import NimbusLibp2p
import NimbusMultiformats
import NimbusWaku

/// A libp2p host listening on a free loopback port, wrapped as a Waku transport.
struct LoopbackHost {
    let host: Libp2pHost
    let transport: Libp2pTransport
    /// `/ip4/127.0.0.1/tcp/<port>/p2p/<id>`.
    let address: String

    static func start(readTimeout: Duration? = nil) async throws -> LoopbackHost {
        var configuration = Libp2pConfiguration()
        if let readTimeout { configuration.readTimeout = readTimeout }
        let host = Libp2pHost(identity: .generateSecp256k1(), configuration: configuration)
        let bound = try await host.listen(on: try Multiaddr("/ip4/127.0.0.1/tcp/0"))
        return LoopbackHost(host: host, transport: Libp2pTransport(host: host), address: "\(bound)/p2p/\(host.peerID)")
    }
}
