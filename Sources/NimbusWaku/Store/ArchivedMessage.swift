/// A message as a store node keeps it: the message, the pubsub topic it came on, its deterministic hash, and
/// the time it was stored.
public struct ArchivedMessage: Hashable, Sendable {
    /// The deterministic hash (14/WAKU2-MESSAGE), the message's key.
    public let hash: WakuMessageHash
    /// The pubsub topic the message arrived on.
    public let pubsubTopic: String
    /// The message.
    public let message: WakuMessage
    /// Nanoseconds since the Unix epoch at which the node stored it.
    public let receivedAt: Int64

    /// An archived message; the hash is computed.
    public init(pubsubTopic: String, message: WakuMessage, receivedAt: Int64) {
        hash = WakuMessageHash(pubsubTopic: pubsubTopic, message: message)
        self.pubsubTopic = pubsubTopic
        self.message = message
        self.receivedAt = receivedAt
    }

    /// The time queries filter and order by: the sender's timestamp, or the arrival time when it has none (as
    /// nwaku does).
    public var time: Int64 {
        if let timestamp = message.timestamp, timestamp > 0 { return timestamp }
        return receivedAt
    }

    /// The total order of a store: time, then hash.
    public var sortKey: StoreSortKey { StoreSortKey(time: time, hash: hash) }
}

/// The order of messages in a store: by time, ties broken by hash, so that pagination is total and stable.
public struct StoreSortKey: Hashable, Sendable, Comparable {
    /// The message time (ns).
    public let time: Int64
    /// The message hash.
    public let hash: WakuMessageHash

    /// A key from its parts.
    public init(time: Int64, hash: WakuMessageHash) {
        self.time = time
        self.hash = hash
    }

    /// Time first, then hash bytes.
    public static func < (lhs: StoreSortKey, rhs: StoreSortKey) -> Bool {
        lhs.time != rhs.time ? lhs.time < rhs.time : lhs.hash < rhs.hash
    }
}
