import NimbusMultiformats

/// A peer learned through 34/WAKU2-PEER-EXCHANGE: its ENR verified and read for what this node can use, TCP
/// multiaddrs (this node dials neither WebSocket nor QUIC) and the Waku services it announces.
public struct PeerExchangeCandidate: Hashable, Sendable {
    /// The peer.
    public let peer: WakuPeerID
    /// Dialable TCP multiaddrs, each ending in `/p2p/<peer>`.
    public let addresses: [String]
    /// The services announced in the ENR's `waku2` field.
    public let capabilities: WakuCapabilities
    /// The cluster and shards announced in `rs`/`rsv`, if any.
    public let shards: RelayShards?

    /// Reads an ENR; nil if it does not verify, has no TCP address, is in another cluster than `clusterID`, or
    /// announces none of the `wanted` services.
    public init?(enr bytes: [UInt8], clusterID: UInt16, wanted: WakuCapabilities) {
        guard let enr = try? ENR(rlp: bytes) else { return nil }
        if let shards = enr.relayShards, shards.cluster != clusterID { return nil }
        let capabilities = enr.waku2 ?? []
        guard !capabilities.isDisjoint(with: wanted) else { return nil }
        let addresses = enr.libp2pMultiaddrs.map(\.description).filter { address in
            address.contains("/tcp/") && !address.contains("/ws") && !address.contains("/p2p-circuit")
        }
        guard !addresses.isEmpty else { return nil }
        peer = WakuPeerID(enr.peerID.description)
        self.addresses = addresses
        self.capabilities = capabilities
        shards = enr.relayShards
    }
}
