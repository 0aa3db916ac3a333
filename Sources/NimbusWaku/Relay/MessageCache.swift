/// The gossipsub message cache (`mcache`, gossipsub v1.0 "Message Cache"): the messages of the last
/// `historyLength` heartbeats, served to IWANT requests, of which the ids of the last `gossipLength` heartbeats are
/// advertised in IHAVE gossip.
public struct MessageCache: Sendable {
    /// One cached message.
    public struct Entry: Hashable, Sendable {
        /// The pubsub topic.
        public let topic: String
        /// The message bytes (a `WakuMessage`).
        public let data: [UInt8]
    }

    /// Heartbeats a message stays retrievable (gossipsub `mcache_len`, 6).
    public let historyLength: Int
    /// Heartbeats a message is advertised (gossipsub `mcache_gossip`, 3).
    public let gossipLength: Int
    private var windows: [[(id: [UInt8], topic: String)]]
    private var entries: [[UInt8]: Entry] = [:]

    /// An empty cache.
    public init(historyLength: Int, gossipLength: Int) {
        precondition(gossipLength >= 1 && gossipLength <= historyLength)
        self.historyLength = historyLength
        self.gossipLength = gossipLength
        windows = [[]]
    }

    /// The number of cached messages.
    public var count: Int { entries.count }

    /// Caches a message in the current window.
    public mutating func put(id: [UInt8], topic: String, data: [UInt8]) {
        guard entries[id] == nil else { return }
        entries[id] = Entry(topic: topic, data: data)
        windows[0].append((id, topic))
    }

    /// A cached message.
    public func get(_ id: [UInt8]) -> Entry? { entries[id] }

    /// The ids to advertise for `topic`: those of the last `gossipLength` windows.
    public func gossipIDs(topic: String) -> [[UInt8]] {
        windows.prefix(gossipLength).flatMap { window in window.filter { $0.topic == topic }.map(\.id) }
    }

    /// Starts a new window at a heartbeat, dropping the oldest beyond `historyLength`.
    public mutating func shift() {
        windows.insert([], at: 0)
        if windows.count > historyLength {
            for entry in windows.removeLast() { entries[entry.id] = nil }
        }
    }
}
