// Every case in shared/vectors/bls (ethereum/bls12-381-tests): sign, verify, aggregate, aggregate_verify,
// fast_aggregate_verify, batch_verify, hash_to_G2, deserialization_G1 and deserialization_G2.

import Foundation
import Testing

@testable import NimbusBLS

@Suite("BLS vectors (ethereum/bls12-381-tests)")
struct SignatureVectorTests {
    /// Runs `body` on every case of a directory and reports each failing file by name.
    func forEachCase(_ directory: String, _ body: (String, [String: Any], Any) throws -> Void) throws {
        let files = try TestPaths.jsonFiles("bls/\(directory)")
        for file in files {
            let json = try loadJSON(file)
            // aggregate's input is a list, not an object: give those cases an empty dictionary.
            try body(file.lastPathComponent, json["input"] as? [String: Any] ?? [:], json["output"] as Any)
        }
    }

    @Test func sign() throws {
        var count = 0
        try forEachCase("sign") { name, input, output in
            let privkey = try hexField(input, "privkey")
            let message = try hexField(input, "message")
            let expected = (output as? String).flatMap { bytes(hex: $0) }
            do {
                let key = try SecretKey(bytes: privkey)
                let signature = key.sign(message)
                #expect(expected == signature.compressed, "\(name)")
                #expect(signature.verify(message, publicKey: key.publicKey()), "\(name)")
            } catch {
                #expect(expected == nil, "\(name): \(error)")
            }
            count += 1
        }
        #expect(count == 10)
    }

    @Test func verify() throws {
        var count = 0
        try forEachCase("verify") { name, input, output in
            let expected = try boolOutput(output)
            let message = try hexField(input, "message")
            let result: Bool
            do {
                let key = try PublicKey(compressed: try hexField(input, "pubkey"))
                let signature = try Signature(
                    compressed: try hexField(input, "signature")
                )
                result = signature.verify(message, publicKey: key)
            } catch is BLSError {
                result = false
            }
            #expect(result == expected, "\(name)")
            count += 1
        }
        #expect(count == 29)
    }

    @Test func aggregate() throws {
        var count = 0
        try forEachCase("aggregate") { name, _, output in
            let json = try loadJSON(TestPaths.vectors.appendingPathComponent("bls/aggregate/\(name)"))
            let inputs = try hexList(json, "input")
            let expected = (output as? String).flatMap { bytes(hex: $0) }
            do {
                let signatures = try inputs.map { try Signature(compressed: $0) }
                let aggregate = try BLS.aggregate(signatures)
                #expect(aggregate.compressed == expected, "\(name)")
            } catch {
                #expect(expected == nil, "\(name): \(error)")
            }
            count += 1
        }
        #expect(count == 6)
    }

    @Test func aggregateVerify() throws {
        var count = 0
        try forEachCase("aggregate_verify") { name, input, output in
            let expected = try boolOutput(output)
            let keys = try hexList(input, "pubkeys")
            let messages = try hexList(input, "messages")
            let result: Bool
            do {
                let pairs = try zip(keys, messages).map { key, message in (try PublicKey(compressed: key), message) }
                let signature = try Signature(
                    compressed: try hexField(input, "signature")
                )
                result = BLS.aggregateVerify(pairs, signature: signature)
            } catch is BLSError {
                result = false
            }
            #expect(result == expected, "\(name)")
            count += 1
        }
        #expect(count == 5)
    }

    @Test func fastAggregateVerify() throws {
        var count = 0
        try forEachCase("fast_aggregate_verify") { name, input, output in
            let expected = try boolOutput(output)
            let message = try hexField(input, "message")
            let result: Bool
            do {
                let keys = try hexList(input, "pubkeys").map { try PublicKey(compressed: $0) }
                let signature = try Signature(
                    compressed: try hexField(input, "signature")
                )
                result = BLS.fastAggregateVerify(keys, message: message, signature: signature)
            } catch is BLSError {
                result = false
            }
            #expect(result == expected, "\(name)")
            count += 1
        }
        #expect(count == 12)
    }

    @Test func batchVerify() throws {
        var count = 0
        try forEachCase("batch_verify") { name, input, output in
            let expected = try boolOutput(output)
            let keys = try hexList(input, "pubkeys")
            let messages = try hexList(input, "messages")
            let signatures = try hexList(input, "signatures")
            #expect(keys.count == messages.count && keys.count == signatures.count, "\(name)")
            let result: Bool
            do {
                var sets = [(PublicKey, [UInt8], Signature)]()
                for index in keys.indices {
                    sets.append((
                        try PublicKey(compressed: keys[index]), messages[index],
                        try Signature(compressed: signatures[index])
                    ))
                }
                var generator = SeededGenerator(seed: 7)
                result = BLS.batchVerify(sets, using: &generator)
            } catch is BLSError {
                result = false
            }
            #expect(result == expected, "\(name)")
            count += 1
        }
        #expect(count == 4)
    }

    @Test func hashToG2() throws {
        var count = 0
        try forEachCase("hash_to_G2") { name, input, output in
            let message = Array(try #require(input["msg"] as? String).utf8)
            let point = try #require(output as? [String: String])
            let x = try #require(point["x"]).split(separator: ",").map(String.init)
            let y = try #require(point["y"]).split(separator: ",").map(String.init)
            // Vectors give "c0,c1"; the uncompressed encoding is c1 || c0 per coordinate.
            let expected = [x[1], x[0], y[1], y[0]].compactMap { bytes(hex: $0) }.flatMap { $0 }
            let dst = Array("QUUX-V01-CS02-with-BLS12381G2_XMD:SHA-256_SSWU_RO_".utf8)
            #expect(BLS.hashToG2(message, dst: dst).uncompressed == expected, "\(name)")
            count += 1
        }
        #expect(count == 4)
    }

    @Test func deserializationG1() throws {
        var count = 0
        try forEachCase("deserialization_G1") { name, input, output in
            let expected = try boolOutput(output)
            let encoded = try hexField(input, "pubkey")
            let point = try? G1Point(compressed: encoded)
            #expect((point != nil) == expected, "\(name)")
            if let point { #expect(point.compressed == encoded, "\(name) round trip") }
            count += 1
        }
        #expect(count == 16)
    }

    @Test func deserializationG2() throws {
        var count = 0
        try forEachCase("deserialization_G2") { name, input, output in
            let expected = try boolOutput(output)
            let encoded = try hexField(input, "signature")
            let point = try? G2Point(compressed: encoded)
            #expect((point != nil) == expected, "\(name)")
            if let point { #expect(point.compressed == encoded, "\(name) round trip") }
            count += 1
        }
        #expect(count == 18)
    }
}
