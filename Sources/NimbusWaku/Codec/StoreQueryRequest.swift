/// A 13/WAKU2-STORE v3 query on `/vac/waku/store-query/3.0.0`: either a content filter (pubsub topic, content
/// topics, time range) or a list of message hashes, with pagination by cursor.
public struct StoreQueryRequest: Hashable, Sendable {
    /// nwaku's page size limit; also the bound on content topics and hashes per query here.
    public static let maxPageSize: UInt64 = 100
    /// nwaku's default page size.
    public static let defaultPageSize: UInt64 = 20
    /// Limits of one query's lists.
    public static let maxContentTopics = 100
    /// Limits of one query's lists.
    public static let maxMessageHashes = 100
    /// Topics and hashes at their limits, and the envelope.
    public static let maxEncodedSize =
        maxContentTopics * (CodecLimits.contentTopic + 8) + maxMessageHashes * 40
        + CodecLimits.pubsubTopic + 4096

    /// The request id, echoed in the response.
    public var requestID: String
    /// Whether the response should carry the messages, not only their hashes.
    public var includeData: Bool
    /// The pubsub topic of a content-filtered query.
    public var pubsubTopic: String?
    /// The content topics of a content-filtered query.
    public var contentTopics: [String]
    /// Inclusive lower bound on message timestamps (ns since the Unix epoch).
    public var timeStart: Int64?
    /// Inclusive upper bound on message timestamps (ns since the Unix epoch).
    public var timeEnd: Int64?
    /// The hashes of a hash-based query.
    public var messageHashes: [WakuMessageHash]
    /// The hash of the last message of the previous page.
    public var paginationCursor: WakuMessageHash?
    /// Whether pages go from old to new (true) or from new to old (false, the default).
    public var paginationForward: Bool
    /// The page size asked for.
    public var paginationLimit: UInt64?

    /// A query from its fields.
    public init(
        requestID: String, includeData: Bool = true, pubsubTopic: String? = nil, contentTopics: [String] = [],
        timeStart: Int64? = nil, timeEnd: Int64? = nil, messageHashes: [WakuMessageHash] = [],
        paginationCursor: WakuMessageHash? = nil, paginationForward: Bool = false, paginationLimit: UInt64? = nil
    ) {
        self.requestID = requestID
        self.includeData = includeData
        self.pubsubTopic = pubsubTopic
        self.contentTopics = contentTopics
        self.timeStart = timeStart
        self.timeEnd = timeEnd
        self.messageHashes = messageHashes
        self.paginationCursor = paginationCursor
        self.paginationForward = paginationForward
        self.paginationLimit = paginationLimit
    }

    /// The encoding (request_id 1, include_data 2, pubsub_topic 10, content_topics 11, time_start 12, time_end 13,
    /// message_hashes 20, pagination_cursor 51, pagination_forward 52, pagination_limit 53).
    public func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.string(1, requestID)
        if includeData { writer.bool(2, true) }
        if let pubsubTopic { writer.string(10, pubsubTopic) }
        for topic in contentTopics { writer.string(11, topic) }
        if let timeStart { writer.sint64(12, timeStart) }
        if let timeEnd { writer.sint64(13, timeEnd) }
        for hash in messageHashes { writer.bytes(20, hash.bytes) }
        if let paginationCursor { writer.bytes(51, paginationCursor.bytes) }
        if paginationForward { writer.bool(52, true) }
        if let paginationLimit { writer.varint(53, paginationLimit) }
        return writer.bytes
    }

    /// Decodes a query; `request_id` is required, hashes and the cursor must be 32 bytes.
    public init<Bytes: Collection<UInt8>>(decoding bytes: Bytes) throws(WakuCodecError) {
        let slice = ArraySlice(bytes)
        guard slice.count <= Self.maxEncodedSize else {
            throw .tooLarge(what: "StoreQueryRequest", size: slice.count, limit: Self.maxEncodedSize)
        }
        var reader = ProtoReader(slice, context: "StoreQueryRequest")
        var seen = SeenFields()
        var query = StoreQueryRequest(requestID: "", includeData: false)
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "StoreQueryRequest.request_id")
                query.requestID = try field.string("StoreQueryRequest.request_id", limit: CodecLimits.requestID)
            case 2:
                try seen.once(2, "StoreQueryRequest.include_data")
                query.includeData = try field.bool("StoreQueryRequest.include_data")
            case 10:
                try seen.once(10, "StoreQueryRequest.pubsub_topic")
                query.pubsubTopic = try field.string("StoreQueryRequest.pubsub_topic", limit: CodecLimits.pubsubTopic)
            case 11:
                query.contentTopics.append(
                    try field.string("StoreQueryRequest.content_topics", limit: CodecLimits.contentTopic))
                guard query.contentTopics.count <= Self.maxContentTopics else {
                    throw .tooMany(
                        what: "StoreQueryRequest.content_topics", count: query.contentTopics.count,
                        limit: Self.maxContentTopics)
                }
            case 12:
                try seen.once(12, "StoreQueryRequest.time_start")
                query.timeStart = try field.sint64("StoreQueryRequest.time_start")
            case 13:
                try seen.once(13, "StoreQueryRequest.time_end")
                query.timeEnd = try field.sint64("StoreQueryRequest.time_end")
            case 20:
                query.messageHashes.append(try Self.hash(field, "StoreQueryRequest.message_hashes"))
                guard query.messageHashes.count <= Self.maxMessageHashes else {
                    throw .tooMany(
                        what: "StoreQueryRequest.message_hashes", count: query.messageHashes.count,
                        limit: Self.maxMessageHashes)
                }
            case 51:
                try seen.once(51, "StoreQueryRequest.pagination_cursor")
                query.paginationCursor = try Self.hash(field, "StoreQueryRequest.pagination_cursor")
            case 52:
                try seen.once(52, "StoreQueryRequest.pagination_forward")
                query.paginationForward = try field.bool("StoreQueryRequest.pagination_forward")
            case 53:
                try seen.once(53, "StoreQueryRequest.pagination_limit")
                query.paginationLimit = try field.varint("StoreQueryRequest.pagination_limit")
            default:
                continue
            }
        }
        guard !query.requestID.isEmpty else { throw .missingField("StoreQueryRequest.request_id") }
        self = query
    }

    /// A 32-byte hash field.
    static func hash(_ field: ProtoReader.Field, _ name: String) throws(WakuCodecError) -> WakuMessageHash {
        let raw = try field.bytes(name, limit: 64)
        guard let hash = WakuMessageHash(bytes: raw) else {
            throw .invalidValue(field: name, reason: "\(raw.count) bytes, not 32")
        }
        return hash
    }
}
