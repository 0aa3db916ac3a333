/// The relay shards a Waku node is subscribed to, from its `rs` or `rsv` ENR field (RELAY-SHARDING, "Discovery"):
/// a cluster id and shard indices.
public struct RelayShards: Hashable, Sendable {
    /// The cluster (The Waku Network is cluster 1).
    public let cluster: UInt16
    /// The shard indices, ascending.
    public let shards: [UInt16]

    /// Shards from their parts.
    public init(cluster: UInt16, shards: [UInt16]) {
        self.cluster = cluster
        self.shards = shards.sorted()
    }

    /// Decodes `rs`: the cluster (2 bytes, big-endian), a count (1 byte), that many shard indices (2 bytes each).
    public init?(indexList bytes: [UInt8]) {
        guard bytes.count >= 3 else { return nil }
        let count = Int(bytes[2])
        guard bytes.count == 3 + 2 * count else { return nil }
        let shards = (0..<count).map { UInt16(bytes[3 + 2 * $0]) << 8 | UInt16(bytes[4 + 2 * $0]) }
        self.init(cluster: UInt16(bytes[0]) << 8 | UInt16(bytes[1]), shards: shards)
    }

    /// Decodes `rsv`: the cluster (2 bytes, big-endian) and a 1024-bit vector, shard 0 the most significant bit
    /// of the first byte.
    public init?(bitVector bytes: [UInt8]) {
        guard bytes.count == 2 + 128 else { return nil }
        var shards: [UInt16] = []
        for (index, byte) in bytes[2...].enumerated() {
            for bit in 0..<8 where byte & (0x80 >> UInt8(bit)) != 0 { shards.append(UInt16(index * 8 + bit)) }
        }
        self.init(cluster: UInt16(bytes[0]) << 8 | UInt16(bytes[1]), shards: shards)
    }
}
