import Crypto

extension PeerID {
    /// The peer id of `publicKey`: its `PublicKey` protobuf inline (identity multihash) when at most 42 bytes,
    /// its SHA-256 multihash otherwise (peer-ids spec, "Peer Ids").
    public init(publicKey: Libp2pPublicKey) {
        let encoded = publicKey.protobuf
        var multihash: [UInt8]
        if encoded.count <= Self.maxInlineKeyLength {
            multihash = [Self.identityCode, UInt8(encoded.count)] + encoded
        } else {
            multihash = [Self.sha256Code, 32] + Array(SHA256.hash(data: encoded))
        }
        // Both forms are valid by construction.
        self = try! PeerID(multihash: multihash)
    }

    /// Whether this id names `publicKey`.
    public func matches(_ publicKey: Libp2pPublicKey) -> Bool {
        self == PeerID(publicKey: publicKey)
    }
}
