/// The 66/WAKU2-METADATA rules of 64/WAKU2-NETWORK: a node must disconnect a peer whose metadata exchange fails,
/// reports no cluster, or reports another cluster.
public struct MetadataPolicy: Hashable, Sendable {
    /// This node's cluster.
    public let clusterID: UInt32
    /// This node's shards (what it tells peers).
    public let shards: [UInt32]

    /// A policy for a node in `clusterID` serving `shards`.
    public init(clusterID: UInt32, shards: [UInt32]) {
        self.clusterID = clusterID
        self.shards = shards.sorted()
    }

    /// What this node sends, as request or response.
    public var localMessage: MetadataMessage { MetadataMessage(clusterID: clusterID, shards: shards) }

    /// Why a peer's metadata requires a disconnect, or nil if it may stay.
    public func disconnectReason(for remote: MetadataMessage) -> String? {
        guard let remoteCluster = remote.clusterID else { return "peer reports no cluster id" }
        guard remoteCluster == clusterID else { return "peer is in cluster \(remoteCluster), not \(clusterID)" }
        return nil
    }
}
