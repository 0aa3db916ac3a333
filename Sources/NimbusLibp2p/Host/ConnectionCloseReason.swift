/// Why a connection closed: the one reason logged for it.
enum ConnectionCloseReason: Sendable, CustomStringConvertible {
    /// The upgrade (security negotiation, Noise, muxer negotiation) failed.
    case upgrade(UpgradeFailure)
    /// The upgrade did not finish in time (a stalled peer).
    case handshakeTimeout
    /// The Noise transport failed after the handshake (bad frame, failed authentication).
    case transport(NoiseError)
    /// The muxer reported a protocol violation or a broken limit.
    case muxer(MuxerError)
    /// The peer closed the TCP connection, possibly in the middle of a message.
    case remoteClosed(midMessage: Bool, upgraded: Bool)
    /// The host has no room for another connection.
    case connectionLimit
    /// The peer sent go-away and has no streams left.
    case goAway
    /// Closed locally (disconnect or shutdown).
    case local
    /// A socket error.
    case channelError(String)
    /// The local side failed to build the handshake.
    case internalError(String)

    /// Whether the peer is at fault; those closes are logged at notice level.
    var isPeerFault: Bool {
        switch self {
        case .upgrade, .handshakeTimeout, .transport, .muxer, .connectionLimit: true
        case .remoteClosed(let midMessage, let upgraded): midMessage || !upgraded
        case .goAway, .local, .channelError, .internalError: false
        }
    }

    var description: String {
        switch self {
        case .upgrade(let failure): "\(failure)"
        case .handshakeTimeout: "handshake timed out"
        case .transport(let error): "\(error)"
        case .muxer(let error): "\(error)"
        case .remoteClosed(let midMessage, let upgraded):
            !upgraded
                ? "peer disconnected during the handshake"
                : midMessage ? "peer disconnected mid-message" : "peer closed the connection"
        case .connectionLimit: "connection limit reached"
        case .goAway: "peer went away"
        case .local: "closed locally"
        case .channelError(let error): "socket error: \(error)"
        case .internalError(let error): "internal error: \(error)"
        }
    }
}
