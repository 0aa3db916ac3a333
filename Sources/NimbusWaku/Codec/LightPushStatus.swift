/// The status codes of 19/WAKU2-LIGHTPUSH v3 responses (HTTP-like, as the RFC lists them).
public struct LightPushStatus: Hashable, Sendable, CustomStringConvertible {
    /// The numeric code on the wire.
    public let code: UInt32

    /// A status from its code; codes outside the RFC's list are kept as they are.
    public init(code: UInt32) {
        self.code = code
    }

    /// The message was relayed.
    public static let success = LightPushStatus(code: 200)
    /// The request was malformed.
    public static let badRequest = LightPushStatus(code: 400)
    /// The message exceeds the size limit.
    public static let payloadTooLarge = LightPushStatus(code: 413)
    /// The message failed validation.
    public static let invalidMessage = LightPushStatus(code: 420)
    /// The service node does not serve the pubsub topic.
    public static let unsupportedPubsubTopic = LightPushStatus(code: 421)
    /// The client exceeded the service node's rate limit.
    public static let tooManyRequests = LightPushStatus(code: 429)
    /// The service node failed.
    public static let internalServerError = LightPushStatus(code: 500)
    /// The service node cannot serve lightpush now.
    public static let serviceNotAvailable = LightPushStatus(code: 503)
    /// The service node has no RLN proof to attach.
    public static let outOfRLNProof = LightPushStatus(code: 504)
    /// The service node has no relay peers to relay to.
    public static let noPeersToRelay = LightPushStatus(code: 505)

    /// Whether the code means success.
    public var isSuccess: Bool { code == 200 }

    /// The RFC's name for the code.
    public var description: String {
        switch code {
        case 200: "SUCCESS"
        case 400: "BAD_REQUEST"
        case 413: "PAYLOAD_TOO_LARGE"
        case 420: "INVALID_MESSAGE"
        case 421: "UNSUPPORTED_PUBSUB_TOPIC"
        case 429: "TOO_MANY_REQUESTS"
        case 500: "INTERNAL_SERVER_ERROR"
        case 503: "SERVICE_NOT_AVAILABLE"
        case 504: "OUT_OF_RLN_PROOF"
        case 505: "NO_PEERS_TO_RELAY"
        default: "status \(code)"
        }
    }
}
