import NimbusMultiformats

/// Which side opened a connection or stream.
public enum ConnectionDirection: String, Sendable {
    /// The peer dialed us / opened the stream.
    case inbound
    /// We dialed / opened the stream.
    case outbound
}

/// A change in the host's connections.
public enum ConnectionEvent: Sendable, Equatable {
    /// A connection finished its upgrade; the peer is authenticated.
    case connected(peer: PeerID, address: Multiaddr?, direction: ConnectionDirection)
    /// An upgraded connection closed, with the reason that was logged.
    case disconnected(peer: PeerID, reason: String)
    /// The peer answered identify.
    case identified(peer: PeerID, IdentifyMessage)
}
