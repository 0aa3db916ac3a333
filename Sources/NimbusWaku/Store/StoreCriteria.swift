/// What a store query selects (13/WAKU2-STORE v3): either messages matching a content filter (pubsub topic,
/// content topics, inclusive time range) or messages by hash.
public struct StoreCriteria: Hashable, Sendable {
    /// The pubsub topic; nil for any.
    public var pubsubTopic: String?
    /// The content topics; empty for any.
    public var contentTopics: Set<String>
    /// Inclusive lower time bound (ns since the Unix epoch).
    public var timeStart: Int64?
    /// Inclusive upper time bound (ns since the Unix epoch).
    public var timeEnd: Int64?
    /// Hashes of a hash query; when set, the content filter is empty.
    public var messageHashes: Set<WakuMessageHash>

    /// Criteria from their parts.
    public init(
        pubsubTopic: String? = nil, contentTopics: Set<String> = [], timeStart: Int64? = nil, timeEnd: Int64? = nil,
        messageHashes: Set<WakuMessageHash> = []
    ) {
        self.pubsubTopic = pubsubTopic
        self.contentTopics = contentTopics
        self.timeStart = timeStart
        self.timeEnd = timeEnd
        self.messageHashes = messageHashes
    }

    /// Whether an archived message is selected.
    public func matches(_ entry: ArchivedMessage) -> Bool {
        if !messageHashes.isEmpty { return messageHashes.contains(entry.hash) }
        if let pubsubTopic, entry.pubsubTopic != pubsubTopic { return false }
        if !contentTopics.isEmpty && !contentTopics.contains(entry.message.contentTopic) { return false }
        if let timeStart, entry.time < timeStart { return false }
        if let timeEnd, entry.time > timeEnd { return false }
        return true
    }
}
