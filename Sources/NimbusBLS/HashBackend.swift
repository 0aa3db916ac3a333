// The only file that touches swift-crypto: SHA-256 (expand_message_xmd, RFC 9380 section 5.3.1) and HKDF-SHA256
// (KeyGen). Everything else in the module is plain Swift, so the sources also compile standalone with swiftc,
// as the libFuzzer build does; without swift-crypto the hashing entry points trap (see docs/bls.md).

#if canImport(Crypto)
import Crypto

/// SHA-256 and HKDF-SHA256 over byte arrays.
enum HashBackend {
    /// Whether hashing is available in this build.
    static let isAvailable = true

    static func sha256(_ data: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: data))
    }

    /// HKDF-Extract(salt, IKM) = HMAC-SHA256(salt, IKM) (RFC 5869 section 2.2).
    static func hkdfExtract(salt: [UInt8], inputKeyMaterial: [UInt8]) -> [UInt8] {
        let prk = HKDF<SHA256>.extract(inputKeyMaterial: SymmetricKey(data: inputKeyMaterial), salt: salt)
        return Array(prk)
    }

    /// HKDF-Expand(PRK, info, L) (RFC 5869 section 2.3).
    static func hkdfExpand(pseudoRandomKey: [UInt8], info: [UInt8], length: Int) -> [UInt8] {
        let key = HKDF<SHA256>.expand(pseudoRandomKey: pseudoRandomKey, info: info, outputByteCount: length)
        return key.withUnsafeBytes { Array($0) }
    }
}
#else
/// Stand-in for builds without swift-crypto (the fuzz target): point decoding works, hashing traps.
enum HashBackend {
    static let isAvailable = false

    static func sha256(_ data: [UInt8]) -> [UInt8] {
        fatalError("NimbusBLS was built without swift-crypto: SHA-256 is unavailable")
    }

    static func hkdfExtract(salt: [UInt8], inputKeyMaterial: [UInt8]) -> [UInt8] {
        fatalError("NimbusBLS was built without swift-crypto: HKDF is unavailable")
    }

    static func hkdfExpand(pseudoRandomKey: [UInt8], info: [UInt8], length: Int) -> [UInt8] {
        fatalError("NimbusBLS was built without swift-crypto: HKDF is unavailable")
    }
}
#endif
