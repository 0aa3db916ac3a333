/// A 19/WAKU2-LIGHTPUSH v3 request: a light client asks a service node to relay a message.
public struct LightPushRequest: Hashable, Sendable {
    /// A message, its envelope and the 64 KiB margin nwaku allows.
    public static let maxEncodedSize = WakuMessage.maxEncodedSize + CodecLimits.envelopeOverhead

    /// The request id, echoed in the response.
    public var requestID: String
    /// The pubsub topic; nil lets the service node derive it by autosharding from the content topic.
    public var pubsubTopic: String?
    /// The message to relay.
    public var message: WakuMessage

    /// A request from its fields.
    public init(requestID: String, pubsubTopic: String?, message: WakuMessage) {
        self.requestID = requestID
        self.pubsubTopic = pubsubTopic
        self.message = message
    }

    /// The encoding (`LightpushRequest`: request_id 1, pubsub_topic 20, message 21).
    public func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.string(1, requestID)
        if let pubsubTopic { writer.string(20, pubsubTopic) }
        writer.bytes(21, message.encoded())
        return writer.bytes
    }

    /// Decodes a request; `request_id` and `message` are required.
    public init<Bytes: Collection<UInt8>>(decoding bytes: Bytes) throws(WakuCodecError) {
        let slice = ArraySlice(bytes)
        guard slice.count <= Self.maxEncodedSize else {
            throw .tooLarge(what: "LightpushRequest", size: slice.count, limit: Self.maxEncodedSize)
        }
        var reader = ProtoReader(slice, context: "LightpushRequest")
        var seen = SeenFields()
        var requestID = ""
        var pubsubTopic: String?
        var message: WakuMessage?
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "LightpushRequest.request_id")
                requestID = try field.string("LightpushRequest.request_id", limit: CodecLimits.requestID)
            case 20:
                try seen.once(20, "LightpushRequest.pubsub_topic")
                pubsubTopic = try field.string("LightpushRequest.pubsub_topic", limit: CodecLimits.pubsubTopic)
            case 21:
                try seen.once(21, "LightpushRequest.message")
                message = try WakuMessage(decoding: field.bytes("LightpushRequest.message"))
            default:
                continue
            }
        }
        guard !requestID.isEmpty else { throw .missingField("LightpushRequest.request_id") }
        guard let message else { throw .missingField("LightpushRequest.message") }
        self.init(requestID: requestID, pubsubTopic: pubsubTopic, message: message)
    }
}
