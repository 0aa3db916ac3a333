// Keys and signatures end to end: KeyGen against the EIP-2333 master keys (EIP-2333's derive_master_SK is the
// IETF KeyGen with empty key_info), sign/verify, aggregation, wipe.

import Foundation
import Testing

@testable import NimbusBLS

@Suite("Keys and signatures")
struct KeyTests {
    func natural(decimal: String) throws -> Natural {
        var value = Natural(0)
        for character in decimal {
            let digit = try need(character.wholeNumberValue, "decimal digit")
            value = value * Natural(10) + Natural(UInt64(digit))
        }
        return value
    }

    @Test func keyGenMatchesEIP2333MasterKeys() throws {
        // master_SK is a JSON integer far beyond 64 bits, which JSONSerialization rounds: read the text instead.
        let url = TestPaths.vectors.appendingPathComponent("eip2333/tree_kdf.json")
        let text = try String(contentsOf: url, encoding: .utf8)
        let seeds = text.matches(of: /"seed": "([0-9a-fA-F]+)"/).map { String($0.output.1) }
        let masters = text.matches(of: /"master_SK": ([0-9]+)/).map { String($0.output.1) }
        #expect(seeds.count == 4 && masters.count == 4)
        for (seed, master) in zip(seeds, masters) {
            let key = try SecretKey.keyGen(ikm: try need(bytes(hex: seed), "seed"))
            let scalar = key.storage.scalar
            #expect(Natural(words: [scalar.w0, scalar.w1, scalar.w2, scalar.w3]) == (try natural(decimal: master)))
        }
    }

    @Test func signVerifyAndAggregate() throws {
        var random = SeededGenerator(seed: 30)
        let keys = try (0..<3).map { _ in try SecretKey.keyGen(ikm: random.bytes(32)) }
        let message = Array("attestation".utf8)
        let signatures = keys.map { $0.sign(message) }
        for (key, signature) in zip(keys, signatures) {
            #expect(signature.verify(message, publicKey: key.publicKey()))
            #expect(!signature.verify(message + [0], publicKey: key.publicKey()))
            #expect(try SecretKey(bytes: key.bytes).publicKey() == key.publicKey())
            #expect(try PublicKey(compressed: key.publicKey().compressed) == key.publicKey())
            #expect(try Signature(compressed: signature.compressed) == signature)
        }
        #expect(!signatures[0].verify(message, publicKey: keys[1].publicKey()))
        let aggregate = try BLS.aggregate(signatures)
        let publicKeys = keys.map { $0.publicKey() }
        #expect(BLS.fastAggregateVerify(publicKeys, message: message, signature: aggregate))
        #expect(!BLS.fastAggregateVerify(Array(publicKeys.dropLast()), message: message, signature: aggregate))
        #expect(!BLS.fastAggregateVerify([], message: message, signature: aggregate))
        let messages = (0..<3).map { [UInt8($0)] }
        let distinct = try BLS.aggregate(zip(keys, messages).map { $0.sign($1) })
        #expect(BLS.aggregateVerify(Array(zip(publicKeys, messages)), signature: distinct))
        #expect(!BLS.aggregateVerify(Array(zip(publicKeys, messages.reversed())), signature: distinct))
        #expect(!BLS.aggregateVerify([], signature: distinct))
        let sets = zip(keys, messages).map { ($0.publicKey(), $1, $0.sign($1)) }
        #expect(BLS.batchVerify(sets))
        #expect(!BLS.batchVerify([sets[0], (sets[1].0, sets[1].1, sets[2].2)]))
        #expect(!BLS.batchVerify([]))
    }

    @Test func wipeZeroesEveryCopy() throws {
        let key = try SecretKey(bytes: [UInt8](repeating: 0, count: 31) + [7])
        let copy = key
        #expect(!copy.isWiped)
        key.wipe()
        #expect(copy.isWiped)
        let scalar = copy.storage.scalar
        #expect(scalar.w0 == 0 && scalar.w1 == 0 && scalar.w2 == 0 && scalar.w3 == 0)
    }

    @Test func errorsReadAsOneLine() {
        let error = BLSError.wrongLength("signature", actual: 95, expected: 96)
        #expect("\(error)" == "signature has the wrong length: 95 bytes, expected 96")
        #expect(!error.description.contains("\n"))
    }
}
