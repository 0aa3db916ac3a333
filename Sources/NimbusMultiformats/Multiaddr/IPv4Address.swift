/// An IPv4 address as four octets, in the dotted-decimal text form multiaddrs use (`/ip4/127.0.0.1`).
public struct IPv4Address: Hashable, Sendable, CustomStringConvertible {
    /// The four octets, most significant first (network order).
    public let octets: [UInt8]

    /// An address from its four octets; nil when there are not exactly four.
    public init?<Bytes: Collection<UInt8>>(octets: Bytes) {
        guard octets.count == 4 else { return nil }
        self.octets = Array(octets)
    }

    /// An address from dotted-decimal text; nil when malformed.
    ///
    /// Leading zeros are refused ("010.0.0.1"): some parsers read them as octal, so they make an address
    /// ambiguous.
    public init?(_ text: some StringProtocol) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var octets: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
            guard part.count == 1 || part.first != "0", let value = UInt8(part) else { return nil }
            octets.append(value)
        }
        self.octets = octets
    }

    /// The loopback address 127.0.0.1.
    public static let loopback = IPv4Address(octets: [127, 0, 0, 1])!

    /// The unspecified address 0.0.0.0 (listen on every interface).
    public static let any = IPv4Address(octets: [0, 0, 0, 0])!

    /// Dotted-decimal text.
    public var description: String { octets.map(String.init).joined(separator: ".") }
}
