/// A Waku message (14/WAKU2-MESSAGE): what every Waku protocol carries.
///
/// `rate_limit_proof` (field 21, RLN) is read past and dropped: this node neither produces nor checks RLN proofs,
/// and the deterministic hash does not cover it. Relay forwards the original bytes, so a proof a peer attached
/// survives forwarding.
public struct WakuMessage: Hashable, Sendable {
    /// 64/WAKU2-NETWORK: a message "MUST NOT exceed an absolute maximum size of 150 kilobytes" after protobuf
    /// serialization; nwaku counts that as 150 KiB.
    public static let maxEncodedSize = 150 * 1024
    /// nwaku refuses `meta` longer than 64 bytes (14/WAKU2-MESSAGE leaves the bound to implementations).
    public static let maxMetaSize = 64
    /// A bound on content topics, which are short paths; not in the RFC, a guard against waste.
    public static let maxContentTopicSize = 1024

    /// The application payload (opaque to Waku; encrypt and pad it, since relays see it).
    public var payload: [UInt8]
    /// The content topic, e.g. `/nimbus/1/pairing/proto` (cleartext on the wire).
    public var contentTopic: String
    /// The payload's encryption version (0: none or application-defined).
    public var version: UInt32
    /// Nanoseconds since the Unix epoch at which the sender created the message; nil when absent.
    public var timestamp: Int64?
    /// Application metadata (at most 64 bytes, cleartext, covered by the message hash); empty means absent.
    public var meta: [UInt8]
    /// When true, store nodes must not persist the message.
    public var ephemeral: Bool

    /// A message from its fields.
    public init(
        payload: [UInt8], contentTopic: String, version: UInt32 = 0, timestamp: Int64? = nil, meta: [UInt8] = [],
        ephemeral: Bool = false
    ) {
        self.payload = payload
        self.contentTopic = contentTopic
        self.version = version
        self.timestamp = timestamp
        self.meta = meta
        self.ephemeral = ephemeral
    }
}
