/// A 66/WAKU2-METADATA request or response, which have the same fields: the sender's cluster and the shards it
/// serves. A node must disconnect a peer that reports no cluster or another one (64/WAKU2-NETWORK).
public struct MetadataMessage: Hashable, Sendable {
    /// Responses are small; nwaku reads at most 1 KiB.
    public static let maxEncodedSize = 1024
    /// At most one entry per shard of a cluster.
    public static let maxShards = Int(RelayShard.maxShardsPerCluster)

    /// The sender's cluster id; nil when absent (an unknown cluster).
    public var clusterID: UInt32?
    /// The shard indices the sender serves.
    public var shards: [UInt32]

    /// A message from its fields.
    public init(clusterID: UInt32?, shards: [UInt32]) {
        self.clusterID = clusterID
        self.shards = shards
    }

    /// The encoding: shards both as the deprecated unpacked field 2 and as packed field 3, as nwaku writes them,
    /// so that old and new decoders read them.
    public func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        if let clusterID { writer.varint(1, UInt64(clusterID)) }
        for shard in shards { writer.varint(2, UInt64(shard)) }
        if !shards.isEmpty { writer.packedVarints(3, shards.map { UInt64($0) }) }
        return writer.bytes
    }

    /// Decodes a request or response; shards come from packed field 3 if present, else from field 2 (packed or
    /// not).
    public init<Bytes: Collection<UInt8>>(decoding bytes: Bytes) throws(WakuCodecError) {
        let slice = ArraySlice(bytes)
        guard slice.count <= Self.maxEncodedSize else {
            throw .tooLarge(what: "WakuMetadata message", size: slice.count, limit: Self.maxEncodedSize)
        }
        var reader = ProtoReader(slice, context: "WakuMetadata message")
        var seen = SeenFields()
        var clusterID: UInt32?
        var legacyShards: [UInt64] = []
        var packedShards: [UInt64]?
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "WakuMetadata.cluster_id")
                clusterID = try field.uint32("WakuMetadata.cluster_id")
            case 2:
                if case .lengthDelimited = field.value {
                    legacyShards += try field.packedVarints("WakuMetadata.shards", limit: Self.maxShards)
                } else {
                    legacyShards.append(try field.varint("WakuMetadata.shards"))
                }
            case 3:
                try seen.once(3, "WakuMetadata.shards (packed)")
                packedShards = try field.packedVarints("WakuMetadata.shards", limit: Self.maxShards)
            default:
                continue
            }
            guard legacyShards.count <= Self.maxShards else {
                throw .tooMany(what: "WakuMetadata.shards", count: legacyShards.count, limit: Self.maxShards)
            }
        }
        var shards: [UInt32] = []
        for raw in packedShards ?? legacyShards {
            guard raw < UInt64(RelayShard.maxShardsPerCluster) else {
                throw .invalidValue(field: "WakuMetadata.shards", reason: "shard \(raw) is not below 1024")
            }
            shards.append(UInt32(raw))
        }
        self.init(clusterID: clusterID, shards: shards)
    }
}
