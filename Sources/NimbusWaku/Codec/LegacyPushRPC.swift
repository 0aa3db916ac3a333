/// The 19/WAKU2-LIGHTPUSH v2 (`/vac/waku/lightpush/2.0.0-beta1`) envelope, used only as a fallback for service
/// nodes without v3: one `PushRPC` carries either a request or a response.
public struct LegacyPushRPC: Hashable, Sendable {
    /// A message, its envelope and the 64 KiB margin nwaku allows.
    public static let maxEncodedSize = WakuMessage.maxEncodedSize + CodecLimits.envelopeOverhead

    /// A v2 request: the pubsub topic is required in v2.
    public struct Request: Hashable, Sendable {
        /// The pubsub topic to relay on.
        public var pubsubTopic: String
        /// The message.
        public var message: WakuMessage

        /// A request from its fields.
        public init(pubsubTopic: String, message: WakuMessage) {
            self.pubsubTopic = pubsubTopic
            self.message = message
        }
    }

    /// A v2 response.
    public struct Response: Hashable, Sendable {
        /// Whether the message was relayed.
        public var isSuccess: Bool
        /// A reason, usually on failure.
        public var info: String?

        /// A response from its fields.
        public init(isSuccess: Bool, info: String?) {
            self.isSuccess = isSuccess
            self.info = info
        }
    }

    /// The request id.
    public var requestID: String
    /// The request, in a client's message.
    public var request: Request?
    /// The response, in a service node's message.
    public var response: Response?

    /// An envelope from its fields.
    public init(requestID: String, request: Request? = nil, response: Response? = nil) {
        self.requestID = requestID
        self.request = request
        self.response = response
    }

    /// The encoding (`PushRPC`: request_id 1, request 2, response 3).
    public func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.string(1, requestID)
        if let request {
            var inner = ProtoWriter()
            inner.string(1, request.pubsubTopic)
            inner.bytes(2, request.message.encoded())
            writer.bytes(2, inner.bytes)
        }
        if let response {
            var inner = ProtoWriter()
            inner.bool(1, response.isSuccess)
            if let info = response.info { inner.string(2, info) }
            writer.bytes(3, inner.bytes)
        }
        return writer.bytes
    }

    /// Decodes an envelope; `request_id` is required, and so are the request's topic and message and the
    /// response's `is_success` when those parts are present.
    public init<Bytes: Collection<UInt8>>(decoding bytes: Bytes) throws(WakuCodecError) {
        let slice = ArraySlice(bytes)
        guard slice.count <= Self.maxEncodedSize else {
            throw .tooLarge(what: "PushRPC", size: slice.count, limit: Self.maxEncodedSize)
        }
        var reader = ProtoReader(slice, context: "PushRPC")
        var seen = SeenFields()
        var requestID = ""
        var request: Request?
        var response: Response?
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "PushRPC.request_id")
                requestID = try field.string("PushRPC.request_id", limit: CodecLimits.requestID)
            case 2:
                try seen.once(2, "PushRPC.request")
                request = try Self.decodeRequest(field.bytes("PushRPC.request"))
            case 3:
                try seen.once(3, "PushRPC.response")
                response = try Self.decodeResponse(field.bytes("PushRPC.response"))
            default:
                continue
            }
        }
        guard !requestID.isEmpty else { throw .missingField("PushRPC.request_id") }
        self.init(requestID: requestID, request: request, response: response)
    }

    private static func decodeRequest(_ bytes: ArraySlice<UInt8>) throws(WakuCodecError) -> Request {
        var reader = ProtoReader(bytes, context: "PushRequest")
        var seen = SeenFields()
        var topic = ""
        var message: WakuMessage?
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "PushRequest.pubsub_topic")
                topic = try field.string("PushRequest.pubsub_topic", limit: CodecLimits.pubsubTopic)
            case 2:
                try seen.once(2, "PushRequest.message")
                message = try WakuMessage(decoding: field.bytes("PushRequest.message"))
            default:
                continue
            }
        }
        guard !topic.isEmpty else { throw .missingField("PushRequest.pubsub_topic") }
        guard let message else { throw .missingField("PushRequest.message") }
        return Request(pubsubTopic: topic, message: message)
    }

    private static func decodeResponse(_ bytes: ArraySlice<UInt8>) throws(WakuCodecError) -> Response {
        var reader = ProtoReader(bytes, context: "PushResponse")
        var seen = SeenFields()
        var isSuccess = false
        var info: String?
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "PushResponse.is_success")
                isSuccess = try field.bool("PushResponse.is_success")
            case 2:
                try seen.once(2, "PushResponse.info")
                info = try field.string("PushResponse.info", limit: CodecLimits.statusDescription)
            default:
                continue
            }
        }
        return Response(isSuccess: isSuccess, info: info)
    }
}
