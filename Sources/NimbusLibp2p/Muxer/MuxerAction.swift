/// What a stream multiplexer state machine asks its driver to do.
public enum MuxerAction: Equatable, Sendable {
    /// Write these bytes to the (secured) connection.
    case send([UInt8])
    /// The peer opened a stream.
    case streamOpened(MuxedStreamID)
    /// Data for a stream, in order.
    case data(MuxedStreamID, [UInt8])
    /// The peer will send no more on this stream (half-close).
    case remoteClosed(MuxedStreamID)
    /// The peer reset the stream; it is gone.
    case streamReset(MuxedStreamID)
    /// Both directions closed; the stream is gone and no longer counts against the limit.
    case streamFinished(MuxedStreamID)
    /// Data queued for this stream has all been sent (yamux flow control let it through).
    case writable(MuxedStreamID)
    /// The answer to one of our pings, with its opaque value.
    case pong(UInt32)
    /// The peer will open no more streams and accepts none (yamux go-away with its error code).
    case goAway(UInt32)
    /// The peer broke the protocol; the connection must close.
    case failed(MuxerError)
}

/// A connection-level muxer failure: the peer broke the protocol or a limit.
public enum MuxerError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A frame that does not parse.
    case malformedFrame(String)
    /// A frame above the size limit.
    case frameTooLarge(length: UInt64, limit: UInt64)
    /// The peer opened more streams than allowed.
    case tooManyStreams(limit: Int)
    /// A stream opened twice or with the wrong number.
    case invalidStreamID(UInt64)
    /// More data than the receive window allows (yamux).
    case windowExceeded(UInt64)
    /// The peer sent more than the per-stream buffer allows (mplex has no flow control).
    case bufferOverflow(MuxedStreamID)

    /// A reason for logs.
    public var description: String {
        switch self {
        case .malformedFrame(let reason): "muxer: malformed frame: \(reason)"
        case .frameTooLarge(let length, let limit): "muxer: frame of \(length) bytes above limit \(limit)"
        case .tooManyStreams(let limit): "muxer: too many streams (limit \(limit))"
        case .invalidStreamID(let number): "muxer: invalid stream id \(number)"
        case .windowExceeded(let number): "muxer: stream \(number) exceeded its receive window"
        case .bufferOverflow(let stream): "muxer: stream \(stream) exceeded its receive buffer"
        }
    }
}

/// Why a stream operation requested locally cannot proceed.
public enum MuxerStreamError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The stream is not open (reset, finished, or never existed).
    case unknownStream(MuxedStreamID)
    /// This side already closed its write direction.
    case writeClosed(MuxedStreamID)
    /// The stream limit is reached.
    case tooManyStreams(limit: Int)
    /// The session is going away (yamux go-away sent or received).
    case goingAway

    /// A reason for logs and errors.
    public var description: String {
        switch self {
        case .unknownStream(let stream): "stream \(stream) is not open"
        case .writeClosed(let stream): "stream \(stream) is closed for writing"
        case .tooManyStreams(let limit): "stream limit \(limit) reached"
        case .goingAway: "connection is going away"
        }
    }
}
