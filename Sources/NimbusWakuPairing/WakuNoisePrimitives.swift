import Crypto

/// The hash, KDF, DH and padding of `Noise_WakuPairing_25519_ChaChaPoly_SHA256`, in one place so that the handshake
/// and the transport use the same definitions.
enum WakuNoisePrimitives {
    static func sha256(_ parts: [UInt8]...) -> [UInt8] {
        var hasher = SHA256()
        for part in parts { hasher.update(data: part) }
        return Array(hasher.finalize())
    }

    /// Noise's HKDF(ck, ikm): RFC 5869 with the chaining key as salt and empty info. The pairing also calls it with
    /// the handshake hash as salt and empty input (auth code, nametags, nametag secrets).
    static func hkdf(salt: [UInt8], inputKeyMaterial: [UInt8], outputs: Int, length: Int = 32) -> [[UInt8]] {
        let key = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: inputKeyMaterial), salt: salt, info: [UInt8](),
            outputByteCount: outputs * length)
        let bytes = key.withUnsafeBytes { Array($0) }
        return (0..<outputs).map { Array(bytes[($0 * length)..<(($0 + 1) * length)]) }
    }

    /// X25519. A peer key that yields the all-zero secret (a low-order point) is refused as invalid, as
    /// 43/WAKU2-DEVICE-PAIRING asks for keys that are "not a valid public key". swift-crypto returns that secret
    /// without complaint, so the check is here; the OR over all bytes keeps it free of an early exit.
    static func dh(_ privateKey: Curve25519.KeyAgreement.PrivateKey, _ publicKey: [UInt8])
        throws(WakuPairingError) -> [UInt8]
    {
        let secret: [UInt8]
        do {
            let peer = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: publicKey)
            secret = try privateKey.sharedSecretFromKeyAgreement(with: peer).withUnsafeBytes { Array($0) }
        } catch {
            throw .invalidPublicKey
        }
        guard secret.reduce(0, |) != 0 else { throw .invalidPublicKey }
        return secret
    }

    /// Every handshake and transport payload is padded with PKCS#7 to a multiple of 248 bytes before encryption (so
    /// lengths leak only in 248-byte steps); a payload already a multiple of 248 gets a whole block of padding.
    static let paddingBlock = 248

    static func pad(_ message: [UInt8]) -> [UInt8] {
        let count = paddingBlock - message.count % paddingBlock
        return message + [UInt8](repeating: UInt8(count), count: count)
    }

    /// Strict unpadding: js-noise only ever writes well-formed padding, so anything else is tampering or a bug.
    static func unpad(_ padded: [UInt8]) throws(WakuPairingError) -> [UInt8] {
        guard let last = padded.last, padded.count % paddingBlock == 0, last >= 1, Int(last) <= paddingBlock,
            padded.suffix(Int(last)).allSatisfy({ $0 == last })
        else { throw .badPadding }
        return Array(padded.dropLast(Int(last)))
    }
}
