import NimbusIPC

/// Why a request over a link did not get an answer. Operational, not a protocol violation: the caller reports it
/// and carries on (the supervisor restarts whatever died).
public enum LinkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The link is closed: the peer exited or is restarting.
    case closed(peer: Role)
    /// No reply within the deadline.
    case timedOut(peer: Role, request: MessageType, seconds: Double)
    /// Too many requests are already waiting on this link.
    case busy(peer: Role)
    /// The link is not ready for this request yet (this role is still starting).
    case notReady(peer: Role)
    /// The peer answered with a typed failure.
    case failed(peer: Role, Failure)
    /// The peer answered with a reply type the caller did not expect (a bug in this process's caller).
    case unexpectedReply(peer: Role, MessageType)

    public var description: String {
        switch self {
        case let .closed(peer): "the \(peer) role is not reachable (it may be restarting)"
        case let .timedOut(peer, request, seconds): "the \(peer) role did not answer \(request) within \(seconds) s"
        case let .busy(peer): "too many requests are waiting for the \(peer) role"
        case let .notReady(peer): "the link to the \(peer) role is still starting; try again in a moment"
        case let .failed(peer, failure): "the \(peer) role could not answer: \(failure.message)"
        case let .unexpectedReply(peer, type): "the \(peer) role answered with an unexpected \(type)"
        }
    }
}
