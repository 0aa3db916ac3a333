/// A remote peer as the Waku state machines know it: the text form of its libp2p peer id ("16Uiu2...",
/// "12D3KooW..."). The transport adapter derives it from the authenticated Noise identity, so two connections
/// naming the same id are the same peer.
public struct WakuPeerID: Hashable, Sendable, Comparable, CustomStringConvertible {
    /// The base58btc peer id text.
    public let rawValue: String

    /// A peer from its id text.
    public init(_ rawValue: String) {
        self.rawValue = rawValue
    }

    /// The id text.
    public var description: String { rawValue }

    /// Text order, so that actions for several peers come out in a reproducible order.
    public static func < (lhs: WakuPeerID, rhs: WakuPeerID) -> Bool { lhs.rawValue < rhs.rawValue }
}
