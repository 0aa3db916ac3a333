import Crypto

/// An EIP-2335 (version 4) keystore: a BLS secret key encrypted under a password.
///
/// The value holds only public or encrypted data, so it may be logged; `decrypt` returns the secret in
/// `SecretBytes`. `KeystoreJSON` reads and writes the file format.
public struct Keystore: Equatable, Sendable {
    /// The password-hashing step and its salt.
    public var kdf: KeystoreKDF
    /// SHA-256(decryption key[16..<32] || cipher message): tells a wrong password from a right one.
    public var checksum: [UInt8]
    /// The AES-128-CTR initial counter block (16 bytes).
    public var iv: [UInt8]
    /// The encrypted 32-byte secret key.
    public var cipherMessage: [UInt8]
    /// The 48-byte compressed BLS public key of the secret, if the file names it (EIP-2335 makes it optional).
    public var pubkey: [UInt8]?
    /// The EIP-2334 path the key was derived at, or nil for the empty path ("" in the file: not derived or unknown).
    public var path: DerivationPath?
    /// The keystore's UUID (RFC 4122 text form, as found in the file).
    public var uuid: String
    /// The free-text description field (ethstaker-deposit-cli writes "").
    public var descriptionText: String
    /// Always 4.
    public var version: Int { 4 }

    /// A keystore from its parts (no cryptographic check: `decrypt` does that).
    public init(
        kdf: KeystoreKDF, checksum: [UInt8], iv: [UInt8], cipherMessage: [UInt8], pubkey: [UInt8]?,
        path: DerivationPath?, uuid: String, descriptionText: String = ""
    ) {
        self.kdf = kdf
        self.checksum = checksum
        self.iv = iv
        self.cipherMessage = cipherMessage
        self.pubkey = pubkey
        self.path = path
        self.uuid = uuid
        self.descriptionText = descriptionText
    }

    /// Encrypts `secret` (a 32-byte BLS secret key) under `password`.
    ///
    /// - Parameters:
    ///   - pubkey: the secret's compressed public key (48 bytes), computed by the caller's BLS code.
    ///   - kdf: defaults to ethstaker-deposit-cli's scrypt with a fresh salt. Parameters below ethstaker's own
    ///     minimum (scrypt n·r·p < 2^20, PBKDF2 c < 2^18) are refused unless `allowWeakParameters` (tests only).
    ///   - iv, uuid: fresh random values unless given (tests and reproducible fixtures).
    public static func encrypt(
        secret: SecretBytes, password: String, pubkey: [UInt8], path: DerivationPath?,
        kdf: KeystoreKDF = .random(), descriptionText: String = "", iv: [UInt8]? = nil, uuid: String? = nil,
        allowWeakParameters: Bool = false
    ) throws(KeystoreError) -> Keystore {
        let key = try KeystoreDecryptionKey.derive(
            password: password, kdf: kdf, allowWeakParameters: allowWeakParameters)
        return try encrypt(
            secret: secret, key: key, pubkey: pubkey, path: path, descriptionText: descriptionText, iv: iv, uuid: uuid)
    }

    /// Encrypts `secret` with an already derived key: how a batch of keystores shares one scrypt run (one salt,
    /// one password, a fresh IV each), as ethstaker-deposit-cli does.
    public static func encrypt(
        secret: SecretBytes, key: KeystoreDecryptionKey, pubkey: [UInt8], path: DerivationPath?,
        descriptionText: String = "", iv: [UInt8]? = nil, uuid: String? = nil
    ) throws(KeystoreError) -> Keystore {
        guard secret.count == 32 else { throw .wrongLength(field: "secret", expected: 32, found: secret.count) }
        guard pubkey.count == 48 else { throw .wrongLength(field: "pubkey", expected: 48, found: pubkey.count) }
        var generator = SystemRandomNumberGenerator()
        let iv = iv ?? (0..<16).map { _ in generator.next() }
        guard iv.count == 16 else {
            throw .wrongLength(field: "crypto.cipher.params.iv", expected: 16, found: iv.count)
        }
        let uuid = uuid ?? UUIDText.random(using: &generator)
        guard UUIDText.isValid(uuid) else { throw .invalidUUID }
        let cipherMessage = key.bytes.withUnsafeBytes { keyBytes in
            secret.withUnsafeBytes { plain in
                AES128CTR.apply(key: UnsafeRawBufferPointer(rebasing: keyBytes[0..<16]), iv: iv, to: plain)
            }.copyToArray()  // ciphertext: public
        }
        return Keystore(
            kdf: key.kdf, checksum: key.checksum(cipherMessage: cipherMessage), iv: iv, cipherMessage: cipherMessage,
            pubkey: pubkey, path: path, uuid: uuid, descriptionText: descriptionText)
    }

    /// The secret key, after checking the password against the checksum (compared in constant time).
    public func decrypt(password: String) throws(KeystoreError) -> SecretBytes {
        try decrypt(key: KeystoreDecryptionKey.derive(password: password, kdf: kdf, allowWeakParameters: true))
    }

    /// The secret key with an already derived key (see `KeystoreDecryptionKey`); its KDF must be this keystore's.
    public func decrypt(key: KeystoreDecryptionKey) throws(KeystoreError) -> SecretBytes {
        guard key.kdf == kdf else { throw .keyForAnotherKDF }
        guard ConstantTime.equals(key.checksum(cipherMessage: cipherMessage), checksum) else { throw .wrongPassword }
        let secret = key.bytes.withUnsafeBytes { keyBytes in
            cipherMessage.withUnsafeBytes { encrypted in
                AES128CTR.apply(key: UnsafeRawBufferPointer(rebasing: keyBytes[0..<16]), iv: iv, to: encrypted)
            }
        }
        // A right password with a secret outside 1..<r means a damaged or non-BLS keystore: say so, not "wrong key".
        let isScalar = secret.withUnsafeBytes { bytes in
            SecretBytes(count: 32).withUnsafeMutableBytes { reduced in
                let isZero = ScalarReduction.reduce(bytes, into: reduced)
                return !isZero && ConstantTime.equals(bytes, UnsafeRawBufferPointer(reduced))
            }
        }
        guard secret.count == 32, isScalar else { throw .secretNotABLSKey }
        return secret
    }
}

/// A keystore decryption key (the 32-byte KDF output) with the KDF it came from.
///
/// Deriving it is the slow step (scrypt: about a second and 256 MiB). Keep one to encrypt many keystores with the
/// same password and salt, or to decrypt several keystores that share a salt.
public struct KeystoreDecryptionKey: Sendable {
    public let kdf: KeystoreKDF
    public let bytes: SecretBytes

    /// Runs the KDF over the EIP-2335-processed `password`.
    public static func derive(
        password: String, kdf: KeystoreKDF, allowWeakParameters: Bool = false
    ) throws(KeystoreError) -> KeystoreDecryptionKey {
        try derive(processedPassword: KeystorePassword.process(password), kdf: kdf,
                   allowWeakParameters: allowWeakParameters)
    }

    /// Runs the KDF over password bytes already processed (`KeystorePassword.process`), e.g. held in locked memory.
    public static func derive(
        processedPassword: SecretBytes, kdf: KeystoreKDF, allowWeakParameters: Bool = false
    ) throws(KeystoreError) -> KeystoreDecryptionKey {
        if !allowWeakParameters {
            switch kdf.function {
            case .scrypt(let n, let r, let p) where n * r * p < 1 << 20:
                throw .weakKDFParameters
            case .pbkdf2(let c) where c < 1 << 18:
                throw .weakKDFParameters
            default:
                break
            }
        }
        return KeystoreDecryptionKey(kdf: kdf, bytes: try kdf.deriveKey(processedPassword: processedPassword))
    }

    /// SHA-256(key[16..<32] || cipherMessage).
    func checksum(cipherMessage: [UInt8]) -> [UInt8] {
        var hasher = SHA256()
        bytes.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[16..<32])) }
        hasher.update(data: cipherMessage)
        return Array(hasher.finalize())
    }
}

extension KeystoreDecryptionKey: CustomStringConvertible {
    public var description: String { "KeystoreDecryptionKey(\(kdf.function.name), redacted)" }
}
