/// The gossipsub parameters of 11/WAKU2-RELAY. The mesh degrees are gossipsub v1.1's defaults, which nwaku uses
/// (D=6, D_low=4, D_high=12, D_lazy=6); the seen-cache TTL is nwaku's 2 minutes.
public struct RelayParameters: Hashable, Sendable {
    /// Target mesh degree (D).
    public var meshDegree = 6
    /// Below this, a heartbeat grafts peers up to D (D_low).
    public var meshDegreeLow = 4
    /// Above this, a heartbeat prunes peers down to D (D_high).
    public var meshDegreeHigh = 12
    /// Minimum number of peers to gossip to per topic and heartbeat (D_lazy).
    public var gossipDegree = 6
    /// Share of eligible peers gossiped to when that exceeds D_lazy (gossip_factor).
    public var gossipFactor = 0.25
    /// Time between heartbeats; the node drives the router at this pace.
    public var heartbeatInterval: Duration = .seconds(1)
    /// A fanout set (topics published to but not joined) is dropped after this long without a publish.
    public var fanoutTimeToLive: Duration = .seconds(60)
    /// Heartbeats a message stays in the message cache (mcache_len).
    public var historyLength = 6
    /// Heartbeats a message id is gossiped (mcache_gossip).
    public var historyGossip = 3
    /// How long message ids stay in the seen-cache.
    public var seenTimeToLive: Duration = .seconds(120)
    /// Backoff sent with, and applied after, a PRUNE (gossipsub v1.1 PruneBackoff).
    public var pruneBackoff: Duration = .seconds(60)
    /// Backoff after leaving a topic (gossipsub v1.1 UnsubscribeBackoff).
    public var unsubscribeBackoff: Duration = .seconds(10)
    /// IHAVE messages from one peer acted on per heartbeat (MaxIHaveMessages).
    public var maxIHaveMessages = 10
    /// Message ids asked for from one peer per heartbeat, and advertised per IHAVE (MaxIHaveLength).
    public var maxIHaveLength = 5000
    /// Times one message is sent to the same peer in answer to IWANT (GossipRetransmission).
    public var gossipRetransmission = 3
    /// Own messages go to every peer subscribed to the topic, not only the mesh (v1.1 flood publishing).
    public var floodPublish = true
    /// The largest message accepted: a WakuMessage of at most 150 KiB (64/WAKU2-NETWORK).
    public var maxMessageSize = WakuMessage.maxEncodedSize

    /// The defaults.
    public init() {}
}
