/// What the Waku node needs from a libp2p host: dial, open and accept protocol streams, know a peer's protocols,
/// hear about connections. Keeping it this small lets the node run over the project's libp2p host
/// (`Libp2pTransport`) and over an in-memory network in tests.
public protocol WakuTransport: Sendable {
    /// This node's peer id.
    var localPeer: WakuPeerID { get }

    /// Dials a multiaddr ending in `/p2p/<id>` (or without, if the transport can learn the id) and returns the
    /// authenticated peer.
    func dial(_ address: String) async throws -> WakuPeerID

    /// Opens a stream to a connected peer, proposing `protocols` in order (multistream-select); returns the stream
    /// and the protocol agreed on.
    func openStream(to peer: WakuPeerID, protocols: [String]) async throws -> (
        stream: any WakuStream, protocolID: String
    )

    /// Serves `protocolID`: `handler` gets each inbound stream for it.
    func setHandler(
        for protocolID: String, _ handler: @escaping @Sendable (WakuPeerID, any WakuStream) async -> Void
    ) async

    /// The protocols a connected peer announced (libp2p identify); empty if unknown.
    func protocols(of peer: WakuPeerID) async -> Set<String>

    /// Closes every connection to a peer.
    func disconnect(_ peer: WakuPeerID) async

    /// Connection events, from the time of the call on.
    func connectionEvents() async -> AsyncStream<WakuConnectionEvent>
}

/// A change in the connections of a transport.
public enum WakuConnectionEvent: Hashable, Sendable {
    /// The first connection to a peer is up and identified; `outbound` if this node dialled.
    case connected(WakuPeerID, outbound: Bool)
    /// The last connection to a peer closed.
    case disconnected(WakuPeerID)
}
