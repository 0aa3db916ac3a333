/// A libp2p peer id (libp2p/specs peer-ids/peer-ids.md): a multihash of the peer's `PublicKey` protobuf,
/// the identity multihash (code 0x00) when the encoded key is at most 42 bytes (Ed25519, secp256k1), SHA-256
/// (code 0x12) otherwise. Its text form is the base58btc of the multihash ("12D3KooW...", "16Uiu2...", "Qm...").
public struct PeerID: Hashable, Sendable, CustomStringConvertible {
    /// Multihash code of the identity hash (the key inline).
    public static let identityCode: UInt8 = 0x00
    /// Multihash code of SHA2-256.
    public static let sha256Code: UInt8 = 0x12
    /// Encoded keys up to this size are inlined with the identity multihash (peer-ids spec).
    public static let maxInlineKeyLength = 42

    /// The multihash bytes: code, digest length, digest.
    public let multihash: [UInt8]

    /// A peer id from multihash bytes: an identity multihash whose digest is a `PublicKey` message, or a 32-byte
    /// SHA-256 multihash.
    public init<Bytes: Collection<UInt8>>(multihash: Bytes) throws(PeerIDError) {
        let bytes = Array(multihash)
        guard bytes.count >= 2 else { throw .truncated }
        let length = Int(bytes[1])
        // Both codes and every allowed length fit in one varint byte.
        guard bytes[1] < 0x80 else { throw .badDigestLength }
        switch bytes[0] {
        case Self.identityCode:
            guard length == bytes.count - 2 else { throw .badDigestLength }
            do {
                _ = try Libp2pPublicKey(protobuf: bytes[2...])
            } catch {
                throw .invalidInlineKey(error)
            }
        case Self.sha256Code:
            guard length == 32, bytes.count == 34 else { throw .badDigestLength }
        default:
            throw .unsupportedMultihash(bytes[0])
        }
        self.multihash = bytes
    }

    /// Parses the base58btc text form.
    public init(_ text: String) throws(PeerIDError) {
        guard !text.isEmpty else { throw .emptyText }
        guard let bytes = Base58.decode(text) else { throw .invalidBase58 }
        try self.init(multihash: bytes)
    }

    /// The key inlined in an identity multihash; nil for SHA-256 ids, whose key must come from the peer.
    public var inlinePublicKey: Libp2pPublicKey? {
        guard multihash[0] == Self.identityCode else { return nil }
        return try? Libp2pPublicKey(protobuf: multihash[2...])
    }

    /// The base58btc text form.
    public var description: String { Base58.encode(multihash) }
}

/// Why bytes or text are not a peer id.
public enum PeerIDError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Empty text.
    case emptyText
    /// A character outside the base58btc alphabet.
    case invalidBase58
    /// Fewer than two multihash bytes.
    case truncated
    /// A multihash code other than identity and SHA2-256.
    case unsupportedMultihash(UInt8)
    /// The digest length byte does not match the digest.
    case badDigestLength
    /// An identity multihash whose digest is not a valid `PublicKey` message.
    case invalidInlineKey(ProtobufError)

    /// A reason for logs and test failures.
    public var description: String {
        switch self {
        case .emptyText: "empty peer id"
        case .invalidBase58: "peer id is not base58btc"
        case .truncated: "peer id multihash truncated"
        case .unsupportedMultihash(let code): "unsupported peer id multihash code \(code)"
        case .badDigestLength: "peer id multihash digest length mismatch"
        case .invalidInlineKey(let error): "peer id inline key invalid: \(error)"
        }
    }
}
