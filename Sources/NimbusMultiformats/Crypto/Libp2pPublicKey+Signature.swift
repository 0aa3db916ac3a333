import Crypto

extension Libp2pPublicKey {
    /// Whether `signature` is this key's signature of `message`, by the key type's libp2p rules (peer-ids spec,
    /// "Key Types"): Ed25519 signs the message itself (RFC 8032); secp256k1 signs its SHA-256 with ECDSA, the
    /// signature DER-encoded. RSA and ECDSA keys are not supported and never verify.
    public func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        switch keyType {
        case .ed25519:
            guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: data) else { return false }
            return key.isValidSignature(signature, for: message)
        case .secp256k1:
            let digest = Array(SHA256.hash(data: message))
            return Secp256k1.verifyDER(signature: signature, digest: digest, publicKey: data)
        case .rsa, .ecdsa:
            return false
        }
    }
}
