/// One filter criterion: a content topic on a pubsub topic (12/WAKU2-FILTER "filter criteria").
public struct FilterCriterion: Hashable, Sendable, Comparable {
    /// The pubsub topic.
    public let pubsubTopic: String
    /// The content topic.
    public let contentTopic: String

    /// A criterion from its topics.
    public init(pubsubTopic: String, contentTopic: String) {
        self.pubsubTopic = pubsubTopic
        self.contentTopic = contentTopic
    }

    /// Order by pubsub topic, then content topic.
    public static func < (lhs: FilterCriterion, rhs: FilterCriterion) -> Bool {
        (lhs.pubsubTopic, lhs.contentTopic) < (rhs.pubsubTopic, rhs.contentTopic)
    }
}
