import Crypto
import NimbusMultiformats

/// A libp2p identity key pair: the private half of a peer id. Ed25519 signs messages directly; secp256k1 signs
/// their SHA-256 with ECDSA, DER-encoded (libp2p/specs peer-ids/peer-ids.md, "Key Types").
///
/// Its description never shows the private key.
public struct IdentityKey: Sendable, CustomStringConvertible {
    /// Raw secret bytes: swift-crypto's key types are not `Sendable`.
    private enum Secret: Sendable {
        case ed25519(seed: [UInt8])
        case secp256k1([UInt8])
    }

    private let secret: Secret
    /// The public key.
    public let publicKey: Libp2pPublicKey
    /// The peer id of the public key.
    public let peerID: PeerID

    /// A new random Ed25519 key.
    public static func generateEd25519() -> IdentityKey {
        IdentityKey(ed25519: Curve25519.Signing.PrivateKey())
    }

    /// A new random secp256k1 key.
    public static func generateSecp256k1() -> IdentityKey {
        var generator = SystemRandomNumberGenerator()
        while true {
            let candidate = (0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) }
            if let key = try? IdentityKey(secp256k1SecretKey: candidate) { return key }
        }
    }

    /// An Ed25519 key from its 32-byte seed.
    public init(ed25519Seed seed: [UInt8]) throws {
        self.init(ed25519: try Curve25519.Signing.PrivateKey(rawRepresentation: seed))
    }

    /// A secp256k1 key from its 32-byte secret scalar.
    public init(secp256k1SecretKey secretKey: [UInt8]) throws {
        let publicBytes = try Secp256k1.publicKey(secretKey: secretKey)
        secret = .secp256k1(secretKey)
        publicKey = try Libp2pPublicKey(keyType: .secp256k1, data: publicBytes)
        peerID = PeerID(publicKey: publicKey)
    }

    private init(ed25519 key: Curve25519.Signing.PrivateKey) {
        secret = .ed25519(seed: Array(key.rawRepresentation))
        // 32 bytes by construction.
        publicKey = try! Libp2pPublicKey(keyType: .ed25519, data: Array(key.publicKey.rawRepresentation))
        peerID = PeerID(publicKey: publicKey)
    }

    /// The signature of `message` under the key type's rules.
    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        switch secret {
        case .ed25519(let seed):
            return Array(try Curve25519.Signing.PrivateKey(rawRepresentation: seed).signature(for: message))
        case .secp256k1(let secretKey):
            return try Secp256k1.signDER(digest: Array(SHA256.hash(data: message)), secretKey: secretKey)
        }
    }

    /// The key type and peer id.
    public var description: String { "IdentityKey(\(publicKey.keyType), \(peerID))" }
}
