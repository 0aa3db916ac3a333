/// A static relay shard (WAKU2-RELAY-SHARDING, "Static Sharding"): the pubsub topic `/waku/2/rs/<cluster>/<shard>`.
public struct RelayShard: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// Shards per cluster allowed by the static sharding scheme.
    public static let maxShardsPerCluster: UInt16 = 1024

    /// The shard cluster (The Waku Network is 1).
    public let cluster: UInt16
    /// The shard index within the cluster (0 to 1023).
    public let shard: UInt16

    /// A shard from its indices; nil if `shard` is 1024 or more.
    public init?(cluster: UInt16, shard: UInt16) {
        guard shard < Self.maxShardsPerCluster else { return nil }
        self.cluster = cluster
        self.shard = shard
    }

    /// Parses `/waku/2/rs/<cluster>/<shard>`; nil for any other pubsub topic (named sharding is not supported).
    public init?(pubsubTopic: String) {
        let prefix = "/waku/2/rs/"
        guard pubsubTopic.hasPrefix(prefix) else { return nil }
        let parts = pubsubTopic.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
            parts.allSatisfy({ $0.count == 1 || $0.first != "0" }),
            let cluster = UInt16(parts[0]), let shard = UInt16(parts[1])
        else { return nil }
        self.init(cluster: cluster, shard: shard)
    }

    /// The pubsub topic naming this shard.
    public var pubsubTopic: String { "/waku/2/rs/\(cluster)/\(shard)" }

    /// The pubsub topic.
    public var description: String { pubsubTopic }

    /// Order by cluster, then shard.
    public static func < (lhs: RelayShard, rhs: RelayShard) -> Bool {
        (lhs.cluster, lhs.shard) < (rhs.cluster, rhs.shard)
    }
}
