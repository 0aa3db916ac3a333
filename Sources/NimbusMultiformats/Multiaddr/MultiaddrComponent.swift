/// One protocol of a multiaddr with its value, e.g. `/tcp/4001` (multiformats/multiaddr, protocols.csv).
///
/// Only the protocols a Waku client meets are known; anything else is refused by the decoders with
/// `MultiaddrError.unknownProtocol`, since the size of an unknown protocol's value cannot be known.
public enum MultiaddrComponent: Hashable, Sendable, CustomStringConvertible {
    /// `/ip4/<dotted decimal>`, code 4.
    case ip4(IPv4Address)
    /// `/tcp/<port>`, code 6.
    case tcp(UInt16)
    /// `/udp/<port>`, code 273.
    case udp(UInt16)
    /// `/dns/<name>`, code 53 (any address family).
    case dns(String)
    /// `/dns4/<name>`, code 54.
    case dns4(String)
    /// `/dns6/<name>`, code 55.
    case dns6(String)
    /// `/dnsaddr/<name>`, code 56 (resolved through TXT records).
    case dnsaddr(String)
    /// `/ip6/<address>`, code 41.
    case ip6(IPv6Address)
    /// `/p2p/<peer id>`, code 421 (also read as the legacy name `ipfs`).
    case p2p(PeerID)
    /// `/p2p-circuit`, code 290.
    case p2pCircuit
    /// `/quic-v1`, code 460.
    case quicV1
    /// `/ws`, code 477.
    case ws
    /// `/wss`, code 478.
    case wss

    /// The multicodec code of the protocol.
    public var code: UInt64 {
        switch self {
        case .ip4: 4
        case .tcp: 6
        case .udp: 273
        case .dns: 53
        case .dns4: 54
        case .dns6: 55
        case .dnsaddr: 56
        case .ip6: 41
        case .p2p: 421
        case .p2pCircuit: 290
        case .quicV1: 460
        case .ws: 477
        case .wss: 478
        }
    }

    /// The protocol name used in the text form.
    public var name: String {
        switch self {
        case .ip4: "ip4"
        case .tcp: "tcp"
        case .udp: "udp"
        case .dns: "dns"
        case .dns4: "dns4"
        case .dns6: "dns6"
        case .dnsaddr: "dnsaddr"
        case .ip6: "ip6"
        case .p2p: "p2p"
        case .p2pCircuit: "p2p-circuit"
        case .quicV1: "quic-v1"
        case .ws: "ws"
        case .wss: "wss"
        }
    }

    /// The value in its text form, or nil for protocols without a value.
    public var textValue: String? {
        switch self {
        case .ip4(let address): address.description
        case .ip6(let address): address.description
        case .tcp(let port), .udp(let port): String(port)
        case .dns(let name), .dns4(let name), .dns6(let name), .dnsaddr(let name): name
        case .p2p(let peer): peer.description
        case .p2pCircuit, .quicV1, .ws, .wss: nil
        }
    }

    /// The value in its binary form, including the length prefix for variable-size values.
    public var binaryValue: [UInt8] {
        switch self {
        case .ip4(let address): address.octets
        case .ip6(let address): address.octets
        case .tcp(let port), .udp(let port): [UInt8(port >> 8), UInt8(port & 0xFF)]
        case .dns(let name), .dns4(let name), .dns6(let name), .dnsaddr(let name):
            Varint.encode(UInt64(name.utf8.count)) + Array(name.utf8)
        case .p2p(let peer): Varint.encode(UInt64(peer.multihash.count)) + peer.multihash
        case .p2pCircuit, .quicV1, .ws, .wss: []
        }
    }

    /// `/name` or `/name/value`.
    public var description: String {
        if let value = textValue { return "/\(name)/\(value)" }
        return "/\(name)"
    }
}
