/// A 12/WAKU2-FILTER v2 `MessagePush` on `/vac/waku/filter-push/2.0.0-beta1`: a service node forwards a message
/// matching a client's subscription.
public struct FilterMessagePush: Hashable, Sendable {
    /// A message, its envelope and the 64 KiB margin nwaku allows.
    public static let maxEncodedSize = WakuMessage.maxEncodedSize + CodecLimits.envelopeOverhead

    /// The message.
    public var message: WakuMessage
    /// The pubsub topic it arrived on (required by nwaku's decoder, so always written).
    public var pubsubTopic: String

    /// A push from its fields.
    public init(message: WakuMessage, pubsubTopic: String) {
        self.message = message
        self.pubsubTopic = pubsubTopic
    }

    /// The encoding (waku_message 1, pubsub_topic 2).
    public func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.bytes(1, message.encoded())
        writer.string(2, pubsubTopic)
        return writer.bytes
    }

    /// Decodes a push; both fields are required.
    public init<Bytes: Collection<UInt8>>(decoding bytes: Bytes) throws(WakuCodecError) {
        let slice = ArraySlice(bytes)
        guard slice.count <= Self.maxEncodedSize else {
            throw .tooLarge(what: "MessagePush", size: slice.count, limit: Self.maxEncodedSize)
        }
        var reader = ProtoReader(slice, context: "MessagePush")
        var seen = SeenFields()
        var message: WakuMessage?
        var pubsubTopic = ""
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "MessagePush.waku_message")
                message = try WakuMessage(decoding: field.bytes("MessagePush.waku_message"))
            case 2:
                try seen.once(2, "MessagePush.pubsub_topic")
                pubsubTopic = try field.string("MessagePush.pubsub_topic", limit: CodecLimits.pubsubTopic)
            default:
                continue
            }
        }
        guard let message else { throw .missingField("MessagePush.waku_message") }
        guard !pubsubTopic.isEmpty else { throw .missingField("MessagePush.pubsub_topic") }
        self.init(message: message, pubsubTopic: pubsubTopic)
    }
}
