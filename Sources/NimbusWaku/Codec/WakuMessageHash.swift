import Crypto
import NimbusHex

/// The deterministic hash of a message on a pubsub topic (14/WAKU2-MESSAGE, "Deterministic message hashing"):
/// `sha256(pubsub_topic || payload || content_topic || meta || timestamp)`, the timestamp as 8 bytes big-endian
/// (0 when absent, as nwaku does) and `meta` contributing nothing when absent.
///
/// Store v3 keys messages by it and uses it as the pagination cursor; filter clients deduplicate with it.
public struct WakuMessageHash: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// A SHA-256 digest's size.
    public static let byteCount = 32

    /// A hash from 32 bytes; nil for any other length.
    public init?<Bytes: Collection<UInt8>>(bytes: Bytes) {
        guard bytes.count == Self.byteCount else { return nil }
        self.bytes = Array(bytes)
    }

    /// The hash of `message` as published on `pubsubTopic`.
    public init(pubsubTopic: String, message: WakuMessage) {
        var hasher = SHA256()
        hasher.update(data: Array(pubsubTopic.utf8))
        hasher.update(data: message.payload)
        hasher.update(data: Array(message.contentTopic.utf8))
        hasher.update(data: message.meta)
        let timestamp = UInt64(bitPattern: message.timestamp ?? 0)
        hasher.update(data: (0..<8).map { UInt8(truncatingIfNeeded: timestamp >> (56 - 8 * UInt64($0))) })
        bytes = Array(hasher.finalize())
    }

    /// Lower-case hex.
    public var description: String { Hex.encode(bytes) }

    /// Byte-wise order, the order store nodes break timestamp ties with.
    public static func < (lhs: WakuMessageHash, rhs: WakuMessageHash) -> Bool {
        lhs.bytes.lexicographicallyPrecedes(rhs.bytes)
    }
}
