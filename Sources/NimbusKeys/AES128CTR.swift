import Crypto
import _CryptoExtras

/// AES-128-CTR as EIP-2335 uses it: the 16-byte IV is the initial counter block, incremented as one 128-bit
/// big-endian integer. Built on swift-crypto's single-block AES so that the key stream and the plaintext stay in
/// `SecretBytes` (the `AES._CTR` API returns `Data`, which cannot be wiped reliably).
enum AES128CTR {
    /// XORs `input` with the key stream of `key` (16 bytes) from `iv` (16 bytes) into a new secret buffer.
    static func apply(key: UnsafeRawBufferPointer, iv: [UInt8], to input: UnsafeRawBufferPointer) -> SecretBytes {
        precondition(key.count == 16 && iv.count == 16, "AES-128-CTR takes a 16-byte key and a 16-byte IV")
        let aesKey = SymmetricKey(data: key)
        let block = SecretBytes(count: 16)
        var counter = iv
        return SecretBytes(count: input.count) { output in
            var offset = 0
            while offset < input.count {
                block.withUnsafeMutableBytes { blockBytes in
                    blockBytes.copyBytes(from: counter)
                    var typed = blockBytes.bindMemory(to: UInt8.self)
                    do {
                        try AES.permute(&typed, key: aesKey)
                    } catch {
                        preconditionFailure("AES with a 16-byte key and block failed")
                    }
                    for index in 0..<min(16, input.count - offset) {
                        output[offset + index] = input[offset + index] ^ blockBytes[index]
                    }
                }
                offset += 16
                increment(&counter)
            }
        }
    }

    /// Adds one to a big-endian 128-bit counter, wrapping at 2^128.
    static func increment(_ counter: inout [UInt8]) {
        for index in counter.indices.reversed() {
            counter[index] &+= 1
            if counter[index] != 0 { return }
        }
    }
}
