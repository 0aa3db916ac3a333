/// A self-describing network address (multiformats/multiaddr): a sequence of protocol components such as
/// `/ip4/127.0.0.1/tcp/4001/p2p/12D3KooW...`, with a text and a binary form.
///
/// The binary form is a sequence of (varint code, value) pairs, values being fixed-size (ip4: 4 bytes, ip6: 16,
/// tcp/udp: 2, big-endian), absent (ws, wss, p2p-circuit, quic-v1) or varint-length-prefixed (dns*, p2p).
public struct Multiaddr: Hashable, Sendable, CustomStringConvertible {
    /// The longest binary form accepted, far above any real address; it bounds what a peer can make us allocate
    /// through identify or ENR fields. Text is held to the same binary limit once parsed.
    public static let maxLength = 1024
    /// The longest text read before parsing: text takes up to about four times the bytes of the binary form
    /// ("/ip4/255.255.255.255" for 5 bytes), so every address within `maxLength` has a text form within this.
    public static let maxTextLength = 8 * maxLength

    /// The components, outermost first.
    public var components: [MultiaddrComponent]

    /// An address from its components.
    public init(components: [MultiaddrComponent]) {
        self.components = components
    }

    /// Parses the text form, e.g. `/dns4/example.com/tcp/443/wss`. A single trailing "/" is tolerated.
    public init(_ text: String) throws(MultiaddrError) {
        guard text.utf8.count <= Self.maxTextLength else { throw .tooLong }
        guard text.hasPrefix("/") else { throw .missingLeadingSlash }
        var parts = text.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if parts.last == "" { parts = parts.dropLast() }
        guard !parts.isEmpty else { throw .empty }
        var components: [MultiaddrComponent] = []
        var iterator = parts.makeIterator()
        while let name = iterator.next() {
            components.append(try Self.parseComponent(name: name, next: { iterator.next() }))
        }
        self.components = components
        guard bytes.count <= Self.maxLength else { throw .tooLong }
    }

    /// Decodes the binary form; every byte must belong to a component.
    public init<Bytes: Collection<UInt8>>(bytes: Bytes) throws(MultiaddrError) {
        guard bytes.count <= Self.maxLength else { throw .tooLong }
        guard !bytes.isEmpty else { throw .empty }
        var cursor = ByteCursor(bytes)
        var components: [MultiaddrComponent] = []
        do {
            while !cursor.isAtEnd {
                components.append(try Self.decodeComponent(&cursor))
            }
        } catch let error as MultiaddrError {
            throw error
        } catch {
            throw .truncated
        }
        self.components = components
    }

    /// The binary form.
    public var bytes: [UInt8] {
        var bytes: [UInt8] = []
        for component in components {
            Varint.append(component.code, to: &bytes)
            bytes.append(contentsOf: component.binaryValue)
        }
        return bytes
    }

    /// The text form.
    public var description: String { components.map(\.description).joined() }

    /// The peer id of the last `/p2p` component, if any.
    public var peerID: PeerID? {
        for component in components.reversed() {
            if case .p2p(let peer) = component { return peer }
        }
        return nil
    }

    /// This address with a `/p2p/<peer>` component appended.
    public func appending(_ component: MultiaddrComponent) -> Multiaddr {
        Multiaddr(components: components + [component])
    }

    /// This address without a trailing `/p2p` component.
    public var withoutPeerID: Multiaddr {
        guard case .p2p = components.last else { return self }
        return Multiaddr(components: Array(components.dropLast()))
    }

    private static func parseComponent(
        name: Substring, next: () -> Substring?
    ) throws(MultiaddrError) -> MultiaddrComponent {
        func value() throws(MultiaddrError) -> Substring {
            guard let value = next(), !value.isEmpty else { throw .missingValue(protocol: String(name)) }
            return value
        }
        func port() throws(MultiaddrError) -> UInt16 {
            let text = try value()
            guard text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let port = UInt16(text) else {
                throw .invalidValue(protocol: String(name), reason: "not a port number")
            }
            return port
        }
        func dnsName() throws(MultiaddrError) -> String {
            let text = String(try value())
            try validateDNSName(text, protocol: String(name))
            return text
        }
        switch name {
        case "ip4":
            guard let address = IPv4Address(try value()) else {
                throw .invalidValue(protocol: "ip4", reason: "not a dotted-decimal IPv4 address")
            }
            return .ip4(address)
        case "ip6":
            guard let address = IPv6Address(try value()) else {
                throw .invalidValue(protocol: "ip6", reason: "not an IPv6 address")
            }
            return .ip6(address)
        case "tcp": return .tcp(try port())
        case "udp": return .udp(try port())
        case "dns": return .dns(try dnsName())
        case "dns4": return .dns4(try dnsName())
        case "dns6": return .dns6(try dnsName())
        case "dnsaddr": return .dnsaddr(try dnsName())
        case "p2p", "ipfs":
            do {
                return .p2p(try PeerID(String(try value())))
            } catch let error as MultiaddrError {
                throw error
            } catch {
                throw .invalidValue(protocol: "p2p", reason: "\(error)")
            }
        case "p2p-circuit": return .p2pCircuit
        case "quic-v1": return .quicV1
        case "ws": return .ws
        case "wss": return .wss
        default: throw .unknownProtocol(String(name))
        }
    }

    private static func decodeComponent(_ cursor: inout ByteCursor) throws -> MultiaddrComponent {
        let code = try cursor.readVarint()
        func lengthPrefixed(_ name: String) throws -> ArraySlice<UInt8> {
            let length = try cursor.readVarint(limit: UInt64(maxLength))
            return try cursor.readBytes(Int(length))
        }
        func dnsName(_ name: String) throws -> String {
            let bytes = try lengthPrefixed(name)
            guard let text = String(validating: bytes, as: UTF8.self) else {
                throw MultiaddrError.invalidValue(protocol: name, reason: "not UTF-8")
            }
            try validateDNSName(text, protocol: name)
            return text
        }
        switch code {
        case 4: return .ip4(IPv4Address(octets: try cursor.readBytes(4))!)
        case 41: return .ip6(IPv6Address(octets: try cursor.readBytes(16))!)
        case 6: return .tcp(UInt16(try cursor.readBigEndian(2)))
        case 273: return .udp(UInt16(try cursor.readBigEndian(2)))
        case 53: return .dns(try dnsName("dns"))
        case 54: return .dns4(try dnsName("dns4"))
        case 55: return .dns6(try dnsName("dns6"))
        case 56: return .dnsaddr(try dnsName("dnsaddr"))
        case 421:
            do {
                return .p2p(try PeerID(multihash: try lengthPrefixed("p2p")))
            } catch let error as PeerIDError {
                throw MultiaddrError.invalidValue(protocol: "p2p", reason: error.description)
            }
        case 290: return .p2pCircuit
        case 460: return .quicV1
        case 477: return .ws
        case 478: return .wss
        default: throw MultiaddrError.unknownProtocol("code \(code)")
        }
    }

    /// DNS names are carried as text: refuse what cannot be a name (empty, "/", control bytes, over 255 bytes).
    private static func validateDNSName(_ name: String, protocol: String) throws(MultiaddrError) {
        guard !name.isEmpty, name.utf8.count <= 255,
            name.utf8.allSatisfy({ $0 > 0x20 && $0 != 0x7F && $0 != UInt8(ascii: "/") })
        else { throw .invalidValue(protocol: `protocol`, reason: "not a DNS name") }
    }
}
