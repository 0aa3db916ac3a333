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

    /// An address the node dials (bootstrap or learned by peer exchange) and how that is going.
    public struct DialTarget: Hashable, Sendable {
        /// Where the planner is with it.
        public enum State: Hashable, Sendable {
            /// Connected.
            case connected
            /// A dial is in flight.
            case connecting
            /// Waiting before the next dial after a failure or a lost connection.
            case backingOff
            /// Dialable, but not needed (enough peers are connected or being dialled).
            case idle
        }

        /// The multiaddr.
        public let address: String
        /// Configured or learned.
        public let source: ConnectionPlanner.Source
        /// Where the planner is with it.
        public let state: State
        /// Failed dials since it was last connected (or since the start).
        public let failures: Int
        /// Why the last dial failed, while it is failing.
        public let lastError: String?
        /// Time left before the next dial, while backing off.
        public let nextAttemptIn: Duration?
        /// The peer, when known.
        public let peer: WakuPeerID?
    }

    /// A content topic this node is subscribed to, and how.
    public struct Subscription: Hashable, Sendable {
        /// How messages arrive.
        public enum Source: Hashable, Sendable {
            /// Pushed by filter service peers (client mode).
            case filter
            /// Taken from the relayed shard (service mode).
            case relay
        }

        /// The content topic.
        public let contentTopic: String
        /// Its shard's pubsub topic (autosharding).
        public let pubsubTopic: String
        /// How messages arrive.
        public let source: Source
        /// Filter service peers on which the subscription is in place (client mode; empty in service mode).
        public let servicePeers: [WakuPeerID]
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
    /// The addresses dialled, bootstrap first.
    public let dialTargets: [DialTarget]
    /// The content topics subscribed, sorted.
    public let subscriptions: [Subscription]
}
