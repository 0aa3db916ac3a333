/// Bounds on the small string fields of the Waku request-response protocols. The RFCs set none; these are far
/// above anything a correct peer sends (request ids are UUIDs or 32-byte hex) and keep a hostile one from
/// making a node hold large strings.
enum CodecLimits {
    /// A request id.
    static let requestID = 256
    /// A pubsub topic.
    static let pubsubTopic = 1024
    /// A content topic (the same bound as `WakuMessage.maxContentTopicSize`).
    static let contentTopic = WakuMessage.maxContentTopicSize
    /// A human-readable status description.
    static let statusDescription = 4096
    /// Room for a request's or response's fields around one `WakuMessage` (nwaku's 64 KiB safety buffer).
    static let envelopeOverhead = 64 * 1024
}
