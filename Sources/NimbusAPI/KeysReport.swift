import NimbusIPC
import NimbusHex

/// `GET /v1/keys`: the validator keys the signer holds, public facts only (the keystores themselves never leave it
/// this way).
public struct KeysReport: Sendable, Equatable, Codable {
    public struct Key: Sendable, Equatable, Codable {
        /// 0x-prefixed hex of the 48-byte BLS public key.
        public var pubkey: String
        /// The EIP-2334 path, "" when an imported keystore names none.
        public var path: String
        /// `generated` (by the signer, from a mnemonic it showed once) or `imported`.
        public var source: String
        /// RFC 3339.
        public var createdAt: String

        enum CodingKeys: String, CodingKey {
            case pubkey, path, source
            case createdAt = "created_at"
        }

        public init(_ entry: KeyListEntry) {
            pubkey = "0x" + Hex.encode(entry.pubkey)
            path = entry.path
            source = entry.source == .generated ? "generated" : "imported"
            createdAt = RFC3339.format(millis: entry.createdAtMillis)
        }
    }

    public var keys: [Key]

    public init(keys: [Key]) {
        self.keys = keys
    }
}
