import Crypto

/// A Noise SymmetricState (Noise section 5.2) with SHA-256: the chaining key, the handshake hash and the
/// CipherState of the handshake.
public struct NoiseSymmetricState: Sendable {
    /// The chaining key.
    private var chainingKey: [UInt8]
    /// The handshake hash; after the handshake it identifies the session (channel binding).
    public private(set) var handshakeHash: [UInt8]
    private var cipher = NoiseCipherState()

    /// InitializeSymmetric: the protocol name, zero-padded if at most 32 bytes, else hashed.
    public init(protocolName: String) {
        let name = Array(protocolName.utf8)
        handshakeHash = name.count <= 32 ? name + [UInt8](repeating: 0, count: 32 - name.count) : Self.hash(name)
        chainingKey = handshakeHash
    }

    /// MixKey: a new chaining key and cipher key from the chaining key and `input` keying material.
    public mutating func mixKey(_ input: [UInt8]) {
        let outputs = Self.hkdf(chainingKey: chainingKey, input: input)
        chainingKey = outputs.0
        cipher = NoiseCipherState(key: outputs.1)
    }

    /// MixHash: h = SHA-256(h || data).
    public mutating func mixHash(_ data: [UInt8]) {
        handshakeHash = Self.hash(handshakeHash + data)
    }

    /// EncryptAndHash: encrypt with h as associated data (plaintext before the first key), then mix the result.
    public mutating func encryptAndHash(_ plaintext: [UInt8]) throws(NoiseError) -> [UInt8] {
        let ciphertext = try cipher.encrypt(plaintext, associatedData: handshakeHash)
        mixHash(ciphertext)
        return ciphertext
    }

    /// DecryptAndHash: decrypt with h as associated data, then mix the ciphertext.
    public mutating func decryptAndHash(_ ciphertext: [UInt8]) throws(NoiseError) -> [UInt8] {
        let plaintext = try cipher.decrypt(ciphertext, associatedData: handshakeHash)
        mixHash(ciphertext)
        return plaintext
    }

    /// Split's two raw keys, initiator-to-responder first, for transports that carry explicit nonces (messages over
    /// Waku may arrive out of order, so the CipherState's implicit counter does not fit them).
    public func splitKeys() -> (initiatorToResponder: [UInt8], responderToInitiator: [UInt8]) {
        Self.hkdf(chainingKey: chainingKey, input: [])
    }

    /// Split: the two transport CipherStates, initiator-to-responder first.
    public func split() -> (NoiseCipherState, NoiseCipherState) {
        let outputs = Self.hkdf(chainingKey: chainingKey, input: [])
        return (NoiseCipherState(key: outputs.0), NoiseCipherState(key: outputs.1))
    }

    private static func hash(_ data: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: data))
    }

    /// HKDF as Noise section 4.3 defines it (two outputs): HMAC-SHA-256 with the chaining key as the salt.
    private static func hkdf(chainingKey: [UInt8], input: [UInt8]) -> ([UInt8], [UInt8]) {
        let tempKey = SymmetricKey(data: hmac(key: SymmetricKey(data: chainingKey), input))
        let first = hmac(key: tempKey, [0x01])
        let second = hmac(key: tempKey, first + [0x02])
        return (first, second)
    }

    private static func hmac(key: SymmetricKey, _ data: [UInt8]) -> [UInt8] {
        Array(HMAC<SHA256>.authenticationCode(for: data, using: key))
    }
}
