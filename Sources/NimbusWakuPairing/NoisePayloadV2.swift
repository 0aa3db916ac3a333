/// The Waku message payload (version 2) of 35/WAKU2-NOISE:
///
///     nametag (16) || protocol id (1) || handshake message length (1) || handshake message
///       || transport message length (8, little-endian) || transport message
///
/// The handshake message is a run of public keys, each a flag byte (0: 32 clear bytes follow; 1: 32 encrypted bytes
/// and a 16-byte tag follow) and the key. Protocol id 0 marks a transport message (no handshake keys), 14 a
/// `Noise_WakuPairing_25519_ChaChaPoly_SHA256` handshake message.
public struct NoisePayloadV2: Equatable, Sendable {
    /// A public key as carried in a handshake message.
    public struct PublicKey: Equatable, Sendable {
        /// True when the key is encrypted (32 bytes and a 16-byte tag), false when it is in the clear.
        public var encrypted: Bool
        public var bytes: [UInt8]

        public init(encrypted: Bool, bytes: [UInt8]) {
            precondition(bytes.count == (encrypted ? 48 : 32), "a Noise public key field of the wrong size")
            self.encrypted = encrypted
            self.bytes = bytes
        }

        var encodedCount: Int { 1 + bytes.count }
    }

    /// The protocol ids this module reads; any other byte is refused, as the receiver could not parse the keys.
    public enum ProtocolID: UInt8, Sendable {
        case transport = 0
        case wakuPairing = 14
    }

    /// Transport messages larger than this are refused unread: Waku messages are far smaller, and the length field
    /// is 64 bits wide.
    public static let maximumTransportBytes = 1 << 24

    public var nametag: MessageNametag
    public var protocolID: ProtocolID
    public var handshakeMessage: [PublicKey]
    public var transportMessage: [UInt8]

    public init(
        nametag: MessageNametag, protocolID: ProtocolID, handshakeMessage: [PublicKey] = [], transportMessage: [UInt8]
    ) {
        self.nametag = nametag
        self.protocolID = protocolID
        self.handshakeMessage = handshakeMessage
        self.transportMessage = transportMessage
    }

    public func encoded() throws(WakuPairingError) -> [UInt8] {
        let keysLength = handshakeMessage.reduce(0) { $0 + $1.encodedCount }
        guard keysLength <= 255 else { throw .handshakeMessageTooLong }
        guard transportMessage.count <= Self.maximumTransportBytes else {
            throw .messageTooLong(transportMessage.count)
        }
        var out = nametag.bytes
        out.reserveCapacity(16 + 2 + keysLength + 8 + transportMessage.count)
        out.append(protocolID.rawValue)
        out.append(UInt8(keysLength))
        for key in handshakeMessage {
            out.append(key.encrypted ? 1 : 0)
            out += key.bytes
        }
        var length = UInt64(transportMessage.count)
        for _ in 0..<8 {
            out.append(UInt8(length & 0xFF))
            length >>= 8
        }
        out += transportMessage
        return out
    }

    /// Reads one payload from anyone on a public topic: every length is checked against what is left, and the
    /// payload must end exactly where the transport message does.
    public static func decode(_ payload: [UInt8]) throws(WakuPairingError) -> NoisePayloadV2 {
        var reader = payload[...]
        guard reader.count >= MessageNametag.byteCount else { throw .payloadTruncated(field: "nametag") }
        let nametag = MessageNametag(truncating: Array(reader.prefix(MessageNametag.byteCount)))
        reader = reader.dropFirst(MessageNametag.byteCount)
        guard let idByte = reader.first else { throw .payloadTruncated(field: "protocol id") }
        guard let protocolID = ProtocolID(rawValue: idByte) else { throw .unknownProtocolID(idByte) }
        reader = reader.dropFirst()
        guard let keysLength = reader.first else { throw .payloadTruncated(field: "handshake message length") }
        reader = reader.dropFirst()
        guard reader.count >= Int(keysLength) else { throw .payloadTruncated(field: "handshake message") }
        var keysBytes = reader.prefix(Int(keysLength))
        reader = reader.dropFirst(Int(keysLength))
        var keys: [PublicKey] = []
        while let flag = keysBytes.first {
            let size: Int
            switch flag {
            case 0: size = 32
            case 1: size = 48
            default: throw .publicKeyFlag(flag)
            }
            guard keysBytes.count >= 1 + size else { throw .handshakeMessageLength }
            keys.append(PublicKey(encrypted: flag == 1, bytes: Array(keysBytes.dropFirst().prefix(size))))
            keysBytes = keysBytes.dropFirst(1 + size)
        }
        // A transport message carries no keys; js-noise writes length 0 for it and so must everyone.
        if protocolID == .transport && !keys.isEmpty { throw .wrongProtocolForStep(idByte) }
        guard reader.count >= 8 else { throw .payloadTruncated(field: "transport message length") }
        var length: UInt64 = 0
        for (shift, byte) in reader.prefix(8).enumerated() { length |= UInt64(byte) << (8 * UInt64(shift)) }
        reader = reader.dropFirst(8)
        guard length <= UInt64(reader.count) else { throw .payloadTruncated(field: "transport message") }
        guard length == UInt64(reader.count) else { throw .payloadTrailingBytes(reader.count - Int(length)) }
        return NoisePayloadV2(
            nametag: nametag, protocolID: protocolID, handshakeMessage: keys, transportMessage: Array(reader))
    }
}
