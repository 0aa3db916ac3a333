/// `GET /v1/waku/status` and `nimbus waku status --json`: the network role's Waku node.
public struct WakuStatusReport: Sendable, Equatable, Codable {
    public struct Peer: Sendable, Equatable, Codable {
        public var peerID: String
        public var protocols: [String]
        public var metadataVerified: Bool

        enum CodingKeys: String, CodingKey {
            case protocols
            case peerID = "peer_id"
            case metadataVerified = "metadata_verified"
        }

        public init(peerID: String, protocols: [String], metadataVerified: Bool) {
            self.peerID = peerID
            self.protocols = protocols
            self.metadataVerified = metadataVerified
        }
    }

    /// An address the node dials (configured bootstrap, or learned by peer exchange) and how that is going.
    public struct DialTarget: Sendable, Equatable, Codable {
        public var address: String
        /// `bootstrap` or `peer_exchange`.
        public var source: String
        /// `connected`, `connecting`, `backing_off` or `idle` (dialable but not needed now).
        public var state: String
        /// Failed dials since it was last connected (or since the start).
        public var failedAttempts: Int
        /// Why the last dial failed, while it is failing; else null.
        public var lastError: String?
        /// Seconds until the next dial while backing off; else null.
        public var nextAttemptInSeconds: Double?
        /// The peer id, when known; else null.
        public var peerID: String?

        enum CodingKeys: String, CodingKey {
            case address, source, state
            case failedAttempts = "failed_attempts"
            case lastError = "last_error"
            case nextAttemptInSeconds = "next_attempt_in_seconds"
            case peerID = "peer_id"
        }

        public init(
            address: String, source: String, state: String, failedAttempts: Int, lastError: String?,
            nextAttemptInSeconds: Double?, peerID: String?
        ) {
            self.address = address
            self.source = source
            self.state = state
            self.failedAttempts = failedAttempts
            self.lastError = lastError
            self.nextAttemptInSeconds = nextAttemptInSeconds
            self.peerID = peerID
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(address, forKey: .address)
            try c.encode(source, forKey: .source)
            try c.encode(state, forKey: .state)
            try c.encode(failedAttempts, forKey: .failedAttempts)
            try c.encode(lastError, forKey: .lastError)
            try c.encode(nextAttemptInSeconds, forKey: .nextAttemptInSeconds)
            try c.encode(peerID, forKey: .peerID)
        }
    }

    /// A content topic the node is subscribed to.
    public struct Subscription: Sendable, Equatable, Codable {
        public var contentTopic: String
        public var pubsubTopic: String
        /// `filter` (client mode: pushed by filter service peers) or `relay` (service mode).
        public var via: String
        /// Filter service peers on which the subscription is in place; empty for relay.
        public var servicePeers: [String]

        enum CodingKeys: String, CodingKey {
            case via
            case contentTopic = "content_topic"
            case pubsubTopic = "pubsub_topic"
            case servicePeers = "service_peers"
        }

        public init(contentTopic: String, pubsubTopic: String, via: String, servicePeers: [String]) {
            self.contentTopic = contentTopic
            self.pubsubTopic = pubsubTopic
            self.via = via
            self.servicePeers = servicePeers
        }
    }

    public var peerID: String
    /// `client` or `service`.
    public var mode: String
    /// `healthy`, `degraded` or `disconnected`.
    public var status: String
    /// Full multiaddrs, `/ip4/127.0.0.1/tcp/60000/p2p/<peer id>`; empty in client mode.
    public var listenAddresses: [String]
    public var peers: [Peer]
    /// Pubsub topics, e.g. `/waku/2/rs/1/0`.
    public var shards: [String]
    public var meshSizes: [String: Int]
    public var filterSubscribers: Int
    /// Messages kept by the store (service mode), or null.
    public var storedMessages: Int?
    /// The addresses the node dials, bootstrap first.
    public var dialTargets: [DialTarget]
    /// The content topics subscribed (filter or relay), sorted.
    public var subscriptions: [Subscription]

    enum CodingKeys: String, CodingKey {
        case mode, status, peers, shards
        case peerID = "peer_id"
        case listenAddresses = "listen_addresses"
        case meshSizes = "mesh_sizes"
        case filterSubscribers = "filter_subscribers"
        case storedMessages = "stored_messages"
        case dialTargets = "dial_targets"
        case subscriptions
    }

    public init(
        peerID: String, mode: String, status: String, listenAddresses: [String], peers: [Peer], shards: [String],
        meshSizes: [String: Int], filterSubscribers: Int, storedMessages: Int?, dialTargets: [DialTarget] = [],
        subscriptions: [Subscription] = []
    ) {
        self.peerID = peerID
        self.mode = mode
        self.status = status
        self.listenAddresses = listenAddresses
        self.peers = peers
        self.shards = shards
        self.meshSizes = meshSizes
        self.filterSubscribers = filterSubscribers
        self.storedMessages = storedMessages
        self.dialTargets = dialTargets
        self.subscriptions = subscriptions
    }

    /// Reads the report; `dial_targets` and `subscriptions` may be absent (a daemon older than them).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        peerID = try c.decode(String.self, forKey: .peerID)
        mode = try c.decode(String.self, forKey: .mode)
        status = try c.decode(String.self, forKey: .status)
        listenAddresses = try c.decode([String].self, forKey: .listenAddresses)
        peers = try c.decode([Peer].self, forKey: .peers)
        shards = try c.decode([String].self, forKey: .shards)
        meshSizes = try c.decode([String: Int].self, forKey: .meshSizes)
        filterSubscribers = try c.decode(Int.self, forKey: .filterSubscribers)
        storedMessages = try c.decodeIfPresent(Int.self, forKey: .storedMessages)
        dialTargets = try c.decodeIfPresent([DialTarget].self, forKey: .dialTargets) ?? []
        subscriptions = try c.decodeIfPresent([Subscription].self, forKey: .subscriptions) ?? []
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(peerID, forKey: .peerID)
        try c.encode(mode, forKey: .mode)
        try c.encode(status, forKey: .status)
        try c.encode(listenAddresses, forKey: .listenAddresses)
        try c.encode(peers, forKey: .peers)
        try c.encode(shards, forKey: .shards)
        try c.encode(meshSizes, forKey: .meshSizes)
        try c.encode(filterSubscribers, forKey: .filterSubscribers)
        try c.encode(storedMessages, forKey: .storedMessages)
        try c.encode(dialTargets, forKey: .dialTargets)
        try c.encode(subscriptions, forKey: .subscriptions)
    }
}
