import CNimbusSecp256k1

/// ECDSA over secp256k1 through Debian's libsecp256k1: the operations libp2p identities (signatures over the
/// SHA-256 of the message, DER-encoded) and EIP-778 "v4" node records (64-byte r||s over Keccak-256) need.
///
/// Verification accepts high-S signatures by normalizing them first: libsecp256k1 refuses them, but neither
/// format forbids them and other implementations (btcec in go-libp2p) accept them. Signing always produces
/// low-S signatures.
public enum Secp256k1 {
    /// A context created once, randomized against side channels, then used only through const calls, which
    /// libsecp256k1 allows from several threads at once.
    private final class Context: @unchecked Sendable {
        let pointer: OpaquePointer

        init() {
            // SECP256K1_CONTEXT_NONE: since 0.2.0 every context can sign and verify.
            pointer = secp256k1_context_create(1)!
            var seed = [UInt8](repeating: 0, count: 32)
            var generator = SystemRandomNumberGenerator()
            for index in seed.indices { seed[index] = generator.next() }
            _ = secp256k1_context_randomize(pointer, seed)
        }
    }

    private static let context = Context()

    /// Whether `secretKey` is a valid 32-byte scalar (non-zero, below the group order).
    public static func isValidSecretKey(_ secretKey: [UInt8]) -> Bool {
        secretKey.count == 32 && secp256k1_ec_seckey_verify(context.pointer, secretKey) == 1
    }

    /// The public key of `secretKey`, compressed (33 bytes) or not (65 bytes).
    public static func publicKey(secretKey: [UInt8], compressed: Bool = true) throws(Secp256k1Error) -> [UInt8] {
        guard isValidSecretKey(secretKey) else { throw .invalidSecretKey }
        var key = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_create(context.pointer, &key, secretKey) == 1 else { throw .invalidSecretKey }
        return serialize(key, compressed: compressed)
    }

    /// The 65-byte uncompressed form of a 33- or 65-byte public key.
    public static func uncompressed(_ publicKey: [UInt8]) throws(Secp256k1Error) -> [UInt8] {
        serialize(try parse(publicKey), compressed: false)
    }

    /// A DER-encoded low-S signature of a 32-byte digest.
    public static func signDER(digest: [UInt8], secretKey: [UInt8]) throws(Secp256k1Error) -> [UInt8] {
        var signature = try sign(digest: digest, secretKey: secretKey)
        var output = [UInt8](repeating: 0, count: 72)
        var length = output.count
        guard secp256k1_ecdsa_signature_serialize_der(context.pointer, &output, &length, &signature) == 1 else {
            throw .invalidSignature
        }
        return Array(output.prefix(length))
    }

    /// A 64-byte r||s low-S signature of a 32-byte digest.
    public static func signCompact(digest: [UInt8], secretKey: [UInt8]) throws(Secp256k1Error) -> [UInt8] {
        var signature = try sign(digest: digest, secretKey: secretKey)
        var output = [UInt8](repeating: 0, count: 64)
        _ = secp256k1_ecdsa_signature_serialize_compact(context.pointer, &output, &signature)
        return output
    }

    /// Whether a DER-encoded signature of a 32-byte digest is valid for a 33- or 65-byte public key.
    public static func verifyDER(signature: [UInt8], digest: [UInt8], publicKey: [UInt8]) -> Bool {
        guard digest.count == 32, !signature.isEmpty, signature.count <= 72 else { return false }
        var parsed = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_signature_parse_der(context.pointer, &parsed, signature, signature.count) == 1 else {
            return false
        }
        return verify(&parsed, digest: digest, publicKey: publicKey)
    }

    /// Whether a 64-byte r||s signature of a 32-byte digest is valid for a 33- or 65-byte public key.
    public static func verifyCompact(signature: [UInt8], digest: [UInt8], publicKey: [UInt8]) -> Bool {
        guard digest.count == 32, signature.count == 64 else { return false }
        var parsed = secp256k1_ecdsa_signature()
        guard secp256k1_ecdsa_signature_parse_compact(context.pointer, &parsed, signature) == 1 else { return false }
        return verify(&parsed, digest: digest, publicKey: publicKey)
    }

    private static func verify(
        _ signature: inout secp256k1_ecdsa_signature, digest: [UInt8], publicKey: [UInt8]
    ) -> Bool {
        guard let key = try? parse(publicKey) else { return false }
        var normalized = secp256k1_ecdsa_signature()
        _ = secp256k1_ecdsa_signature_normalize(context.pointer, &normalized, &signature)
        var pubkey = key
        return secp256k1_ecdsa_verify(context.pointer, &normalized, digest, &pubkey) == 1
    }

    private static func sign(digest: [UInt8], secretKey: [UInt8]) throws(Secp256k1Error) -> secp256k1_ecdsa_signature {
        guard digest.count == 32 else { throw .invalidDigest }
        guard isValidSecretKey(secretKey) else { throw .invalidSecretKey }
        var signature = secp256k1_ecdsa_signature()
        // A nil nonce function selects RFC 6979 deterministic nonces.
        guard secp256k1_ecdsa_sign(context.pointer, &signature, digest, secretKey, nil, nil) == 1 else {
            throw .invalidSecretKey
        }
        return signature
    }

    private static func parse(_ publicKey: [UInt8]) throws(Secp256k1Error) -> secp256k1_pubkey {
        guard publicKey.count == 33 || publicKey.count == 65 else { throw .invalidPublicKey }
        var key = secp256k1_pubkey()
        guard secp256k1_ec_pubkey_parse(context.pointer, &key, publicKey, publicKey.count) == 1 else {
            throw .invalidPublicKey
        }
        return key
    }

    private static func serialize(_ key: secp256k1_pubkey, compressed: Bool) -> [UInt8] {
        var key = key
        var output = [UInt8](repeating: 0, count: compressed ? 33 : 65)
        var length = output.count
        // SECP256K1_EC_COMPRESSED = 0x102, SECP256K1_EC_UNCOMPRESSED = 0x2.
        let flags: UInt32 = compressed ? 0x102 : 0x2
        _ = secp256k1_ec_pubkey_serialize(context.pointer, &output, &length, &key, flags)
        return Array(output.prefix(length))
    }
}

/// Why a secp256k1 operation failed.
public enum Secp256k1Error: Error, Equatable, Sendable, CustomStringConvertible {
    /// Not a valid 32-byte secret scalar.
    case invalidSecretKey
    /// Not a valid 33- or 65-byte point on the curve.
    case invalidPublicKey
    /// A digest that is not 32 bytes.
    case invalidDigest
    /// A signature that cannot be serialized.
    case invalidSignature

    /// A reason for logs and test failures.
    public var description: String {
        switch self {
        case .invalidSecretKey: "invalid secp256k1 secret key"
        case .invalidPublicKey: "invalid secp256k1 public key"
        case .invalidDigest: "secp256k1 digest must be 32 bytes"
        case .invalidSignature: "invalid secp256k1 signature"
        }
    }
}
