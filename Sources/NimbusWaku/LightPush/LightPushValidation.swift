/// The checks a lightpush service node makes before relaying (19/WAKU2-LIGHTPUSH v3 status codes): a message within
/// the size limit, a pubsub topic given or derived by autosharding, and one that the node serves.
public struct LightPushValidation: Sendable {
    /// The sharding the node derives pubsub topics with.
    public let sharding: AutoSharding
    /// The pubsub topics the node relays on.
    public let servedTopics: Set<String>

    /// Checks for a node serving `servedTopics`.
    public init(sharding: AutoSharding, servedTopics: Set<String>) {
        self.sharding = sharding
        self.servedTopics = servedTopics
    }

    /// The pubsub topic to relay a request's message on, or the error response to send.
    public func pubsubTopic(for request: LightPushRequest) -> Result<String, LightPushRejection> {
        let size = request.message.encoded().count
        guard size <= WakuMessage.maxEncodedSize else {
            return .failure(LightPushRejection(status: .payloadTooLarge, description: "message of \(size) bytes"))
        }
        let topic: String
        if let given = request.pubsubTopic {
            topic = given
        } else {
            do {
                topic = try sharding.shard(forContentTopic: request.message.contentTopic).pubsubTopic
            } catch {
                return .failure(LightPushRejection(status: .badRequest, description: error.description))
            }
        }
        guard servedTopics.contains(topic) else {
            return .failure(LightPushRejection(status: .unsupportedPubsubTopic, description: "not serving \(topic)"))
        }
        return .success(topic)
    }

    /// The status for a request that could not be decoded: 413 for a message over the size limit, else 400.
    public static func status(forDecodingError error: WakuCodecError) -> LightPushStatus {
        if case .tooLarge = error { return .payloadTooLarge }
        return .badRequest
    }
}

/// A lightpush request refused before relaying.
public struct LightPushRejection: Error, Hashable, Sendable {
    /// The status to answer with.
    public let status: LightPushStatus
    /// Why, for the response's description.
    public let description: String
}
