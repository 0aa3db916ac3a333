import Foundation
import Logging
import NimbusAPI
import NimbusConfig
import NimbusLibp2p
import NimbusMultiformats
import NimbusStore
import NimbusWaku

/// The network role's Waku node: a libp2p host with a persistent identity, in service mode when it listens
/// (relay, lightpush, filter and a store kept in the role's database), a light client otherwise.
final class WakuRuntime: Sendable {
    let host: Libp2pHost
    let node: WakuNode
    private let mode: String

    /// Why the node could not be set up.
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    /// Loads (or creates) the identity in `stateDir` and builds the node; nothing listens or dials until `start`.
    init(settings: WakuSettings, stateDir: String, database: RoleDatabase, logger: Logger) throws {
        let identity = try Self.identity(in: stateDir)
        var configuration = WakuNodeConfiguration()
        if let bootstrap = settings.bootstrap { configuration.bootstrap = bootstrap }
        if settings.listen != nil {
            configuration.mode = .service
        }
        host = Libp2pHost(identity: identity, logger: logger)
        let archive: (any MessageArchive)?
        if settings.listen != nil {
            do { archive = try SQLiteMessageArchive(writer: database.writer) } catch {
                throw Failure(description: "cannot open the Waku store in the role's database: \(error)")
            }
        } else {
            archive = nil
        }
        node = WakuNode(configuration: configuration, transport: Libp2pTransport(host: host), archive: archive, logger: logger)
        mode = settings.listen == nil ? "client" : "service"
    }

    /// Listens (service mode) and starts the node. Returns the full multiaddrs it serves on.
    func start(listen: String?) async throws -> [String] {
        if let listen, let (hostName, port) = WakuSettings.hostAndPort(listen) {
            let family = hostName.contains(":") ? "ip6" : "ip4"
            do {
                _ = try await host.listen(on: try Multiaddr("/\(family)/\(hostName)/tcp/\(port)"))
            } catch {
                throw Failure(description: "cannot listen for Waku on \(listen): \(error)")
            }
        }
        await node.start()
        return listenAddresses()
    }

    func listenAddresses() -> [String] {
        host.listenAddresses.map { "\($0)/p2p/\(host.peerID)" }
    }

    func stop() async {
        await node.stop()
        await host.shutdown()
    }

    func status() async -> WakuStatusReport {
        let health = await node.health()
        let status: String
        switch health.status {
        case .healthy: status = "healthy"
        case .degraded: status = "degraded"
        case .disconnected: status = "disconnected"
        }
        return WakuStatusReport(
            peerID: "\(host.peerID)", mode: mode, status: status, listenAddresses: listenAddresses(),
            peers: health.peers.map {
                WakuStatusReport.Peer(peerID: $0.peer.rawValue, protocols: $0.protocols, metadataVerified: $0.metadataVerified)
            },
            shards: health.shards.map(\.pubsubTopic), meshSizes: health.meshSizes,
            filterSubscribers: health.filterSubscribers, storedMessages: health.storedMessages,
            dialTargets: health.dialTargets.map(Self.report), subscriptions: health.subscriptions.map(Self.report))
    }

    static func report(_ target: WakuHealth.DialTarget) -> WakuStatusReport.DialTarget {
        let state: String
        switch target.state {
        case .connected: state = "connected"
        case .connecting: state = "connecting"
        case .backingOff: state = "backing_off"
        case .idle: state = "idle"
        }
        let seconds = target.nextAttemptIn.map { duration -> Double in
            let parts = duration.components
            // Tenths of a second: enough for a person, and stable text for scripts.
            return ((Double(parts.seconds) + Double(parts.attoseconds) / 1e18) * 10).rounded() / 10
        }
        return WakuStatusReport.DialTarget(
            address: target.address, source: target.source == .bootstrap ? "bootstrap" : "peer_exchange",
            state: state, failedAttempts: target.failures, lastError: target.lastError,
            nextAttemptInSeconds: seconds, peerID: target.peer?.rawValue)
    }

    static func report(_ subscription: WakuHealth.Subscription) -> WakuStatusReport.Subscription {
        WakuStatusReport.Subscription(
            contentTopic: subscription.contentTopic, pubsubTopic: subscription.pubsubTopic,
            via: subscription.source == .filter ? "filter" : "relay",
            servicePeers: subscription.servicePeers.map(\.rawValue))
    }

    /// The node's secp256k1 identity (what nwaku uses), kept in the role's private directory so the peer id
    /// survives restarts. The key never leaves the file and this process.
    static func identity(in stateDir: String) throws -> IdentityKey {
        let path = stateDir + "/waku-identity.key"
        if let data = FileManager.default.contents(atPath: path) {
            guard data.count == 32 else { throw Failure(description: "\(path) is not a 32-byte secp256k1 key") }
            do { return try IdentityKey(secp256k1SecretKey: Array(data)) } catch {
                throw Failure(description: "\(path) does not hold a valid secp256k1 key")
            }
        }
        var secret = [UInt8](repeating: 0, count: 32)
        var identity: IdentityKey?
        while identity == nil {
            for index in secret.indices { secret[index] = UInt8.random(in: 0...255) }
            identity = try? IdentityKey(secp256k1SecretKey: secret)
        }
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(descriptor) }
        let written = secret.withUnsafeBytes { write(descriptor, $0.baseAddress, 32) }
        secret.withUnsafeMutableBytes { buffer in for index in buffer.indices { buffer[index] = 0 } }
        guard written == 32, fsync(descriptor) == 0 else { throw Failure(description: "cannot write \(path)") }
        return identity!
    }
}
