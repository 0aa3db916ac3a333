/// A 13/WAKU2-STORE v3 response: one page of message hashes (with messages if asked for) and the cursor of the
/// next page.
public struct StoreQueryResponse: Hashable, Sendable {
    /// One page at nwaku's 100-message limit of full-size messages, and the envelope.
    public static let maxEncodedSize =
        Int(StoreQueryRequest.maxPageSize)
        * (WakuMessage.maxEncodedSize + CodecLimits.pubsubTopic + 64) + CodecLimits.envelopeOverhead

    /// 200: done.
    public static let statusOK: UInt32 = 200
    /// 400: the query was malformed.
    public static let statusBadRequest: UInt32 = 400
    /// 429: rate limited.
    public static let statusTooManyRequests: UInt32 = 429
    /// 503: the store is not available.
    public static let statusServiceUnavailable: UInt32 = 503

    /// One result: a message hash, and the message with its pubsub topic when the query asked for data.
    public struct Entry: Hashable, Sendable {
        /// The message's deterministic hash.
        public var messageHash: WakuMessageHash
        /// The message (when `include_data` was set).
        public var message: WakuMessage?
        /// The pubsub topic the message was stored from (with the message).
        public var pubsubTopic: String?

        /// An entry from its fields.
        public init(messageHash: WakuMessageHash, message: WakuMessage? = nil, pubsubTopic: String? = nil) {
            self.messageHash = messageHash
            self.message = message
            self.pubsubTopic = pubsubTopic
        }
    }

    /// The request id of the query answered.
    public var requestID: String
    /// The outcome, HTTP-like.
    public var statusCode: UInt32
    /// A description of the outcome (nwaku's decoder requires it, so it is always written).
    public var statusDescription: String
    /// The page.
    public var messages: [Entry]
    /// The cursor of the next page; nil on the last page.
    public var paginationCursor: WakuMessageHash?

    /// A response from its fields.
    public init(
        requestID: String, statusCode: UInt32, statusDescription: String, messages: [Entry] = [],
        paginationCursor: WakuMessageHash? = nil
    ) {
        self.requestID = requestID
        self.statusCode = statusCode
        self.statusDescription = statusDescription
        self.messages = messages
        self.paginationCursor = paginationCursor
    }

    /// The encoding (request_id 1, status_code 10, status_desc 11, messages 20, pagination_cursor 51).
    public func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.string(1, requestID)
        writer.varint(10, UInt64(statusCode))
        writer.string(11, statusDescription)
        for entry in messages {
            var inner = ProtoWriter()
            inner.bytes(1, entry.messageHash.bytes)
            if let message = entry.message, let topic = entry.pubsubTopic {
                inner.bytes(2, message.encoded())
                inner.string(3, topic)
            }
            writer.bytes(20, inner.bytes)
        }
        if let paginationCursor { writer.bytes(51, paginationCursor.bytes) }
        return writer.bytes
    }

    /// Decodes a response; `request_id` and `status_code` are required, at most 100 entries, each with a 32-byte
    /// hash, and a message only together with its pubsub topic.
    public init<Bytes: Collection<UInt8>>(decoding bytes: Bytes) throws(WakuCodecError) {
        let slice = ArraySlice(bytes)
        guard slice.count <= Self.maxEncodedSize else {
            throw .tooLarge(what: "StoreQueryResponse", size: slice.count, limit: Self.maxEncodedSize)
        }
        var reader = ProtoReader(slice, context: "StoreQueryResponse")
        var seen = SeenFields()
        var response = StoreQueryResponse(requestID: "", statusCode: 0, statusDescription: "")
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "StoreQueryResponse.request_id")
                response.requestID = try field.string("StoreQueryResponse.request_id", limit: CodecLimits.requestID)
            case 10:
                try seen.once(10, "StoreQueryResponse.status_code")
                response.statusCode = try field.uint32("StoreQueryResponse.status_code")
            case 11:
                try seen.once(11, "StoreQueryResponse.status_desc")
                response.statusDescription = try field.string(
                    "StoreQueryResponse.status_desc", limit: CodecLimits.statusDescription)
            case 20:
                response.messages.append(try Self.decodeEntry(field.bytes("StoreQueryResponse.messages")))
                guard response.messages.count <= Int(StoreQueryRequest.maxPageSize) else {
                    throw .tooMany(
                        what: "StoreQueryResponse.messages", count: response.messages.count,
                        limit: Int(StoreQueryRequest.maxPageSize))
                }
            case 51:
                try seen.once(51, "StoreQueryResponse.pagination_cursor")
                response.paginationCursor = try StoreQueryRequest.hash(field, "StoreQueryResponse.pagination_cursor")
            default:
                continue
            }
        }
        guard !response.requestID.isEmpty else { throw .missingField("StoreQueryResponse.request_id") }
        guard seen.contains(10) else { throw .missingField("StoreQueryResponse.status_code") }
        self = response
    }

    private static func decodeEntry(_ bytes: ArraySlice<UInt8>) throws(WakuCodecError) -> Entry {
        var reader = ProtoReader(bytes, context: "WakuMessageKeyValue")
        var seen = SeenFields()
        var hash: WakuMessageHash?
        var message: WakuMessage?
        var topic: String?
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "WakuMessageKeyValue.message_hash")
                hash = try StoreQueryRequest.hash(field, "WakuMessageKeyValue.message_hash")
            case 2:
                try seen.once(2, "WakuMessageKeyValue.message")
                message = try WakuMessage(decoding: field.bytes("WakuMessageKeyValue.message"))
            case 3:
                try seen.once(3, "WakuMessageKeyValue.pubsub_topic")
                topic = try field.string("WakuMessageKeyValue.pubsub_topic", limit: CodecLimits.pubsubTopic)
            default:
                continue
            }
        }
        guard let hash else { throw .missingField("WakuMessageKeyValue.message_hash") }
        if message != nil && topic == nil { throw .missingField("WakuMessageKeyValue.pubsub_topic") }
        return Entry(messageHash: hash, message: message, pubsubTopic: message == nil ? nil : topic)
    }
}
