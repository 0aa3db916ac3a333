/// A libp2p public identity key as the peer-id spec defines it (libp2p/specs peer-ids/peer-ids.md, "Keys"):
/// a key type and the key bytes, carried in the `PublicKey` protobuf message:
///
///     message PublicKey { required KeyType Type = 1; required bytes Data = 2; }
///
/// Ed25519 keys are the 32-byte public key; secp256k1 keys are the 33-byte compressed point (SEC 1).
/// RSA and ECDSA keys decode, so that peer ids and identify records carrying them can be read, but signatures
/// with them are not verified (see `isValidSignature`).
public struct Libp2pPublicKey: Hashable, Sendable {
    /// The key algorithm, with the numbers of the `KeyType` protobuf enum.
    public enum KeyType: UInt64, Sendable, CustomStringConvertible {
        /// RSA (PKIX DER).
        case rsa = 0
        /// Ed25519 (RFC 8032), 32 bytes.
        case ed25519 = 1
        /// secp256k1, 33-byte compressed point.
        case secp256k1 = 2
        /// ECDSA P-256 (PKIX DER).
        case ecdsa = 3

        /// The key type's name.
        public var description: String {
            switch self {
            case .rsa: "RSA"
            case .ed25519: "Ed25519"
            case .secp256k1: "secp256k1"
            case .ecdsa: "ECDSA"
            }
        }
    }

    /// The longest key accepted (an RSA-8192 PKIX key is about 1.1 KiB).
    public static let maxKeyLength = 2048

    /// The key algorithm.
    public let keyType: KeyType
    /// The key bytes in the algorithm's libp2p form.
    public let data: [UInt8]

    /// A key from its type and bytes, checking the length the type requires.
    public init<Bytes: Collection<UInt8>>(keyType: KeyType, data: Bytes) throws(ProtobufError) {
        switch keyType {
        case .ed25519:
            guard data.count == 32 else { throw .invalidValue(field: "Data", reason: "Ed25519 key is not 32 bytes") }
        case .secp256k1:
            guard data.count == 33, data.first == 2 || data.first == 3 else {
                throw .invalidValue(field: "Data", reason: "secp256k1 key is not a 33-byte compressed point")
            }
        case .rsa, .ecdsa:
            guard !data.isEmpty, data.count <= Self.maxKeyLength else {
                throw .invalidValue(field: "Data", reason: "\(keyType) key length \(data.count)")
            }
        }
        self.keyType = keyType
        self.data = Array(data)
    }

    /// Decodes a `PublicKey` protobuf message; both fields are required.
    public init<Bytes: Collection<UInt8>>(protobuf: Bytes) throws(ProtobufError) {
        guard protobuf.count <= Self.maxKeyLength + 16 else {
            throw .messageTooLarge(size: protobuf.count, limit: Self.maxKeyLength + 16)
        }
        var reader = ProtobufReader(protobuf)
        var keyType: KeyType?
        var data: ArraySlice<UInt8>?
        while let field = try reader.next() {
            switch (field.number, field.value) {
            case (1, .varint(let raw)):
                guard let type = KeyType(rawValue: raw) else {
                    throw .invalidValue(field: "Type", reason: "unknown key type \(raw)")
                }
                keyType = type
            case (2, .lengthDelimited(let bytes)):
                data = bytes
            case (1, _):
                throw .wrongWireType(field: "Type")
            case (2, _):
                throw .wrongWireType(field: "Data")
            default:
                continue
            }
        }
        guard let keyType else { throw .missingField("Type") }
        guard let data else { throw .missingField("Data") }
        try self.init(keyType: keyType, data: data)
    }

    /// The deterministic `PublicKey` protobuf encoding (Type, then Data), the form peer ids hash.
    public var protobuf: [UInt8] {
        var writer = ProtobufWriter()
        writer.writeVarint(field: 1, keyType.rawValue)
        writer.writeBytes(field: 2, data)
        return writer.bytes
    }
}
