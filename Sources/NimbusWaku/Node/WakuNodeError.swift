/// Why a node operation failed, in words a user can act on.
public enum WakuNodeError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The content topic is not in the autosharding format.
    case invalidContentTopic(String, ContentTopicError)
    /// The message would exceed 150 KiB.
    case messageTooLarge(size: Int)
    /// No connected peer serves a needed protocol.
    case noServicePeer(protocolID: String)
    /// Every lightpush peer failed.
    case publishFailed(String)
    /// A service peer refused the message.
    case publishRejected(status: LightPushStatus, description: String?)
    /// The same message was already published.
    case duplicateMessage
    /// A store query failed on every store peer.
    case historyFailed(String)
    /// The node is not running.
    case notRunning

    /// A reason a user can act on.
    public var description: String {
        switch self {
        case .invalidContentTopic(let topic, let error): "content topic '\(topic)' is invalid: \(error)"
        case .messageTooLarge(let size):
            "a Waku message is at most 150 KiB; this one is \(size) bytes: split it into smaller messages"
        case .noServicePeer(let protocolID):
            "no connected Waku peer serves \(protocolID): check the bootstrap addresses and the network"
        case .publishFailed(let reason): "no Waku peer relayed the message: \(reason)"
        case .publishRejected(let status, let description):
            "the Waku service peer refused the message (\(status)): \(description ?? "no reason given")"
        case .duplicateMessage: "this exact message was already published"
        case .historyFailed(let reason): "the Waku store query failed: \(reason)"
        case .notRunning: "the Waku node is not running"
        }
    }
}
