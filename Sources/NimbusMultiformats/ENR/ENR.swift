import NimbusKeccak
/// An Ethereum Node Record (EIP-778) under the "v4" identity scheme, with the fields Waku adds (WAKU2-ENR):
/// what a peer-exchange or discovery response says about a node.
///
/// A record is the RLP list `[signature, seq, k1, v1, k2, v2, ...]` with keys sorted and unique; the signature
/// is a 64-byte secp256k1 ECDSA r||s over the Keccak-256 of `rlp([seq, k1, v1, ...])`, by the key in the
/// `secp256k1` field. Decoding verifies it, so every `ENR` value is authentic to its key, and checks the known
/// fields, so that their accessors cannot fail.
public struct ENR: Hashable, Sendable, CustomStringConvertible {
    /// EIP-778: "The maximum encoded size of a node record is 300 bytes."
    public static let maxSize = 300

    /// The record's encoding.
    public let rlp: [UInt8]
    /// The sequence number; a higher one replaces a lower one.
    public let sequence: UInt64
    /// The 64-byte signature.
    public let signature: [UInt8]
    /// Every key/value pair, values as RLP items.
    public let entries: [String: RLPItem]

    /// Decodes the text form "enr:<base64url>".
    public init(_ text: String) throws(ENRError) {
        guard text.hasPrefix("enr:"), let bytes = Base64URL.decode(String(text.dropFirst(4))) else {
            throw .invalidText
        }
        try self.init(rlp: bytes)
    }

    /// Decodes and verifies a record.
    public init(rlp bytes: [UInt8]) throws(ENRError) {
        guard bytes.count <= Self.maxSize else { throw .tooLarge(bytes.count) }
        let item: RLPItem
        do {
            item = try RLP.decode(bytes)
        } catch {
            throw .rlp(error)
        }
        guard let items = item.items, items.count >= 2, items.count % 2 == 0 else {
            throw .malformedRecord("not a list of signature, seq and pairs")
        }
        guard let signature = items[0].byteString else { throw .malformedRecord("signature is a list") }
        guard let sequence = items[1].unsignedInteger else { throw .malformedRecord("bad sequence number") }
        var entries: [String: RLPItem] = [:]
        var previousKey: [UInt8]?
        for index in stride(from: 2, to: items.count, by: 2) {
            guard let key = items[index].byteString, let name = String(validating: key, as: UTF8.self) else {
                throw .malformedRecord("key is not a UTF-8 byte string")
            }
            if let previousKey, !previousKey.lexicographicallyPrecedes(key) { throw .keysNotSorted }
            previousKey = key
            entries[name] = items[index + 1]
        }
        self.rlp = bytes
        self.sequence = sequence
        self.signature = signature
        self.entries = entries
        try validateFields()
        try verifySignature(content: Array(items[1...]))
    }

    /// Signs a new record with `secretKey`, adding the "id" and "secp256k1" fields.
    public init(sequence: UInt64, entries: [String: RLPItem], secretKey: [UInt8]) throws(ENRError) {
        let publicKey: [UInt8]
        do {
            publicKey = try Secp256k1.publicKey(secretKey: secretKey)
        } catch {
            throw .invalidField(key: "secp256k1", reason: "\(error)")
        }
        var all = entries
        all["id"] = .bytes(Array("v4".utf8))
        all["secp256k1"] = .bytes(publicKey)
        let sortedKeys = all.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        var content: [RLPItem] = [.unsignedInteger(sequence)]
        for key in sortedKeys {
            content.append(.bytes(Array(key.utf8)))
            content.append(all[key]!)
        }
        let digest = Keccak256.hash(RLP.encode(.list(content)))
        let signature: [UInt8]
        do {
            signature = try Secp256k1.signCompact(digest: digest, secretKey: secretKey)
        } catch {
            throw .invalidField(key: "secp256k1", reason: "\(error)")
        }
        try self.init(rlp: RLP.encode(.list([.bytes(signature)] + content)))
    }

    /// The text form "enr:<base64url>".
    public var description: String { "enr:" + Base64URL.encode(rlp) }

    /// The raw bytes of a byte-string field.
    public func bytes(_ key: String) -> [UInt8]? { entries[key]?.byteString }

    /// The 33-byte compressed secp256k1 public key (field `secp256k1`).
    public var publicKey: [UInt8] { bytes("secp256k1")! }

    /// The node id: the Keccak-256 of the uncompressed public key's 64 coordinate bytes.
    public var nodeID: [UInt8] {
        let uncompressed = (try? Secp256k1.uncompressed(publicKey)) ?? []
        return Keccak256.hash(uncompressed.dropFirst())
    }

    /// The IPv4 address (field `ip`).
    public var ip4: IPv4Address? { bytes("ip").flatMap { IPv4Address(octets: $0) } }
    /// The IPv6 address (field `ip6`).
    public var ip6: IPv6Address? { bytes("ip6").flatMap { IPv6Address(octets: $0) } }
    /// The TCP port (field `tcp`).
    public var tcp: UInt16? { port("tcp") }
    /// The UDP port (field `udp`).
    public var udp: UInt16? { port("udp") }
    /// The IPv6 TCP port (field `tcp6`; EIP-778 says to use `tcp` when absent).
    public var tcp6: UInt16? { port("tcp6") }
    /// The IPv6 UDP port (field `udp6`).
    public var udp6: UInt16? { port("udp6") }

    /// The Waku capability flags (field `waku2`).
    public var waku2: WakuCapabilities? { bytes("waku2").map { WakuCapabilities(rawValue: $0[0]) } }

    /// The relay shards (field `rs`, else `rsv`).
    public var relayShards: RelayShards? {
        if let list = bytes("rs") { return RelayShards(indexList: list) }
        if let vector = bytes("rsv") { return RelayShards(bitVector: vector) }
        return nil
    }

    /// The addresses of the Waku `multiaddrs` field, each a 2-byte big-endian length and a binary multiaddr.
    /// Entries with protocols this module does not know (onion3, say) are skipped, not fatal: the others stay
    /// usable.
    public var multiaddrs: [Multiaddr] {
        guard let value = bytes("multiaddrs") else { return [] }
        return ((try? Self.splitMultiaddrs(value)) ?? []).compactMap { try? Multiaddr(bytes: $0) }
    }

    /// Where to reach the node over libp2p: `/ip4/<ip>/tcp/<tcp>` and `/ip6/<ip6>/tcp/<tcp6 or tcp>` from the
    /// EIP-778 fields, then the `multiaddrs` entries; all but circuit addresses end in `/p2p/<peerID>`.
    public var libp2pMultiaddrs: [Multiaddr] {
        var addresses: [Multiaddr] = []
        if let ip4, let tcp { addresses.append(Multiaddr(components: [.ip4(ip4), .tcp(tcp)])) }
        if let ip6, let port = tcp6 ?? tcp { addresses.append(Multiaddr(components: [.ip6(ip6), .tcp(port)])) }
        addresses += multiaddrs
        return addresses.map { address in
            // WAKU2-ENR: an address that already names a peer is a circuit-relay address, stored without its
            // "/p2p-circuit" suffix.
            if address.peerID != nil { return address.appending(.p2pCircuit).appending(.p2p(peerID)) }
            return address.appending(.p2p(peerID))
        }
    }

    /// The libp2p peer id of the record's key (a secp256k1 identity key).
    public var peerID: PeerID {
        PeerID(publicKey: try! Libp2pPublicKey(keyType: .secp256k1, data: publicKey))
    }

    private func port(_ key: String) -> UInt16? {
        entries[key]?.unsignedInteger.map { UInt16($0) }
    }

    /// Checks the fields whose accessors would otherwise have to fail.
    private func validateFields() throws(ENRError) {
        guard let scheme = bytes("id") else { throw .malformedRecord("no id field") }
        guard scheme == Array("v4".utf8) else {
            throw .unsupportedIdentityScheme(String(decoding: scheme, as: UTF8.self))
        }
        guard let key = bytes("secp256k1"), key.count == 33, key[0] == 2 || key[0] == 3 else {
            throw .invalidField(key: "secp256k1", reason: "not a 33-byte compressed key")
        }
        if let ip = entries["ip"], ip.byteString?.count != 4 {
            throw .invalidField(key: "ip", reason: "not 4 bytes")
        }
        if let ip6 = entries["ip6"], ip6.byteString?.count != 16 {
            throw .invalidField(key: "ip6", reason: "not 16 bytes")
        }
        for key in ["tcp", "udp", "tcp6", "udp6"] {
            if let value = entries[key] {
                guard let port = value.unsignedInteger, port <= UInt64(UInt16.max) else {
                    throw .invalidField(key: key, reason: "not a port number")
                }
            }
        }
        if let waku2 = entries["waku2"], waku2.byteString?.count != 1 {
            throw .invalidField(key: "waku2", reason: "not one byte")
        }
        if let multiaddrs = entries["multiaddrs"] {
            guard let value = multiaddrs.byteString else {
                throw .invalidField(key: "multiaddrs", reason: "not a byte string")
            }
            _ = try Self.splitMultiaddrs(value)
        }
    }

    private func verifySignature(content: [RLPItem]) throws(ENRError) {
        let digest = Keccak256.hash(RLP.encode(.list(content)))
        guard Secp256k1.verifyCompact(signature: signature, digest: digest, publicKey: publicKey) else {
            throw .invalidSignature
        }
    }

    private static func splitMultiaddrs(_ value: [UInt8]) throws(ENRError) -> [ArraySlice<UInt8>] {
        var parts: [ArraySlice<UInt8>] = []
        var rest = value[...]
        while !rest.isEmpty {
            guard rest.count >= 2 else { throw .invalidField(key: "multiaddrs", reason: "truncated length") }
            let length = Int(rest[rest.startIndex]) << 8 | Int(rest[rest.startIndex + 1])
            rest = rest.dropFirst(2)
            guard length > 0, rest.count >= length else {
                throw .invalidField(key: "multiaddrs", reason: "entry length \(length) beyond the field")
            }
            parts.append(rest.prefix(length))
            rest = rest.dropFirst(length)
        }
        return parts
    }
}
