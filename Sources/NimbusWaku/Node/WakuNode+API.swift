import Foundation
import Logging

extension WakuNode {
    /// Publishes `payload` on `contentTopic`: the pubsub topic comes from autosharding; a client pushes it through
    /// a lightpush service peer (v3, else v2), a service node relays it itself (and stores it and pushes it to
    /// its filter subscribers).
    ///
    /// The content topic and the payload are visible to relays: derive topics from session secrets, encrypt and
    /// pad payloads (docs/waku.md).
    /// `version` is the WakuMessage's payload version (2 for 35/WAKU2-NOISE payloads, 0 otherwise).
    public func publish(contentTopic: String, payload: [UInt8], version: UInt32 = 0) async throws {
        guard running else { throw WakuNodeError.notRunning }
        let topic = try pubsubTopic(for: contentTopic)
        let message = WakuMessage(
            payload: payload, contentTopic: contentTopic, version: version, timestamp: wallClockNanoseconds())
        let size = message.encoded().count
        guard size <= WakuMessage.maxEncodedSize else { throw WakuNodeError.messageTooLarge(size: size) }
        switch configuration.mode {
        case .client:
            try await lightPush(message, pubsubTopic: topic)
        case .service:
            do {
                let result = try relay.publish(topic: topic, data: message.encoded(), now: now())
                perform(result.actions)
            } catch {
                switch error {
                case .duplicate: throw WakuNodeError.duplicateMessage
                case .invalidMessage(let reason): throw WakuNodeError.publishFailed(reason)
                }
            }
        }
    }

    /// Messages on `contentTopics` from now on, until the stream is dropped. A client subscribes through filter
    /// service peers (kept alive and renewed after reconnects); a service node takes them from relay. Each message
    /// is delivered once even if several service peers push it. Content topics that are not in the autosharding
    /// format end the stream at once (and are logged).
    public func subscribe(contentTopics: [String]) -> AsyncStream<WakuMessage> {
        let (stream, continuation) = AsyncStream<WakuMessage>.makeStream(bufferingPolicy: .bufferingNewest(1024))
        var byShard: [String: [String]] = [:]
        for contentTopic in contentTopics {
            guard let topic = try? pubsubTopic(for: contentTopic) else {
                logger.error("subscription refused: invalid content topic", metadata: ["topic": "\(contentTopic)"])
                continuation.finish()
                return stream
            }
            byShard[topic, default: []].append(contentTopic)
        }
        let id = nextSubscriberID
        nextSubscriberID += 1
        subscribers[id] = LocalSubscriber(contentTopics: Set(contentTopics), continuation: continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeSubscriber(id) }
        }
        if configuration.mode == .client {
            for (topic, topics) in byShard.sorted(by: { $0.key < $1.key }) {
                performFilter(filterClient.subscribe(pubsubTopic: topic, contentTopics: topics, now: now()))
            }
        }
        return stream
    }

    /// Waits until every topic of `contentTopics` is subscribed on a filter service peer (client mode), at most
    /// `limit`; true when they are. A service node takes messages from relay: true at once.
    public func subscriptionsInPlace(_ contentTopics: [String], within limit: Duration) async -> Bool {
        let deadline = ContinuousClock.now + limit
        while true {
            guard configuration.mode == .client else { return true }
            let live = Set(health().subscriptions.filter { !$0.servicePeers.isEmpty }.map(\.contentTopic))
            if contentTopics.allSatisfy(live.contains) { return true }
            guard ContinuousClock.now < deadline else { return false }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// Stored messages on `contentTopics` within `timeRange` (all stored, if nil), oldest first, without
    /// duplicates and checked against their hashes: from the local store in service mode, from store peers in
    /// client mode (13/WAKU2-STORE v3, paged).
    public func history(contentTopics: [String], timeRange: ClosedRange<Date>?) async throws -> [WakuMessage] {
        guard running else { throw WakuNodeError.notRunning }
        var byShard: [String: [String]] = [:]
        for contentTopic in contentTopics {
            byShard[try pubsubTopic(for: contentTopic), default: []].append(contentTopic)
        }
        let start = timeRange.map { Int64($0.lowerBound.timeIntervalSince1970 * 1_000_000_000) }
        let end = timeRange.map { Int64($0.upperBound.timeIntervalSince1970 * 1_000_000_000) }
        var results: [StoreHistoryPager.Result] = []
        for (topic, topics) in byShard.sorted(by: { $0.key < $1.key }) {
            for chunk in stride(from: 0, to: topics.count, by: StoreQueryRequest.maxContentTopics) {
                let part = topics[chunk..<min(chunk + StoreQueryRequest.maxContentTopics, topics.count)]
                let criteria = StoreCriteria(
                    pubsubTopic: topic, contentTopics: Set(part), timeStart: start, timeEnd: end)
                results += try await queryHistory(criteria)
            }
        }
        return results.sorted { ($0.message.timestamp ?? 0, $0.hash) < ($1.message.timestamp ?? 0, $1.hash) }
            .map(\.message)
    }

    func removeSubscriber(_ id: Int) {
        guard let removed = subscribers.removeValue(forKey: id) else { return }
        guard configuration.mode == .client else { return }
        let stillWanted = subscribers.values.reduce(into: Set<String>()) { $0.formUnion($1.contentTopics) }
        for contentTopic in removed.contentTopics.subtracting(stillWanted) {
            guard let topic = try? pubsubTopic(for: contentTopic) else { continue }
            performFilter(filterClient.unsubscribe(pubsubTopic: topic, contentTopics: [contentTopic], now: now()))
        }
    }

    func pubsubTopic(for contentTopic: String) throws -> String {
        do {
            return try configuration.sharding.shard(forContentTopic: contentTopic).pubsubTopic
        } catch {
            throw WakuNodeError.invalidContentTopic(contentTopic, error)
        }
    }
}
