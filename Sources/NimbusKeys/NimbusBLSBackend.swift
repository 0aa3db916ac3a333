import NimbusBLS

/// `BLSBackend` over the NimbusBLS module.
///
/// NimbusBLS takes a secret key as `[UInt8]`: each call makes that one array, hands it over and wipes it, and wipes
/// the `SecretKey` it built once done, so no copy outlives the call (register and stack residue aside).
public struct NimbusBLSBackend: BLSBackend {
    public init() {}

    public func publicKey(secretKey: SecretBytes) throws -> [UInt8] {
        try withSecretKey(secretKey) { $0.publicKey().compressed }
    }

    public func sign(_ message: [UInt8], secretKey: SecretBytes) throws -> [UInt8] {
        try withSecretKey(secretKey) { $0.sign(message).compressed }
    }

    public func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool {
        guard let key = try? PublicKey(compressed: publicKey),
              let parsed = try? Signature(compressed: signature) else { return false }
        return parsed.verify(message, publicKey: key)
    }

    private func withSecretKey<R>(_ secret: SecretBytes, _ body: (SecretKey) -> R) throws -> R {
        var bytes = secret.copyToArray()
        defer { SecretBytes.wipe(&bytes) }
        let key = try SecretKey(bytes: bytes)
        defer { key.wipe() }
        return body(key)
    }
}
