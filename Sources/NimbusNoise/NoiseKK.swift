import Crypto


/// `Noise_KK_25519_ChaChaPoly_SHA256`: a session between two parties that already know each other's static keys
/// (pinned at pairing). Both statics are pre-messages; every session has fresh ephemerals (forward secrecy), and
/// each side proves its static key in the handshake itself:
///
///     -> s
///     <- s
///     ...
///     -> e, es, ss
///     <- e, ee, se
public struct NoiseKKHandshake: Sendable {
    public static let protocolName = "Noise_KK_25519_ChaChaPoly_SHA256"

    public let isInitiator: Bool
    private var symmetric: NoiseSymmetricState
    private let staticKey: [UInt8]
    private let remoteStaticKey: [UInt8]
    private var ephemeralKey: [UInt8]?
    private var remoteEphemeralKey: [UInt8]?
    public private(set) var messageCount = 0

    /// - Parameters:
    ///   - staticKey: this side's X25519 private key (32 bytes).
    ///   - remoteStaticKey: the pinned public key of the other side.
    ///   - ephemeralKey: a fixed ephemeral private key, for test vectors only.
    public init(
        isInitiator: Bool, staticKey: [UInt8], remoteStaticKey: [UInt8], prologue: [UInt8] = [],
        ephemeralKey: [UInt8]? = nil
    ) throws(NoiseError) {
        self.isInitiator = isInitiator
        self.staticKey = staticKey
        self.remoteStaticKey = remoteStaticKey
        self.ephemeralKey = ephemeralKey
        symmetric = NoiseSymmetricState(protocolName: Self.protocolName)
        symmetric.mixHash(prologue)
        let ours = try Self.publicKey(staticKey)
        // Pre-messages in pattern order: the initiator's static, then the responder's.
        symmetric.mixHash(isInitiator ? ours : remoteStaticKey)
        symmetric.mixHash(isInitiator ? remoteStaticKey : ours)
    }

    public var isComplete: Bool { messageCount == 2 }
    public var handshakeHash: [UInt8] { symmetric.handshakeHash }

    /// Writes the next handshake message with `payload` (encrypted: both messages are sent after a DH).
    public mutating func writeMessage(payload: [UInt8]) throws(NoiseError) -> [UInt8] {
        precondition((messageCount == 0) == isInitiator && messageCount < 2, "not our turn to write")
        let ephemeral = ephemeralKey ?? Array(Curve25519.KeyAgreement.PrivateKey().rawRepresentation)
        ephemeralKey = ephemeral
        let ephemeralPublic = try Self.publicKey(ephemeral)
        symmetric.mixHash(ephemeralPublic)
        if messageCount == 0 {
            symmetric.mixKey(try Self.dh(ephemeral, remoteStaticKey))  // es
            symmetric.mixKey(try Self.dh(staticKey, remoteStaticKey))  // ss
        } else {
            symmetric.mixKey(try Self.dh(ephemeral, remoteEphemeralKey!))  // ee
            symmetric.mixKey(try Self.dh(ephemeral, remoteStaticKey))  // se (responder's e, initiator's s)
        }
        let body = try symmetric.encryptAndHash(payload)
        messageCount += 1
        return ephemeralPublic + body
    }

    /// Reads the next handshake message; returns its payload. A wrong static key on either side fails here.
    public mutating func readMessage(_ message: [UInt8]) throws(NoiseError) -> [UInt8] {
        precondition((messageCount == 0) != isInitiator && messageCount < 2, "not our turn to read")
        guard message.count >= 32 + 16 else { throw .decryptionFailed }
        let remoteEphemeral = Array(message[0..<32])
        remoteEphemeralKey = remoteEphemeral
        symmetric.mixHash(remoteEphemeral)
        if messageCount == 0 {
            symmetric.mixKey(try Self.dh(staticKey, remoteEphemeral))  // es, as the responder sees it
            symmetric.mixKey(try Self.dh(staticKey, remoteStaticKey))  // ss
        } else {
            symmetric.mixKey(try Self.dh(ephemeralKey!, remoteEphemeral))  // ee
            symmetric.mixKey(try Self.dh(staticKey, remoteEphemeral))  // se, as the initiator sees it
        }
        let payload = try symmetric.decryptAndHash(Array(message[32...]))
        messageCount += 1
        return payload
    }

    /// The transport keys once complete: (send, receive) for this side.
    public func transportKeys() -> (send: [UInt8], receive: [UInt8]) {
        precondition(isComplete, "the handshake is not complete")
        let keys = symmetric.splitKeys()
        return isInitiator ? (keys.initiatorToResponder, keys.responderToInitiator)
            : (keys.responderToInitiator, keys.initiatorToResponder)
    }

    static func publicKey(_ privateKey: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: privateKey) else {
            throw .invalidIdentityKey("not a usable X25519 key")
        }
        return Array(key.publicKey.rawRepresentation)
    }

    static func dh(_ privateKey: [UInt8], _ publicKey: [UInt8]) throws(NoiseError) -> [UInt8] {
        guard let ours = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: privateKey),
            let theirs = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: publicKey),
            let shared = try? ours.sharedSecretFromKeyAgreement(with: theirs)
        else { throw .invalidIdentityKey("not a usable X25519 key") }
        return shared.withUnsafeBytes { Array($0) }
    }
}
