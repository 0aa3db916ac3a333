import Crypto

/// A Noise CipherState (Noise section 5.1) for ChaChaPoly: a key and a 64-bit counter nonce, encoded as 32 zero
/// bits then the counter little-endian (section 12.3).
public struct NoiseCipherState: Sendable {
    /// The raw key; swift-crypto's `SymmetricKey` is not `Sendable`, so one is made per operation.
    private var key: [UInt8]?
    /// The next nonce.
    public private(set) var nonce: UInt64 = 0
    /// ChaChaPoly's authentication tag.
    public static let tagLength = 16

    /// A state without a key: encryption is the identity (before the first MixKey).
    public init() {}

    /// A state with a 32-byte key and nonce 0.
    public init(key: [UInt8]) {
        self.key = key
    }

    /// Whether a key is set.
    public var hasKey: Bool { key != nil }

    /// Encrypts with associated data, advancing the nonce; plaintext passes through without a key.
    public mutating func encrypt(_ plaintext: [UInt8], associatedData: [UInt8] = []) throws(NoiseError) -> [UInt8] {
        guard let key else { return plaintext }
        let nonceBytes = try nextNonce()
        do {
            let box = try ChaChaPoly.seal(
                plaintext, using: SymmetricKey(data: key), nonce: try ChaChaPoly.Nonce(data: nonceBytes),
                authenticating: associatedData
            )
            return Array(box.ciphertext) + Array(box.tag)
        } catch {
            throw .decryptionFailed
        }
    }

    /// Decrypts and authenticates with associated data, advancing the nonce only on success.
    public mutating func decrypt(_ ciphertext: [UInt8], associatedData: [UInt8] = []) throws(NoiseError) -> [UInt8] {
        guard let key else { return ciphertext }
        guard ciphertext.count >= Self.tagLength else { throw .decryptionFailed }
        guard nonce != UInt64.max else { throw .nonceExhausted }
        let split = ciphertext.count - Self.tagLength
        do {
            let box = try ChaChaPoly.SealedBox(
                nonce: try ChaChaPoly.Nonce(data: Self.nonceBytes(nonce)),
                ciphertext: ciphertext[..<split], tag: ciphertext[split...]
            )
            let plaintext = try ChaChaPoly.open(box, using: SymmetricKey(data: key), authenticating: associatedData)
            nonce += 1
            return Array(plaintext)
        } catch {
            throw .decryptionFailed
        }
    }

    private mutating func nextNonce() throws(NoiseError) -> [UInt8] {
        guard nonce != UInt64.max else { throw .nonceExhausted }
        defer { nonce += 1 }
        return Self.nonceBytes(nonce)
    }

    private static func nonceBytes(_ nonce: UInt64) -> [UInt8] {
        [0, 0, 0, 0] + (0..<8).map { UInt8(truncatingIfNeeded: nonce >> (8 * UInt64($0))) }
    }
}
