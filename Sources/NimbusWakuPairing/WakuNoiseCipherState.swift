import Crypto

/// Noise's CipherState with ChaChaPoly: a key and a counting nonce (4 zero bytes, then the counter little-endian).
struct WakuNoiseCipherState: Sendable {
    /// js-noise keeps its nonce in 32 bits and refuses to go past 2^32 - 1; so do we, so both stop together.
    static let maximumNonce: UInt64 = 0xFFFF_FFFF

    // Raw bytes rather than SymmetricKey, which this swift-crypto does not mark Sendable.
    private let keyBytes: [UInt8]?
    private(set) var nonce: UInt64 = 0

    init(key: [UInt8]? = nil) {
        keyBytes = key
    }

    private var key: SymmetricKey? { keyBytes.map { SymmetricKey(data: $0) } }

    var hasKey: Bool { keyBytes != nil }

    private func nonceBytes() -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 { bytes[4 + index] = UInt8(nonce >> (8 * UInt64(index)) & 0xFF) }
        return try! ChaChaPoly.Nonce(data: bytes)  // 12 bytes is the size ChaChaPoly.Nonce takes: cannot fail
    }

    /// Without a key Noise passes the plaintext through; the pairing always has a key before its first payload.
    mutating func encrypt(associatedData: [UInt8], plaintext: [UInt8]) throws(WakuPairingError) -> [UInt8] {
        guard let key else { return plaintext }
        guard nonce < Self.maximumNonce else { throw .nonceExhausted }
        // Sealing fails only for a malformed key or nonce, which this type never builds: a programmer error.
        let sealed = try! ChaChaPoly.seal(plaintext, using: key, nonce: nonceBytes(), authenticating: associatedData)
        nonce += 1
        return Array(sealed.ciphertext) + Array(sealed.tag)
    }

    /// The nonce advances only when the message authenticates, so a forged message does not desynchronise the peers.
    mutating func decrypt(associatedData: [UInt8], ciphertext: [UInt8]) throws(WakuPairingError) -> [UInt8] {
        guard let key else { return ciphertext }
        guard nonce < Self.maximumNonce else { throw .nonceExhausted }
        guard ciphertext.count >= 16 else { throw .decryptionFailed }
        let plaintext: [UInt8]
        do {
            let box = try ChaChaPoly.SealedBox(
                nonce: nonceBytes(), ciphertext: ciphertext.dropLast(16), tag: ciphertext.suffix(16))
            plaintext = Array(try ChaChaPoly.open(box, using: key, authenticating: associatedData))
        } catch {
            throw .decryptionFailed
        }
        nonce += 1
        return plaintext
    }
}
