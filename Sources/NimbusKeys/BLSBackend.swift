/// The two BLS12-381 operations key generation needs (SkToPk, Sign) and the one verification needs (Verify), in the
/// proof-of-possession ciphersuite Ethereum uses. `NimbusBLSBackend` implements it with the NimbusBLS module;
/// tests may substitute another implementation.
public protocol BLSBackend: Sendable {
    /// The 48-byte compressed public key of a 32-byte secret key.
    func publicKey(secretKey: SecretBytes) throws -> [UInt8]
    /// The 96-byte compressed signature of `message` under a 32-byte secret key.
    func sign(_ message: [UInt8], secretKey: SecretBytes) throws -> [UInt8]
    /// Whether `signature` (96 bytes) is valid for `message` under `publicKey` (48 bytes); false for any
    /// malformed input.
    func verify(signature: [UInt8], message: [UInt8], publicKey: [UInt8]) -> Bool
}
