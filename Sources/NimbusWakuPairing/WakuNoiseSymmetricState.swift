import Crypto

/// Noise's SymmetricState (chaining key, handshake hash, cipher state), with one addition from 35/WAKU2-NOISE: a
/// payload's encryption authenticates the message nametag after the handshake hash, binding the nametag to the
/// payload. Static keys are encrypted with the handshake hash alone, as plain Noise does.
struct WakuNoiseSymmetricState: Sendable {
    static let protocolName = "Noise_WakuPairing_25519_ChaChaPoly_SHA256"

    private(set) var chainingKey: [UInt8]
    private(set) var handshakeHash: [UInt8]
    private(set) var cipher = WakuNoiseCipherState()

    init() {
        // The name is longer than 32 bytes, so Noise hashes it rather than padding it.
        handshakeHash = WakuNoisePrimitives.sha256(Array(Self.protocolName.utf8))
        chainingKey = handshakeHash
    }

    mutating func mixHash(_ data: [UInt8]) {
        handshakeHash = WakuNoisePrimitives.sha256(handshakeHash, data)
    }

    mutating func mixKey(_ inputKeyMaterial: [UInt8]) {
        let out = WakuNoisePrimitives.hkdf(salt: chainingKey, inputKeyMaterial: inputKeyMaterial, outputs: 2)
        chainingKey = out[0]
        cipher = WakuNoiseCipherState(key: out[1])
    }

    mutating func encryptAndHash(_ plaintext: [UInt8], extraAssociatedData: [UInt8] = [])
        throws(WakuPairingError) -> [UInt8]
    {
        let ciphertext = try cipher.encrypt(associatedData: handshakeHash + extraAssociatedData, plaintext: plaintext)
        mixHash(ciphertext)
        return ciphertext
    }

    mutating func decryptAndHash(_ ciphertext: [UInt8], extraAssociatedData: [UInt8] = [])
        throws(WakuPairingError) -> [UInt8]
    {
        let plaintext = try cipher.decrypt(associatedData: handshakeHash + extraAssociatedData, ciphertext: ciphertext)
        mixHash(ciphertext)
        return plaintext
    }

    /// The initiator-to-responder and responder-to-initiator cipher states, in that order.
    func split() -> (WakuNoiseCipherState, WakuNoiseCipherState) {
        let out = WakuNoisePrimitives.hkdf(salt: chainingKey, inputKeyMaterial: [], outputs: 2)
        return (WakuNoiseCipherState(key: out[0]), WakuNoiseCipherState(key: out[1]))
    }
}
