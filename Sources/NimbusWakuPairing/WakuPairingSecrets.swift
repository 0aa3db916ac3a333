import Crypto

/// One party's secret inputs to a pairing: its long-term static key (the identity the peer pins), its ephemeral key
/// for this run, and the 32 random bytes that open its static key commitment. The module never draws randomness
/// itself: the caller passes a source (the system's in the daemon, a fixed one in tests).
public struct WakuPairingSecrets: Sendable {
    public static let commitmentRandomnessBytes = 32

    // Raw bytes: swift-crypto's private key types are not Sendable here, and the handshake must be.
    private let staticKeyBytes: [UInt8]
    private let ephemeralKeyBytes: [UInt8]
    public let commitmentRandomness: [UInt8]

    public var staticKey: Curve25519.KeyAgreement.PrivateKey { Self.key(staticKeyBytes) }
    public var ephemeralKey: Curve25519.KeyAgreement.PrivateKey { Self.key(ephemeralKeyBytes) }

    /// Bytes that came from a valid private key are a valid private key: cannot fail.
    private static func key(_ bytes: [UInt8]) -> Curve25519.KeyAgreement.PrivateKey {
        try! Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes)
    }

    public init(
        staticKey: Curve25519.KeyAgreement.PrivateKey, ephemeralKey: Curve25519.KeyAgreement.PrivateKey,
        commitmentRandomness: [UInt8]
    ) {
        precondition(commitmentRandomness.count == Self.commitmentRandomnessBytes, "commitment randomness of 32 bytes")
        staticKeyBytes = Array(staticKey.rawRepresentation)
        ephemeralKeyBytes = Array(ephemeralKey.rawRepresentation)
        self.commitmentRandomness = commitmentRandomness
    }

    /// A fresh ephemeral key and commitment randomness for an existing static key, from `randomBytes(n)` (which must
    /// return n uniformly random bytes).
    public static func fresh(staticKey: Curve25519.KeyAgreement.PrivateKey, randomBytes: (Int) -> [UInt8]) -> Self {
        let ephemeral = randomBytes(32)
        precondition(ephemeral.count == 32, "the random source returned the wrong number of bytes")
        // Any 32 bytes are a valid X25519 private key (clamping happens inside), so this cannot fail.
        return Self(
            staticKey: staticKey, ephemeralKey: try! .init(rawRepresentation: ephemeral),
            commitmentRandomness: randomBytes(commitmentRandomnessBytes))
    }

    /// H(s || r): what a party commits to before the authorization code is compared, and opens afterwards.
    public static func commitment(staticPublicKey: [UInt8], randomness: [UInt8]) -> [UInt8] {
        WakuNoisePrimitives.sha256(staticPublicKey, randomness)
    }

    /// This party's commitment to its own static key.
    public var commitment: [UInt8] {
        Self.commitment(staticPublicKey: Array(staticKey.publicKey.rawRepresentation), randomness: commitmentRandomness)
    }
}

extension WakuPairingSecrets: CustomStringConvertible {
    public var description: String { "WakuPairingSecrets(redacted)" }
}
