import Crypto

/// Automatic sharding (WAKU2-RELAY-SHARDING, "Automatic Sharding"; 64/WAKU2-NETWORK, "Autosharding"): the shard of
/// a content topic is `sha256(application || version) mod shardCount` within a cluster.
///
/// The RFC takes the modulo of the whole 256-bit digest; nwaku takes it of the digest's last 64 bits. For a shard
/// count that is a power of two, as The Waku Network's 8 is, both give the same shard (2^64 is a multiple of
/// the count), which a test checks.
public struct AutoSharding: Hashable, Sendable {
    /// The Waku Network (64/WAKU2-NETWORK): cluster 1 with 8 shards.
    public static let theWakuNetwork = AutoSharding(cluster: 1, shardCount: 8)

    /// The cluster.
    public let cluster: UInt16
    /// Shards in the cluster for generation 0.
    public let shardCount: UInt16

    /// A scheme for `shardCount` (1 to 1024) shards of `cluster`.
    public init(cluster: UInt16, shardCount: UInt16) {
        precondition(shardCount >= 1 && shardCount <= RelayShard.maxShardsPerCluster, "1 to 1024 shards")
        self.cluster = cluster
        self.shardCount = shardCount
    }

    /// Every shard of the cluster, ascending.
    public var allShards: [RelayShard] {
        (0..<shardCount).map { RelayShard(cluster: cluster, shard: $0)! }
    }

    /// The shard index for an application name and version.
    public func shardIndex(application: String, version: String) -> UInt16 {
        let digest = SHA256.hash(data: Array(application.utf8) + Array(version.utf8))
        // The digest read as one big-endian number, reduced byte by byte (Horner's rule) so no big integer is
        // needed.
        var remainder: UInt32 = 0
        for byte in digest { remainder = (remainder << 8 | UInt32(byte)) % UInt32(shardCount) }
        return UInt16(remainder)
    }

    /// The shard a content topic routes to.
    public func shard(for topic: ContentTopic) throws(ContentTopicError) -> RelayShard {
        if let generation = topic.generation, generation != 0 { throw .unsupportedGeneration(generation) }
        return RelayShard(cluster: cluster, shard: shardIndex(application: topic.application, version: topic.version))!
    }

    /// The shard a content topic string routes to.
    public func shard(forContentTopic text: String) throws(ContentTopicError) -> RelayShard {
        try shard(for: ContentTopic(text))
    }
}
