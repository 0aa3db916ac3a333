#if canImport(NimbusMultiformats)
    import NimbusMultiformats
#endif

/// The identify message (libp2p/specs identify/README.md):
///
///     message Identify {
///         optional string protocolVersion = 5;  optional string agentVersion = 6;
///         optional bytes publicKey = 1;         repeated bytes listenAddrs = 2;
///         optional bytes observedAddr = 4;      repeated string protocols = 3;
///         optional bytes signedPeerRecord = 8;
///     }
///
/// Addresses stay in their binary form; `listenMultiaddrs` decodes the ones this module understands.
public struct IdentifyMessage: Equatable, Sendable {
    /// The multistream protocol id of identify.
    public static let protocolID = "/ipfs/id/1.0.0"
    /// The protocol id of identify push (the same message, sent unasked).
    public static let pushProtocolID = "/ipfs/id/push/1.0.0"
    /// The largest message accepted; real ones are a few hundred bytes to a few KiB.
    public static let maxLength = 64 * 1024
    /// At most this many protocols or addresses are kept from a peer's message.
    public static let maxEntries = 1024

    /// E.g. "ipfs/0.1.0".
    public var protocolVersion: String?
    /// Implementation name and version.
    public var agentVersion: String?
    /// The sender's `PublicKey` protobuf.
    public var publicKey: [UInt8]?
    /// The sender's listen addresses, binary multiaddrs.
    public var listenAddresses: [[UInt8]]
    /// The address the sender sees us at, a binary multiaddr.
    public var observedAddress: [UInt8]?
    /// The protocols the sender handles.
    public var protocols: [String]
    /// A signed peer record envelope (not verified here).
    public var signedPeerRecord: [UInt8]?

    /// A message from its fields.
    public init(
        protocolVersion: String? = nil, agentVersion: String? = nil, publicKey: [UInt8]? = nil,
        listenAddresses: [[UInt8]] = [], observedAddress: [UInt8]? = nil, protocols: [String] = [],
        signedPeerRecord: [UInt8]? = nil
    ) {
        self.protocolVersion = protocolVersion
        self.agentVersion = agentVersion
        self.publicKey = publicKey
        self.listenAddresses = listenAddresses
        self.observedAddress = observedAddress
        self.protocols = protocols
        self.signedPeerRecord = signedPeerRecord
    }

    /// Decodes the protobuf (without a length prefix).
    public init<Bytes: Collection<UInt8>>(protobuf: Bytes) throws(ProtobufError) {
        guard protobuf.count <= Self.maxLength else {
            throw .messageTooLarge(size: protobuf.count, limit: Self.maxLength)
        }
        self.init()
        var reader = ProtobufReader(protobuf)
        while let field = try reader.next() {
            guard case .lengthDelimited(let bytes) = field.value else {
                if [1, 2, 3, 4, 5, 6, 8].contains(field.number) { throw .wrongWireType(field: "\(field.number)") }
                continue
            }
            switch field.number {
            case 1: publicKey = Array(bytes)
            case 2:
                guard listenAddresses.count < Self.maxEntries else { continue }
                listenAddresses.append(Array(bytes))
            case 3:
                guard protocols.count < Self.maxEntries else { continue }
                protocols.append(try Self.text(bytes, field: "protocols"))
            case 4: observedAddress = Array(bytes)
            case 5: protocolVersion = try Self.text(bytes, field: "protocolVersion")
            case 6: agentVersion = try Self.text(bytes, field: "agentVersion")
            case 8: signedPeerRecord = Array(bytes)
            default: continue
            }
        }
    }

    /// The protobuf encoding, fields in number order.
    public var protobuf: [UInt8] {
        var writer = ProtobufWriter()
        if let publicKey { writer.writeBytes(field: 1, publicKey) }
        for address in listenAddresses { writer.writeBytes(field: 2, address) }
        for name in protocols { writer.writeString(field: 3, name) }
        if let observedAddress { writer.writeBytes(field: 4, observedAddress) }
        if let protocolVersion { writer.writeString(field: 5, protocolVersion) }
        if let agentVersion { writer.writeString(field: 6, agentVersion) }
        if let signedPeerRecord { writer.writeBytes(field: 8, signedPeerRecord) }
        return writer.bytes
    }

    /// The listen addresses this module can decode.
    public var listenMultiaddrs: [Multiaddr] { listenAddresses.compactMap { try? Multiaddr(bytes: $0) } }

    /// The observed address, if it decodes.
    public var observedMultiaddr: Multiaddr? { observedAddress.flatMap { try? Multiaddr(bytes: $0) } }

    private static func text(_ bytes: ArraySlice<UInt8>, field: String) throws(ProtobufError) -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .invalidValue(field: field, reason: "not UTF-8")
        }
        return text
    }
}
