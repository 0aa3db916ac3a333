import Crypto

/// EIP-2333: the BLS12-381 key tree. Every secret key is 32 big-endian bytes in `SecretBytes`.
///
/// A child key is HKDF_mod_r of the compressed Lamport public key that the parent key and the index define, so the
/// compressed Lamport key is as secret as the child key and is returned as `SecretBytes` too.
public enum KeyDerivation {
    /// HKDF output length for HKDF_mod_r: ceil(3 · ceil(log2 r) / 16) = 48 bytes.
    static let modROutputLength = 48
    /// The Lamport secret keys: 255 chunks of 32 bytes, all of one HKDF-Expand output.
    static let lamportChunkCount = 255

    /// derive_master_SK: the root of the tree for a seed of at least 32 bytes (a BIP-39 seed is 64).
    public static func masterSecretKey(seed: SecretBytes) throws(KeyDerivationError) -> SecretBytes {
        guard seed.count >= 32 else { throw .seedTooShort(bytes: seed.count) }
        return seed.withUnsafeBytes { hkdfModR(inputKeyMaterial: $0) }
    }

    /// derive_child_SK: the child at `index` (0 ..< 2^32) of a 32-byte parent key.
    public static func childSecretKey(parent: SecretBytes, index: UInt32) -> SecretBytes {
        let lamport = lamportPublicKey(parent: parent, index: index)
        return lamport.withUnsafeBytes { hkdfModR(inputKeyMaterial: $0) }
    }

    /// The key at `path` under the master key of `seed`.
    public static func secretKey(seed: SecretBytes, path: DerivationPath) throws(KeyDerivationError) -> SecretBytes {
        try secretKey(master: masterSecretKey(seed: seed), path: path)
    }

    /// The key at `path` (whose indices are all below the master) under an already derived master key.
    public static func secretKey(master: SecretBytes, path: DerivationPath) -> SecretBytes {
        path.indices.reduce(master) { childSecretKey(parent: $0, index: $1) }
    }

    /// parent_SK_to_lamport_PK: SHA-256 over the SHA-256 of each of the 510 Lamport secret chunks derived from the
    /// parent key and from its bitwise complement, salted with the index.
    public static func lamportPublicKey(parent: SecretBytes, index: UInt32) -> SecretBytes {
        precondition(parent.count == 32, "an EIP-2333 secret key is 32 bytes")
        let salt = withUnsafeBytes(of: index.bigEndian) { Array($0) }
        let flipped = SecretBytes(count: 32) { out in
            parent.withUnsafeBytes { key in for index in 0..<32 { out[index] = ~key[index] } }
        }
        var hasher = SHA256()
        for material in [parent, flipped] {
            let chunks = lamportSecretKey(inputKeyMaterial: material, salt: salt)
            chunks.withUnsafeBytes { bytes in
                for chunk in 0..<lamportChunkCount {
                    let slice = UnsafeRawBufferPointer(rebasing: bytes[chunk * 32 ..< chunk * 32 + 32])
                    SHA256.hash(data: slice).withUnsafeBytes { hasher.update(bufferPointer: $0) }
                }
            }
        }
        return SecretBytes(count: 32) { out in hasher.finalize().withUnsafeBytes { out.copyMemory(from: $0) } }
    }

    /// IKM_to_lamport_SK: HKDF-SHA256 (extract with `salt`, expand with empty info) to 255 · 32 bytes.
    static func lamportSecretKey(inputKeyMaterial: SecretBytes, salt: [UInt8]) -> SecretBytes {
        let ikm = inputKeyMaterial.withUnsafeBytes { SymmetricKey(data: $0) }
        let okm = HKDF<SHA256>.deriveKey(
            inputKeyMaterial: ikm, salt: salt, info: [UInt8](), outputByteCount: lamportChunkCount * 32)
        return SecretBytes(count: lamportChunkCount * 32) { out in okm.withUnsafeBytes { out.copyMemory(from: $0) } }
    }

    /// HKDF_mod_r: HKDF-SHA256 of IKM || 0x00 with info `keyInfo` || I2OSP(48, 2), reduced mod r; the salt starts as
    /// "BLS-SIG-KEYGEN-SALT-" and is hashed again for each retry while the result is zero.
    public static func hkdfModR(inputKeyMaterial: UnsafeRawBufferPointer, keyInfo: [UInt8] = []) -> SecretBytes {
        let ikm = SecretBytes(count: inputKeyMaterial.count + 1) { out in
            out.copyMemory(from: inputKeyMaterial)  // the last byte stays I2OSP(0, 1)
        }
        let key = ikm.withUnsafeBytes { SymmetricKey(data: $0) }
        let info = keyInfo + [0, UInt8(modROutputLength)]
        var salt = Array("BLS-SIG-KEYGEN-SALT-".utf8)
        let result = SecretBytes(count: 32)
        repeat {
            salt = Array(SHA256.hash(data: salt))
            let okm = HKDF<SHA256>.deriveKey(
                inputKeyMaterial: key, salt: salt, info: info, outputByteCount: modROutputLength)
            let isZero = okm.withUnsafeBytes { input in
                result.withUnsafeMutableBytes { ScalarReduction.reduce(input, into: $0) }
            }
            // Zero has probability about 2^-255; the loop exists because the EIP defines it.
            if !isZero { break }
        } while true
        return result
    }
}

/// Why a key cannot be derived.
public enum KeyDerivationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// EIP-2333 needs at least 32 bytes of seed.
    case seedTooShort(bytes: Int)

    public var description: String {
        switch self {
        case .seedTooShort(let bytes): "an EIP-2333 seed must be at least 32 bytes, not \(bytes)"
        }
    }
}
