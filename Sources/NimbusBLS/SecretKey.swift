// Secret keys: a scalar in [1, r) in one heap allocation that `wipe()` and deinitialisation zero.

/// A BLS secret key: an integer SK with 1 <= SK < r, 32 bytes big-endian on the wire.
///
/// The scalar lives in one heap box shared by all copies of this value, so `wipe()` on any copy zeroes it for
/// every copy, and the box zeroes itself when the last copy goes away. After `wipe()`, `publicKey()` and `sign(_:)`
/// stop the program (a use after wipe is a bug, not an input error). `bytes` hands out a copy that the caller owns
/// and must clear itself. Calling `wipe()` while another thread signs with the same key is a data race.
public struct SecretKey: Sendable {
    /// The box. Its state changes only in `init`, `wipe()` and `deinit`; see the type's note on concurrency.
    final class Storage: @unchecked Sendable {
        var scalar: Scalar
        var isWiped = false

        init(_ scalar: Scalar) {
            self.scalar = scalar
        }

        func wipe() {
            withUnsafeMutablePointer(to: &scalar) { secureZero(UnsafeMutableRawPointer($0), count: 32) }
            isWiped = true
        }

        deinit {
            withUnsafeMutablePointer(to: &scalar) { secureZero(UnsafeMutableRawPointer($0), count: 32) }
        }
    }

    let storage: Storage

    init(scalar: Scalar) {
        storage = Storage(scalar)
    }

    /// Reads 32 big-endian bytes; the integer must satisfy 1 <= SK < r. The range check is constant time.
    public init(bytes: [UInt8]) throws(BLSError) {
        guard bytes.count == 32 else { throw BLSError.wrongLength("secret key", actual: bytes.count, expected: 32) }
        var scalar = Scalar(bigEndian: bytes[...])
        let valid = scalar.isValidSecretMask != 0
        guard valid else {
            withUnsafeMutablePointer(to: &scalar) { secureZero(UnsafeMutableRawPointer($0), count: 32) }
            throw BLSError(.secretKeyOutOfRange, "secret key is not in the range [1, r)")
        }
        self.init(scalar: scalar)
    }

    /// KeyGen of draft-irtf-cfrg-bls-signature-05, section 2.3: HKDF-SHA256 with the salt "BLS-SIG-KEYGEN-SALT-",
    /// re-hashed with SHA-256 before each attempt, IKM || I2OSP(0, 1) as input, key_info || I2OSP(L, 2) as info,
    /// L = 48 bytes (ceil(3 * ceil(log2(r)) / 16), so the reduction mod r is close to uniform). Loops while the
    /// result is zero (probability about 2^-255). `ikm` must be at least 32 bytes of secret randomness.
    public static func keyGen(ikm: [UInt8], keyInfo: [UInt8] = []) throws(BLSError) -> SecretKey {
        guard ikm.count >= 32 else {
            throw BLSError(.keyMaterialTooShort, "key material is too short: \(ikm.count) bytes, at least 32 needed")
        }
        let length = 48
        var salt = Array("BLS-SIG-KEYGEN-SALT-".utf8)
        // IKM || I2OSP(0, 1) is a copy of the secret: it is wiped with the other intermediates.
        var input = ikm + [0]
        defer { input.withUnsafeMutableBytes { secureZero($0.baseAddress!, count: $0.count) } }
        while true {
            salt = HashBackend.sha256(salt)
            var prk = HashBackend.hkdfExtract(salt: salt, inputKeyMaterial: input)
            var okm = HashBackend.hkdfExpand(
                pseudoRandomKey: prk, info: keyInfo + [UInt8(length >> 8), UInt8(length & 0xff)], length: length
            )
            var scalar = Scalar(reducingBigEndian: okm)
            prk.withUnsafeMutableBytes { secureZero($0.baseAddress!, count: $0.count) }
            okm.withUnsafeMutableBytes { secureZero($0.baseAddress!, count: $0.count) }
            // Zero has probability about 2^-255; the branch reveals only that.
            if scalar.isValidSecretMask != 0 {
                defer { withUnsafeMutablePointer(to: &scalar) { secureZero(UnsafeMutableRawPointer($0), count: 32) } }
                return SecretKey(scalar: scalar)
            }
        }
    }

    /// The 32-byte big-endian encoding; the caller owns the copy.
    public var bytes: [UInt8] {
        precondition(!storage.isWiped, "secret key used after wipe()")
        return storage.scalar.bigEndianBytes
    }

    /// SkToPk: SK * G1, in constant time (see `ProjectivePoint.multiplied(bySecret:)`).
    public func publicKey() -> PublicKey {
        precondition(!storage.isWiped, "secret key used after wipe()")
        return PublicKey(point: G1Point(G1Point.generator.projective.multiplied(bySecret: storage.scalar)))
    }

    /// Sign: SK * hash_to_G2(message) with the ciphersuite's DST. Constant time in SK; the message is public.
    public func sign(_ message: [UInt8]) -> Signature {
        precondition(!storage.isWiped, "secret key used after wipe()")
        let h = BLS.hashToG2(message, dst: BLS.dst)
        return Signature(point: G2Point(h.projective.multiplied(bySecret: storage.scalar)))
    }

    /// Zeroes the scalar in place, for this value and all its copies; later use traps.
    public func wipe() {
        storage.wipe()
    }

    /// Whether `wipe()` has been called.
    public var isWiped: Bool { storage.isWiped }
}
