import Crypto
import Foundation
import NimbusKeys

/// The keys a finished CPace run gives a pairing (docs/pairing_protocol.md, "Key schedule").
// @unchecked: SymmetricKey is an immutable value that swift-crypto does not mark Sendable.
struct PairingKeys: @unchecked Sendable {
    let confirmHost: SymmetricKey
    let confirmDevice: SymmetricKey
    let hostToDevice: SymmetricKey
    let deviceToHost: SymmetricKey
    let sidOutput: [UInt8]

    init(_ cpace: CPaceParty.Keys) {
        let isk = cpace.isk.withUnsafeBytes { SymmetricKey(data: $0) }
        func derive(_ label: String) -> SymmetricKey {
            HKDF<SHA512>.deriveKey(
                inputKeyMaterial: isk, salt: cpace.sidOutput, info: Array("nimbus-nm pairing v1 \(label)".utf8),
                outputByteCount: 32)
        }
        confirmHost = derive("confirm host")
        confirmDevice = derive("confirm device")
        hostToDevice = derive("host to device")
        deviceToHost = derive("device to host")
        sidOutput = cpace.sidOutput
    }

    var hostTag: [UInt8] { Array(HMAC<SHA256>.authenticationCode(for: sidOutput, using: confirmHost)) }
    var deviceTag: [UInt8] { Array(HMAC<SHA256>.authenticationCode(for: sidOutput, using: confirmDevice)) }

    /// Constant-time tag comparison (HMAC's own validity check).
    func isValidHostTag(_ tag: [UInt8]) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: sidOutput, using: confirmHost)
    }

    func isValidDeviceTag(_ tag: [UInt8]) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(tag, authenticating: sidOutput, using: confirmDevice)
    }

    static func nonce(_ counter: UInt64) -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 4)
        withUnsafeBytes(of: counter.littleEndian) { bytes += $0 }
        return try! ChaChaPoly.Nonce(data: bytes)  // 12 bytes: always valid
    }

    static func seal(_ plaintext: [UInt8], key: SymmetricKey, counter: UInt64, header: [UInt8]) -> [UInt8] {
        // ChaCha20-Poly1305 with a 12-byte nonce cannot fail.
        let box = try! ChaChaPoly.seal(plaintext, using: key, nonce: nonce(counter), authenticating: header)
        return Array(box.ciphertext) + Array(box.tag)
    }

    static func open(_ sealed: [UInt8], key: SymmetricKey, counter: UInt64, header: [UInt8]) -> [UInt8]? {
        guard sealed.count >= 16 else { return nil }
        guard let box = try? ChaChaPoly.SealedBox(
            nonce: nonce(counter), ciphertext: sealed.dropLast(16), tag: sealed.suffix(16))
        else { return nil }
        return (try? ChaChaPoly.open(box, using: key, authenticating: header)).map(Array.init)
    }
}
