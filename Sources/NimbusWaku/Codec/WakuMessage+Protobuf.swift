extension WakuMessage {
    /// The protobuf encoding (14/WAKU2-MESSAGE, `waku.message.v1.WakuMessage`).
    ///
    /// `payload` and `content_topic` are always written, even when empty: nwaku's decoder treats an absent
    /// `payload` as a missing required field.
    public func encoded() -> [UInt8] {
        var writer = ProtoWriter()
        writer.bytes(1, payload)
        writer.string(2, contentTopic)
        if version != 0 { writer.varint(3, UInt64(version)) }
        if let timestamp { writer.sint64(10, timestamp) }
        if !meta.isEmpty { writer.bytes(11, meta) }
        if ephemeral { writer.bool(31, true) }
        return writer.bytes
    }

    /// Decodes a message strictly: at most `maxEncodedSize` bytes, a non-empty UTF-8 content topic, `meta` of at
    /// most 64 bytes, no repeated singular field.
    public init<Bytes: Collection<UInt8>>(decoding bytes: Bytes) throws(WakuCodecError) {
        let slice = ArraySlice(bytes)
        guard slice.count <= Self.maxEncodedSize else {
            throw .tooLarge(what: "WakuMessage", size: slice.count, limit: Self.maxEncodedSize)
        }
        var reader = ProtoReader(slice, context: "WakuMessage")
        var seen = SeenFields()
        var payload: [UInt8] = []
        var contentTopic = ""
        var version: UInt32 = 0
        var timestamp: Int64?
        var meta: [UInt8] = []
        var ephemeral = false
        while let field = try reader.next() {
            switch field.number {
            case 1:
                try seen.once(1, "WakuMessage.payload")
                payload = Array(try field.bytes("WakuMessage.payload"))
            case 2:
                try seen.once(2, "WakuMessage.content_topic")
                contentTopic = try field.string("WakuMessage.content_topic", limit: Self.maxContentTopicSize)
            case 3:
                try seen.once(3, "WakuMessage.version")
                version = try field.uint32("WakuMessage.version")
            case 10:
                try seen.once(10, "WakuMessage.timestamp")
                timestamp = try field.sint64("WakuMessage.timestamp")
            case 11:
                try seen.once(11, "WakuMessage.meta")
                meta = Array(try field.bytes("WakuMessage.meta", limit: Self.maxMetaSize))
            case 21:
                try seen.once(21, "WakuMessage.rate_limit_proof")
                _ = try field.bytes("WakuMessage.rate_limit_proof")
            case 31:
                try seen.once(31, "WakuMessage.ephemeral")
                ephemeral = try field.bool("WakuMessage.ephemeral")
            default:
                continue
            }
        }
        guard !contentTopic.isEmpty else { throw .missingField("WakuMessage.content_topic") }
        self.init(
            payload: payload, contentTopic: contentTopic, version: version, timestamp: timestamp, meta: meta,
            ephemeral: ephemeral
        )
    }
}
