/// A validator whose key this node holds, with the index the simulated chain gave it.
public struct AttachedValidator: Sendable, Equatable, Codable {
    /// Where the key came from.
    public enum Source: String, Sendable, Codable {
        /// A keystore found in the data directory at start-up.
        case dataDirectory = "data_dir"
        /// A keystore imported through the keymanager API.
        case keymanager
        /// A remote signer key (keymanager `/eth/v1/remotekeys`).
        case remote
    }

    /// Canonical 0x-prefixed lowercase public key.
    public var pubkey: String
    /// Validator index on the simulated chain.
    public var index: UInt64
    /// When this process attached it (doppelganger detection starts from here for keys added while running).
    public var attachedAt: Double
    /// Where the key came from.
    public var source: Source

    /// A validator.
    public init(pubkey: String, index: UInt64, attachedAt: Double, source: Source) {
        self.pubkey = pubkey
        self.index = index
        self.attachedAt = attachedAt
        self.source = source
    }
}
