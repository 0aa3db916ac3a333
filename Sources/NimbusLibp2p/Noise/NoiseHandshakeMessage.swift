/// The fields of the three `Noise_XX` handshake messages (Noise section 7.5), split by length before any
/// cryptography:
///
///     -> e                 message 1: ephemeral key (32), payload (plaintext)
///     <- e, ee, s, es      message 2: ephemeral key (32), encrypted static key (32 + 16), encrypted payload (n + 16)
///     -> s, se             message 3: encrypted static key (32 + 16), encrypted payload (n + 16)
///
/// A message too short for its fields is refused here, so the crypto code only sees well-sized inputs.
public struct NoiseHandshakeMessage: Equatable, Sendable {
    /// X25519 public key length.
    public static let keyLength = 32
    /// ChaChaPoly tag length.
    public static let tagLength = 16

    /// The ephemeral public key (messages 1 and 2).
    public let ephemeralKey: [UInt8]?
    /// The encrypted static public key with its tag (messages 2 and 3).
    public let encryptedStaticKey: [UInt8]?
    /// The payload: plaintext in message 1, ciphertext with tag in messages 2 and 3.
    public let payload: [UInt8]

    /// Splits handshake message `step` (1, 2 or 3).
    public init<Bytes: Collection<UInt8>>(step: Int, bytes: Bytes) throws(NoiseError) {
        let bytes = Array(bytes)
        let key = Self.keyLength
        let sealedKey = Self.keyLength + Self.tagLength
        switch step {
        case 1:
            guard bytes.count >= key else { throw .malformedHandshakeMessage(step: 1, reason: "shorter than a key") }
            ephemeralKey = Array(bytes[..<key])
            encryptedStaticKey = nil
            payload = Array(bytes[key...])
        case 2:
            guard bytes.count >= key + sealedKey + Self.tagLength else {
                throw .malformedHandshakeMessage(step: 2, reason: "too short for its keys and tag")
            }
            ephemeralKey = Array(bytes[..<key])
            encryptedStaticKey = Array(bytes[key..<(key + sealedKey)])
            payload = Array(bytes[(key + sealedKey)...])
        case 3:
            guard bytes.count >= sealedKey + Self.tagLength else {
                throw .malformedHandshakeMessage(step: 3, reason: "too short for its key and tag")
            }
            ephemeralKey = nil
            encryptedStaticKey = Array(bytes[..<sealedKey])
            payload = Array(bytes[sealedKey...])
        default:
            throw .malformedHandshakeMessage(step: step, reason: "XX has three messages")
        }
    }
}
