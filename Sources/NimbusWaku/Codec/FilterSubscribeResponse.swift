/// A 12/WAKU2-FILTER v2 response to a `FilterSubscribeRequest`.
public struct FilterSubscribeResponse: Hashable, Sendable {
    /// Responses are small.
    public static let maxEncodedSize = 64 * 1024

    /// 200: done.
    public static let statusOK: UInt32 = 200
    /// 400: the request was malformed (a missing pubsub topic, no content topics).
    public static let statusBadRequest: UInt32 = 400
    /// 404: the client has no subscription (a ping or unsubscribe for nothing).
    public static let statusNotFound: UInt32 = 404
    /// 429: rate limited.
    public static let statusTooManyRequests: UInt32 = 429
    /// 503: the service node is at capacity.
    public static let statusServiceUnavailable: UInt32 = 503

    /// The request id of the request answered.
    public var requestID: String
    /// The outcome, HTTP-like.
    public var statusCode: UInt32
    /// A description of the outcome.
    public var statusDescription: String?

    /// A response from its fields.
    public init(requestID: String, statusCode: UInt32, statusDescription: String? = nil) {
        self.requestID = requestID
        self.statusCode = statusCode
        self.statusDescription = statusDescription
    }

    /// The encoding (request_id 1, status_code 10, status_desc 11).
    public func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.string(1, requestID)
        writer.varint(10, UInt64(statusCode))
        if let statusDescription { writer.string(11, statusDescription) }
        return writer.bytes
    }

    /// Decodes a response; `request_id` and `status_code` are required.
    public init<Bytes: Collection<UInt8>>(decoding bytes: Bytes) throws(WakuCodecError) {
        let slice = ArraySlice(bytes)
        guard slice.count <= Self.maxEncodedSize else {
            throw .tooLarge(what: "FilterSubscribeResponse", size: slice.count, limit: Self.maxEncodedSize)
        }
        var reader = ProtoReader(slice, context: "FilterSubscribeResponse")
        var seen = SeenFields()
        var requestID = ""
        var statusCode: UInt32?
        var description: String?
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "FilterSubscribeResponse.request_id")
                requestID = try field.string("FilterSubscribeResponse.request_id", limit: CodecLimits.requestID)
            case 10:
                try seen.once(10, "FilterSubscribeResponse.status_code")
                statusCode = try field.uint32("FilterSubscribeResponse.status_code")
            case 11:
                try seen.once(11, "FilterSubscribeResponse.status_desc")
                description = try field.string(
                    "FilterSubscribeResponse.status_desc", limit: CodecLimits.statusDescription)
            default:
                continue
            }
        }
        guard !requestID.isEmpty else { throw .missingField("FilterSubscribeResponse.request_id") }
        guard let statusCode else { throw .missingField("FilterSubscribeResponse.status_code") }
        self.init(requestID: requestID, statusCode: statusCode, statusDescription: description)
    }
}
