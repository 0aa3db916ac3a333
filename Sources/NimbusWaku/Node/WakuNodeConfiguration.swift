/// How a `WakuNode` runs. The defaults make a light client of The Waku Network bootstrapping from the sandbox
/// fleet; a test or a LAN sets `mode = .service` and its own bootstrap addresses.
public struct WakuNodeConfiguration: Sendable {
    /// What the node does on the network.
    public enum Mode: Hashable, Sendable {
        /// A light client (default): lightpush, filter and store against service peers; no relay.
        case client
        /// A service node: relays its shards and serves lightpush, filter and store.
        case service
    }

    /// Client or service.
    public var mode: Mode = .client
    /// Cluster and shard count for autosharding and the metadata exchange.
    public var sharding = WakuNetworkDefaults.sharding
    /// The shards a service node relays and serves; nil for every shard of the cluster.
    public var servedShards: [UInt16]?
    /// Multiaddrs dialled at start and redialled with backoff.
    public var bootstrap = WakuNetworkDefaults.sandboxBootstrap
    /// Disconnect peers whose 66/WAKU2-METADATA exchange fails or names another cluster (64/WAKU2-NETWORK
    /// requires it; a test against a peer without metadata may turn it off).
    public var requireMetadata = true
    /// Ask connected peers for more peers (34/WAKU2-PEER-EXCHANGE).
    public var usePeerExchange = true
    /// Relay (gossipsub) parameters.
    public var relay = RelayParameters()
    /// Filter client pacing.
    public var filterClient = FilterClientSession.Parameters()
    /// Filter service limits.
    public var filterService = FilterSubscriptionRegistry.Limits()
    /// Connection targets and backoff.
    public var connections = ConnectionPlanner.Parameters()
    /// Store retention: messages older than this (by arrival) are deleted (nwaku's default is 2 days).
    public var storeRetention: Duration = .seconds(2 * 24 * 3600)
    /// Store retention: at most this many messages.
    public var storeMaxMessages = 100_000
    /// Deadline of one request-response exchange.
    public var requestTimeout: Duration = .seconds(10)
    /// How long `publish` and `history` wait for a suitable service peer when none is connected yet.
    public var peerWaitTimeout: Duration = .seconds(10)
    /// RPCs queued per relay peer before new ones are dropped.
    public var relayQueueLimit = 256
    /// Pages fetched at most by one `history` call.
    public var maxHistoryPages = 50

    /// The defaults.
    public init() {}

    /// The relay shards served (service mode).
    public var shards: [RelayShard] {
        guard let servedShards else { return sharding.allShards }
        return servedShards.compactMap { RelayShard(cluster: sharding.cluster, shard: $0) }
    }
}
