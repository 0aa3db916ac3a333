import Crypto
import _CryptoExtras

/// swift-crypto's AES._CTR, as an independent reference for the module's own CTR code.
enum CTRReference {
    static func encrypt(_ plain: [UInt8], key: [UInt8], iv: [UInt8]) throws -> [UInt8] {
        Array(try AES._CTR.encrypt(plain, using: SymmetricKey(data: key), nonce: AES._CTR.Nonce(nonceBytes: iv)))
    }
}
