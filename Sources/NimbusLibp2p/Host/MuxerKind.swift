/// A stream multiplexer the host can negotiate.
public enum MuxerKind: String, Sendable, CaseIterable {
    /// `/yamux/1.0.0`, with flow control; preferred.
    case yamux = "/yamux/1.0.0"
    /// `/mplex/6.7.0`, without flow control; kept for older peers.
    case mplex = "/mplex/6.7.0"

    /// The multistream protocol id.
    public var protocolID: String { rawValue }
}
