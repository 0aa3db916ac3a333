/// Why a Noise handshake or transport failed. Every case ends the connection.
public enum NoiseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A length prefix above the limit for the current phase.
    case frameTooLarge(length: Int, limit: Int)
    /// A handshake message too short for the fields its step carries.
    case malformedHandshakeMessage(step: Int, reason: String)
    /// Authentication of a handshake field or transport frame failed.
    case decryptionFailed
    /// The handshake payload is not a valid NoiseHandshakePayload.
    case invalidPayload(String)
    /// The payload's identity key is malformed.
    case invalidIdentityKey(String)
    /// The peer's identity key type cannot sign here (RSA, ECDSA).
    case unsupportedKeyType(String)
    /// The identity signature over the Noise static key does not verify.
    case invalidSignature
    /// The peer is not the one that was dialed.
    case peerIDMismatch(expected: String, actual: String)
    /// 2^64 - 1 messages in one direction (Noise section 5.1 reserves the last nonce).
    case nonceExhausted
    /// A Diffie-Hellman input is not a valid public key.
    case invalidKey
    /// Bytes arrived where the handshake expects none (the initiator's peer speaking after message 2).
    case unexpectedMessage

    /// A reason for logs; no key material or payload.
    public var description: String {
        switch self {
        case .frameTooLarge(let length, let limit): "noise: frame of \(length) bytes above limit \(limit)"
        case .malformedHandshakeMessage(let step, let reason): "noise: handshake message \(step) \(reason)"
        case .decryptionFailed: "noise: decryption failed"
        case .invalidPayload(let reason): "noise: invalid handshake payload: \(reason)"
        case .invalidIdentityKey(let reason): "noise: invalid identity key: \(reason)"
        case .unsupportedKeyType(let type): "noise: unsupported identity key type \(type)"
        case .invalidSignature: "noise: identity signature does not verify"
        case .peerIDMismatch(let expected, let actual): "noise: expected peer \(expected), got \(actual)"
        case .nonceExhausted: "noise: nonce exhausted"
        case .invalidKey: "noise: invalid Diffie-Hellman public key"
        case .unexpectedMessage: "noise: unexpected handshake message"
        }
    }
}
