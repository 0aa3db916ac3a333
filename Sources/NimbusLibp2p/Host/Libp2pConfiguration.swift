/// Limits and timeouts of a `Libp2pHost`. Every wait on a peer has a deadline and every buffer a bound, so that a
/// bad peer costs one connection, never the host.
public struct Libp2pConfiguration: Sendable {
    /// Muxers in order of preference (dialer proposes in this order; listener accepts any).
    public var muxers: [MuxerKind] = [.yamux, .mplex]
    /// Connections open at once, in both directions, upgrading ones included.
    public var maxConnections = 128
    /// Streams open at once on one connection, both directions together.
    public var maxStreamsPerConnection = 256
    /// TCP connect deadline when dialing.
    public var connectTimeout: Duration = .seconds(10)
    /// Deadline for the whole upgrade: security negotiation, Noise handshake and muxer negotiation.
    public var handshakeTimeout: Duration = .seconds(10)
    /// Deadline for the multistream negotiation of one stream.
    public var streamNegotiationTimeout: Duration = .seconds(10)
    /// Default deadline for each read on a stream.
    public var readTimeout: Duration = .seconds(30)
    /// The largest Noise handshake message accepted.
    public var maxHandshakeMessageLength = NoiseHandshake.defaultMaxMessageLength
    /// The largest mplex message accepted (the spec's limit is 1 MiB).
    public var maxMplexFrameLength = MplexFrame.maxPayloadLength
    /// Unread data buffered per mplex stream before the stream is reset (yamux is bounded by its window).
    public var maxStreamReceiveBuffer = 1024 * 1024
    /// Whether to ask every new peer for its identify record.
    public var identifyOnConnect = true
    /// The identify `agentVersion`.
    public var agentVersion = "nimbus-node-manager"
    /// The identify `protocolVersion`.
    public var protocolVersion = "ipfs/0.1.0"

    /// The defaults.
    public init() {}
}
