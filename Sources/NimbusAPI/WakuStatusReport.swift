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

    enum CodingKeys: String, CodingKey {
        case mode, status, peers, shards
        case peerID = "peer_id"
        case listenAddresses = "listen_addresses"
        case meshSizes = "mesh_sizes"
        case filterSubscribers = "filter_subscribers"
        case storedMessages = "stored_messages"
    }

    public init(
        peerID: String, mode: String, status: String, listenAddresses: [String], peers: [Peer], shards: [String],
        meshSizes: [String: Int], filterSubscribers: Int, storedMessages: Int?
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
    }
}
