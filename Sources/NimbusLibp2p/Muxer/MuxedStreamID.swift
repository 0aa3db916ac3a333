/// A stream of a multiplexed connection: the muxer's stream number and which side opened it (mplex numbers the
/// two sides' streams independently, yamux by parity; both fit this key).
public struct MuxedStreamID: Hashable, Sendable, CustomStringConvertible {
    /// The stream number on the wire.
    public let number: UInt64
    /// Whether this side opened the stream.
    public let isLocal: Bool

    /// A stream key.
    public init(number: UInt64, isLocal: Bool) {
        self.number = number
        self.isLocal = isLocal
    }

    /// "<number>L" for local streams, "<number>R" for remote ones.
    public var description: String { "\(number)\(isLocal ? "L" : "R")" }
}
