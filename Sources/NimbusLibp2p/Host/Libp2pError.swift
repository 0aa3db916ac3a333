import NimbusMultiformats

/// Errors of the host and stream API.
public enum Libp2pError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The address cannot be dialed or listened on over TCP.
    case unsupportedAddress(String)
    /// No open connection to the peer.
    case notConnected(PeerID)
    /// The connection closed; the reason as logged.
    case connectionClosed(String)
    /// A deadline passed.
    case timeout(String)
    /// Protocol negotiation on a stream failed.
    case negotiationFailed(MultistreamError)
    /// The stream was reset by either side.
    case streamReset
    /// The stream is closed for this operation.
    case streamClosed
    /// The stream ended before a whole message.
    case unexpectedEndOfStream
    /// A length-prefixed message above the caller's limit.
    case messageTooLarge(length: UInt64, limit: Int)
    /// The muxer refused a stream operation.
    case muxer(MuxerStreamError)
    /// A message from the peer does not decode.
    case malformedMessage(String)
    /// A ping answer differs from the request.
    case pingMismatch
    /// The host is shut down.
    case shutdown

    /// A reason for logs and errors.
    public var description: String {
        switch self {
        case .unsupportedAddress(let address): "unsupported address \(address)"
        case .notConnected(let peer): "not connected to \(peer)"
        case .connectionClosed(let reason): "connection closed: \(reason)"
        case .timeout(let what): "timed out: \(what)"
        case .negotiationFailed(let error): "\(error)"
        case .streamReset: "stream reset"
        case .streamClosed: "stream closed"
        case .unexpectedEndOfStream: "stream ended mid-message"
        case .messageTooLarge(let length, let limit): "message of \(length) bytes above limit \(limit)"
        case .muxer(let error): "\(error)"
        case .malformedMessage(let reason): "malformed message: \(reason)"
        case .pingMismatch: "ping answer does not match"
        case .shutdown: "host shut down"
        }
    }
}
