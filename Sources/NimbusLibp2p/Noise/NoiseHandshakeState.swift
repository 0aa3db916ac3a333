import Crypto

/// A Noise HandshakeState (Noise section 5.3) for `Noise_XX_25519_ChaChaPoly_SHA256` only:
///
///     -> e
///     <- e, ee, s, es
///     -> s, se
///
/// Each side writes and reads messages in turn; after message 3 `split()` gives the transport ciphers. The
/// ephemeral key can be injected so that published test vectors can be replayed.
public struct NoiseHandshakeState: Sendable {
    /// The full protocol name, mixed into the initial state.
    public static let protocolName = "Noise_XX_25519_ChaChaPoly_SHA256"

    /// Whether this side sends message 1.
    public let isInitiator: Bool
    private var symmetric: NoiseSymmetricState
    // Keys are kept as raw bytes: swift-crypto's key types are not `Sendable`.
    private let staticKey: [UInt8]
    private var ephemeralKey: [UInt8]?
    private var remoteEphemeralKey: [UInt8]?
    /// The peer's static public key, known after message 2 (initiator) or 3 (responder).
    public private(set) var remoteStaticKey: [UInt8]?
    /// The number of messages written or read so far (0 to 3).
    public private(set) var messageCount = 0

    /// A handshake with the local static key, an optional prologue and, for test vectors only, a fixed ephemeral
    /// key.
    public init(
        isInitiator: Bool, staticKey: Curve25519.KeyAgreement.PrivateKey, prologue: [UInt8] = [],
        ephemeralKey: Curve25519.KeyAgreement.PrivateKey? = nil
    ) {
        self.isInitiator = isInitiator
        self.staticKey = Array(staticKey.rawRepresentation)
        self.ephemeralKey = ephemeralKey.map { Array($0.rawRepresentation) }
        symmetric = NoiseSymmetricState(protocolName: Self.protocolName)
        symmetric.mixHash(prologue)
    }

    /// Whether all three messages have passed.
    public var isComplete: Bool { messageCount == 3 }

    /// Whether the next message is ours to write.
    public var isOurTurn: Bool { (messageCount % 2 == 0) == isInitiator }

    /// The handshake hash (channel binding), final once complete.
    public var handshakeHash: [UInt8] { symmetric.handshakeHash }

    /// Writes the next message carrying `payload`.
    public mutating func writeMessage(payload: [UInt8]) throws(NoiseError) -> [UInt8] {
        precondition(isOurTurn && !isComplete, "not our turn to write")
        var message: [UInt8] = []
        switch messageCount {
        case 0:
            message += try writeEphemeral()
        case 1:
            message += try writeEphemeral()
            try mixDH(ephemeralKey!, remoteEphemeralKey!)
            message += try symmetric.encryptAndHash(try Self.publicKey(ofPrivate: staticKey))
            try mixDH(staticKey, remoteEphemeralKey!)
        default:
            message += try symmetric.encryptAndHash(try Self.publicKey(ofPrivate: staticKey))
            try mixDH(staticKey, remoteEphemeralKey!)
        }
        message += try symmetric.encryptAndHash(payload)
        messageCount += 1
        return message
    }

    /// Reads the next message and returns its payload.
    public mutating func readMessage(_ bytes: [UInt8]) throws(NoiseError) -> [UInt8] {
        precondition(!isOurTurn && !isComplete, "not our turn to read")
        let message = try NoiseHandshakeMessage(step: messageCount + 1, bytes: bytes)
        switch messageCount {
        case 0:
            try readEphemeral(message.ephemeralKey!)
        case 1:
            try readEphemeral(message.ephemeralKey!)
            try mixDH(ephemeralKey!, remoteEphemeralKey!)
            try readStatic(message.encryptedStaticKey!)
            try mixDH(ephemeralKey!, remoteStaticKey!)
        default:
            try readStatic(message.encryptedStaticKey!)
            try mixDH(ephemeralKey!, remoteStaticKey!)
        }
        let payload = try symmetric.decryptAndHash(message.payload)
        messageCount += 1
        return payload
    }

    /// The transport ciphers (send, receive) for this side; only once complete.
    public func split() -> (send: NoiseCipherState, receive: NoiseCipherState) {
        precondition(isComplete, "handshake not complete")
        let (initiatorToResponder, responderToInitiator) = symmetric.split()
        return isInitiator
            ? (initiatorToResponder, responderToInitiator) : (responderToInitiator, initiatorToResponder)
    }

    private mutating func writeEphemeral() throws(NoiseError) -> [UInt8] {
        let key = ephemeralKey ?? Array(Curve25519.KeyAgreement.PrivateKey().rawRepresentation)
        ephemeralKey = key
        let publicKey = try Self.publicKey(ofPrivate: key)
        symmetric.mixHash(publicKey)
        return publicKey
    }

    private mutating func readEphemeral(_ bytes: [UInt8]) throws(NoiseError) {
        _ = try Self.publicKey(bytes)
        remoteEphemeralKey = bytes
        symmetric.mixHash(bytes)
    }

    private mutating func readStatic(_ sealed: [UInt8]) throws(NoiseError) {
        remoteStaticKey = try symmetric.decryptAndHash(sealed)
    }

    private mutating func mixDH(_ local: [UInt8], _ remote: [UInt8]) throws(NoiseError) {
        do {
            let privateKey = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: local)
            let secret = try privateKey.sharedSecretFromKeyAgreement(with: try Self.publicKey(remote))
            symmetric.mixKey(secret.withUnsafeBytes { Array($0) })
        } catch {
            // Low-order points give an all-zero secret, which the X25519 implementation refuses.
            throw .invalidKey
        }
    }

    private static func publicKey(ofPrivate bytes: [UInt8]) throws(NoiseError) -> [UInt8] {
        do {
            return Array(try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: bytes).publicKey.rawRepresentation)
        } catch {
            throw .invalidKey
        }
    }

    private static func publicKey(_ bytes: [UInt8]) throws(NoiseError) -> Curve25519.KeyAgreement.PublicKey {
        do {
            return try Curve25519.KeyAgreement.PublicKey(rawRepresentation: bytes)
        } catch {
            throw .invalidKey
        }
    }
}
