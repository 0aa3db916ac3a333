/// The operations the connection driver needs from a stream multiplexer state machine (mplex or yamux). Every
/// method is pure: it returns the actions to carry out.
public protocol StreamMuxerSession: Sendable {
    /// Feeds plaintext bytes from the connection, in any split.
    mutating func receive(_ bytes: [UInt8]) -> [MuxerAction]
    /// Opens a stream.
    mutating func openStream() throws(MuxerStreamError) -> (MuxedStreamID, [MuxerAction])
    /// Queues data on a stream; sent now or, under flow control, as the window opens.
    mutating func write(_ stream: MuxedStreamID, _ bytes: [UInt8]) throws(MuxerStreamError) -> [MuxerAction]
    /// Closes this side's write direction (after any queued data).
    mutating func closeWrite(_ stream: MuxedStreamID) throws(MuxerStreamError) -> [MuxerAction]
    /// Resets a stream in both directions.
    mutating func reset(_ stream: MuxedStreamID) -> [MuxerAction]
    /// Reports that the application consumed `count` bytes of a stream's data (opens the yamux window).
    mutating func consumed(_ stream: MuxedStreamID, count: Int) -> [MuxerAction]
    /// A ping request with an opaque value, if the muxer has pings (yamux); the answer is `MuxerAction.pong`.
    func ping(_ opaque: UInt32) -> [MuxerAction]
    /// Announces that this side opens and accepts no more streams, if the muxer can say so (yamux go-away).
    mutating func goAway() -> [MuxerAction]
    /// The bytes queued on a stream and not yet sent.
    func pendingCount(_ stream: MuxedStreamID) -> Int
    /// The number of open streams.
    var streamCount: Int { get }
    /// Bytes of an incomplete frame waiting for the rest.
    var bufferedCount: Int { get }
}
