/// A 19/WAKU2-LIGHTPUSH v3 response.
public struct LightPushResponse: Hashable, Sendable {
    /// Responses carry no message; 64 KiB is ample.
    public static let maxEncodedSize = CodecLimits.envelopeOverhead

    /// The request id of the request answered.
    public var requestID: String
    /// The outcome.
    public var status: LightPushStatus
    /// A description of the outcome, for logs.
    public var statusDescription: String?
    /// How many relay peers the service node sent the message to.
    public var relayPeerCount: UInt32?

    /// A response from its fields.
    public init(
        requestID: String, status: LightPushStatus, statusDescription: String? = nil, relayPeerCount: UInt32? = nil
    ) {
        self.requestID = requestID
        self.status = status
        self.statusDescription = statusDescription
        self.relayPeerCount = relayPeerCount
    }

    /// The encoding (`LightpushResponse`: request_id 1, status_code 10, status_desc 11, relay_peer_count 12).
    public func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.string(1, requestID)
        writer.varint(10, UInt64(status.code))
        if let statusDescription { writer.string(11, statusDescription) }
        if let relayPeerCount { writer.varint(12, UInt64(relayPeerCount)) }
        return writer.bytes
    }

    /// Decodes a response; `request_id` and `status_code` are required.
    public init<Bytes: Collection<UInt8>>(decoding bytes: Bytes) throws(WakuCodecError) {
        let slice = ArraySlice(bytes)
        guard slice.count <= Self.maxEncodedSize else {
            throw .tooLarge(what: "LightpushResponse", size: slice.count, limit: Self.maxEncodedSize)
        }
        var reader = ProtoReader(slice, context: "LightpushResponse")
        var seen = SeenFields()
        var requestID = ""
        var status: LightPushStatus?
        var description: String?
        var relayPeerCount: UInt32?
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "LightpushResponse.request_id")
                requestID = try field.string("LightpushResponse.request_id", limit: CodecLimits.requestID)
            case 10:
                try seen.once(10, "LightpushResponse.status_code")
                status = LightPushStatus(code: try field.uint32("LightpushResponse.status_code"))
            case 11:
                try seen.once(11, "LightpushResponse.status_desc")
                description = try field.string(
                    "LightpushResponse.status_desc", limit: CodecLimits.statusDescription)
            case 12:
                try seen.once(12, "LightpushResponse.relay_peer_count")
                relayPeerCount = try field.uint32("LightpushResponse.relay_peer_count")
            default:
                continue
            }
        }
        guard !requestID.isEmpty else { throw .missingField("LightpushResponse.request_id") }
        guard let status else { throw .missingField("LightpushResponse.status_code") }
        self.init(
            requestID: requestID, status: status, statusDescription: description, relayPeerCount: relayPeerCount)
    }
}
