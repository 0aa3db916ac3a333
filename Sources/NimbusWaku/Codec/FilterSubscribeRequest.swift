/// A 12/WAKU2-FILTER v2 request on `/vac/waku/filter-subscribe/2.0.0-beta1`.
public struct FilterSubscribeRequest: Hashable, Sendable {
    /// 12/WAKU2-FILTER: a service node may cap content topics per request; nwaku caps them at 100.
    public static let maxContentTopics = 100
    /// 100 topics of at most 1 KiB each and the envelope.
    public static let maxEncodedSize = maxContentTopics * (CodecLimits.contentTopic + 8) + 4096

    /// What the client asks for (`FilterSubscribeType`).
    public enum Kind: UInt32, Hashable, Sendable {
        /// Checks that the service node still holds a subscription for the client.
        case subscriberPing = 0
        /// Adds content topics on a pubsub topic.
        case subscribe = 1
        /// Removes content topics on a pubsub topic.
        case unsubscribe = 2
        /// Removes every subscription of the client.
        case unsubscribeAll = 3
    }

    /// The request id, echoed in the response.
    public var requestID: String
    /// The kind of request.
    public var kind: Kind
    /// The pubsub topic (subscribe and unsubscribe).
    public var pubsubTopic: String?
    /// The content topics (subscribe and unsubscribe).
    public var contentTopics: [String]

    /// A request from its fields.
    public init(requestID: String, kind: Kind, pubsubTopic: String? = nil, contentTopics: [String] = []) {
        self.requestID = requestID
        self.kind = kind
        self.pubsubTopic = pubsubTopic
        self.contentTopics = contentTopics
    }

    /// The encoding (request_id 1, filter_subscribe_type 2, pubsub_topic 10, content_topics 11).
    public func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.string(1, requestID)
        if kind != .subscriberPing { writer.varint(2, UInt64(kind.rawValue)) }
        if let pubsubTopic { writer.string(10, pubsubTopic) }
        for topic in contentTopics { writer.string(11, topic) }
        return writer.bytes
    }

    /// Decodes a request; `request_id` is required, the type defaults to ping (proto3's zero value), unknown
    /// types and more than 100 content topics are refused.
    public init<Bytes: Collection<UInt8>>(decoding bytes: Bytes) throws(WakuCodecError) {
        let slice = ArraySlice(bytes)
        guard slice.count <= Self.maxEncodedSize else {
            throw .tooLarge(what: "FilterSubscribeRequest", size: slice.count, limit: Self.maxEncodedSize)
        }
        var reader = ProtoReader(slice, context: "FilterSubscribeRequest")
        var seen = SeenFields()
        var requestID = ""
        var kind = Kind.subscriberPing
        var pubsubTopic: String?
        var contentTopics: [String] = []
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "FilterSubscribeRequest.request_id")
                requestID = try field.string("FilterSubscribeRequest.request_id", limit: CodecLimits.requestID)
            case 2:
                try seen.once(2, "FilterSubscribeRequest.filter_subscribe_type")
                let raw = try field.uint32("FilterSubscribeRequest.filter_subscribe_type")
                guard let value = Kind(rawValue: raw) else {
                    throw .invalidValue(field: "FilterSubscribeRequest.filter_subscribe_type", reason: "unknown \(raw)")
                }
                kind = value
            case 10:
                try seen.once(10, "FilterSubscribeRequest.pubsub_topic")
                pubsubTopic = try field.string("FilterSubscribeRequest.pubsub_topic", limit: CodecLimits.pubsubTopic)
            case 11:
                contentTopics.append(
                    try field.string("FilterSubscribeRequest.content_topics", limit: CodecLimits.contentTopic))
                guard contentTopics.count <= Self.maxContentTopics else {
                    throw .tooMany(
                        what: "FilterSubscribeRequest.content_topics", count: contentTopics.count,
                        limit: Self.maxContentTopics)
                }
            default:
                continue
            }
        }
        guard !requestID.isEmpty else { throw .missingField("FilterSubscribeRequest.request_id") }
        self.init(requestID: requestID, kind: kind, pubsubTopic: pubsubTopic, contentTopics: contentTopics)
    }
}
