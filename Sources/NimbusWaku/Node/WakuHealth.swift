/// A snapshot of a node's health for `nimbus status` and the GUI: who it is connected to, what they serve, which
/// shards it covers.
public struct WakuHealth: Hashable, Sendable {
    /// One connected peer.
    public struct Peer: Hashable, Sendable {
        /// The peer.
        public let peer: WakuPeerID
        /// The Waku protocols it serves (of those this node uses).
        public let protocols: [String]
        /// Whether its metadata exchange passed.
        public let metadataVerified: Bool
    }

    /// An overall judgement.
    public enum Status: Hashable, Sendable {
        /// No usable peer: nothing can be sent or received.
        case disconnected
        /// Some service is missing (no lightpush, filter or store peer; or no relay peer for a service node).
        case degraded
        /// Every service this node needs has a peer.
        case healthy
    }

    /// Client or service.
    public let mode: WakuNodeConfiguration.Mode
    /// The overall judgement.
    public let status: Status
    /// Connected peers.
    public let peers: [Peer]
    /// The shards relayed (service) or used for subscriptions (client).
    public let shards: [RelayShard]
    /// Relay mesh size per pubsub topic (service mode).
    public let meshSizes: [String: Int]
    /// Filter service peers with live subscriptions (client mode).
    public let activeFilterPeers: [WakuPeerID]
    /// Clients subscribed to this node (service mode).
    public let filterSubscribers: Int
    /// Messages in the store (service mode).
    public let storedMessages: Int?
}
