/// The service side of 12/WAKU2-FILTER v2 as a pure state machine: which clients want which (pubsub topic,
/// content topic) pairs, refreshed by their requests and pings, expired when they fall silent.
///
/// Limits follow nwaku: 100 content topics per request, 1000 criteria per client, 100 clients, and a subscription
/// lives 5 minutes after the client's last subscribe or ping.
public struct FilterSubscriptionRegistry: Sendable {
    /// The limits.
    public struct Limits: Hashable, Sendable {
        /// Clients served at once.
        public var maxPeers = 100
        /// Criteria per client.
        public var maxCriteriaPerPeer = 1000
        /// Silence after which a client's subscriptions are dropped.
        public var subscriptionTimeToLive: Duration = .seconds(300)

        /// nwaku's limits.
        public init() {}
    }

    private struct Subscriber: Sendable {
        var criteria: Set<FilterCriterion>
        var lastSeen: Duration
    }

    /// The limits.
    public let limits: Limits
    private var subscribers: [WakuPeerID: Subscriber] = [:]

    /// An empty registry.
    public init(limits: Limits = Limits()) {
        self.limits = limits
    }

    /// The clients with at least one subscription.
    public var peers: [WakuPeerID] { subscribers.keys.sorted() }

    /// A client's criteria.
    public func criteria(of peer: WakuPeerID) -> Set<FilterCriterion> { subscribers[peer]?.criteria ?? [] }

    /// Handles a request from `peer` and returns the response to send.
    public mutating func handle(_ request: FilterSubscribeRequest, from peer: WakuPeerID, now: Duration)
        -> FilterSubscribeResponse
    {
        func reply(_ code: UInt32, _ description: String) -> FilterSubscribeResponse {
            FilterSubscribeResponse(requestID: request.requestID, statusCode: code, statusDescription: description)
        }
        switch request.kind {
        case .subscriberPing:
            guard subscribers[peer] != nil else { return reply(404, "peer has no subscriptions") }
            subscribers[peer]?.lastSeen = now
            return reply(200, "OK")
        case .subscribe:
            guard let pubsubTopic = request.pubsubTopic, !pubsubTopic.isEmpty else {
                return reply(400, "pubsub topic is required")
            }
            guard !request.contentTopics.isEmpty else { return reply(400, "at least one content topic is required") }
            guard request.contentTopics.count <= FilterSubscribeRequest.maxContentTopics else {
                return reply(400, "more than \(FilterSubscribeRequest.maxContentTopics) content topics")
            }
            let added = Set(request.contentTopics.map { FilterCriterion(pubsubTopic: pubsubTopic, contentTopic: $0) })
            var subscriber = subscribers[peer] ?? Subscriber(criteria: [], lastSeen: now)
            if subscribers[peer] == nil && subscribers.count >= limits.maxPeers {
                return reply(503, "node has reached maximum number of subscriptions")
            }
            let merged = subscriber.criteria.union(added)
            guard merged.count <= limits.maxCriteriaPerPeer else {
                return reply(503, "peer has reached maximum number of filter criteria")
            }
            subscriber.criteria = merged
            subscriber.lastSeen = now
            subscribers[peer] = subscriber
            return reply(200, "OK")
        case .unsubscribe:
            guard let pubsubTopic = request.pubsubTopic, !pubsubTopic.isEmpty else {
                return reply(400, "pubsub topic is required")
            }
            guard !request.contentTopics.isEmpty else { return reply(400, "at least one content topic is required") }
            guard var subscriber = subscribers[peer] else { return reply(404, "peer has no subscriptions") }
            let removed = Set(request.contentTopics.map { FilterCriterion(pubsubTopic: pubsubTopic, contentTopic: $0) })
            guard !subscriber.criteria.isDisjoint(with: removed) else {
                return reply(404, "peer has no subscriptions for these criteria")
            }
            subscriber.criteria.subtract(removed)
            subscriber.lastSeen = now
            subscribers[peer] = subscriber.criteria.isEmpty ? nil : subscriber
            return reply(200, "OK")
        case .unsubscribeAll:
            guard subscribers.removeValue(forKey: peer) != nil else { return reply(404, "peer has no subscriptions") }
            return reply(200, "OK")
        }
    }

    /// The clients to push a message to: those subscribed to its content topic on its pubsub topic.
    public func subscribers(pubsubTopic: String, contentTopic: String) -> [WakuPeerID] {
        let criterion = FilterCriterion(pubsubTopic: pubsubTopic, contentTopic: contentTopic)
        return subscribers.filter { $0.value.criteria.contains(criterion) }.map(\.key).sorted()
    }

    /// Drops clients silent for longer than the time-to-live; returns them.
    @discardableResult
    public mutating func expire(now: Duration) -> [WakuPeerID] {
        let expired = subscribers.filter { $0.value.lastSeen + limits.subscriptionTimeToLive <= now }.map(\.key)
        for peer in expired { subscribers[peer] = nil }
        return expired.sorted()
    }

    /// Drops a client at once (e.g. when pushes to it fail).
    public mutating func remove(_ peer: WakuPeerID) {
        subscribers[peer] = nil
    }
}
