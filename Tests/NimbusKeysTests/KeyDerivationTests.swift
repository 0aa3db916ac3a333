import Foundation
import Testing
@testable import NimbusKeys

@Suite struct KeyDerivationTests {
    @Test func treeKDFVectors() throws {
        let root = try #require(try TestSupport.vectorJSON("eip2333/tree_kdf.json") as? [String: Any])
        let cases = try #require(root["kdf_tests"] as? [[String: Any]])
        #expect(cases.count == 4)
        for vector in cases {
            let seed = TestSupport.secret(try #require(vector["seed"] as? String))
            let master = try KeyDerivation.masterSecretKey(seed: seed)
            #expect(master.copyToArray() == TestSupport.scalar(decimal: try #require(vector["master_SK"] as? String)))
            let index = try #require(vector["child_index"] as? Int)
            let child = KeyDerivation.childSecretKey(parent: master, index: UInt32(index))
            #expect(child.copyToArray() == TestSupport.scalar(decimal: try #require(vector["child_SK"] as? String)))
        }
    }

    /// The intermediate values: both Lamport secret-key halves, the compressed Lamport public key, the child.
    @Test func treeKDFIntermediateVector() throws {
        let vector = try #require(try TestSupport.vectorJSON("eip2333/tree_kdf_intermediate.json") as? [String: Any])
        let mnemonic = try Mnemonic(phrase: try #require(vector["mnemonic"] as? String))
        let seed = mnemonic.seed(passphrase: try #require(vector["password"] as? String))
        #expect(seed.copyToArray() == TestSupport.bytes(try #require(vector["seed"] as? String)))
        let master = try KeyDerivation.masterSecretKey(seed: seed)
        #expect(master.copyToArray() == TestSupport.scalar(decimal: try #require(vector["master_SK"] as? String)))
        let index = UInt32(try #require(vector["child_index"] as? Int))
        let salt = withUnsafeBytes(of: index.bigEndian) { Array($0) }
        let flipped = SecretBytes(copying: master.copyToArray().map { ~$0 })
        for (key, material) in [("lamport_0", master), ("lamport_1", flipped)] {
            let expected = try #require(vector[key] as? [String]).flatMap(TestSupport.bytes)
            #expect(KeyDerivation.lamportSecretKey(inputKeyMaterial: material, salt: salt).copyToArray() == expected)
        }
        let compressed = KeyDerivation.lamportPublicKey(parent: master, index: index)
        #expect(compressed.copyToArray() == TestSupport.bytes(try #require(vector["compressed_lamport_PK"] as? String)))
        let child = KeyDerivation.childSecretKey(parent: master, index: index)
        #expect(child.copyToArray() == TestSupport.scalar(decimal: try #require(vector["child_SK"] as? String)))
        let path = try DerivationPath(parsing: try #require(vector["path"] as? String))
        #expect(try KeyDerivation.secretKey(seed: seed, path: path).copyToArray() == child.copyToArray())
    }

    @Test func validatorKeyTreeMatchesFullPaths() throws {
        let seed = try Mnemonic(phrase: Array(repeating: "abandon", count: 11).joined(separator: " ") + " about").seed()
        let tree = try ValidatorKeyTree(seed: seed)
        for index: UInt32 in [0, 7] {
            let credential = tree.credential(validatorIndex: index)
            let signing = try KeyDerivation.secretKey(seed: seed, path: .signing(validatorIndex: index))
            let withdrawal = try KeyDerivation.secretKey(seed: seed, path: .withdrawal(validatorIndex: index))
            #expect(credential.signingKey.constantTimeEquals(signing))
            #expect(credential.withdrawalKey.constantTimeEquals(withdrawal))
        }
    }

    @Test func shortSeedIsRefused() {
        #expect(throws: KeyDerivationError.seedTooShort(bytes: 31)) {
            try KeyDerivation.masterSecretKey(seed: SecretBytes(count: 31))
        }
    }

    @Test func modularReductionAtTheEdges() {
        let order = TestSupport.bytes("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001")
        func reduce(_ bytes: [UInt8]) -> [UInt8] {
            var out = [UInt8](repeating: 0, count: 32)
            bytes.withUnsafeBytes { input in
                out.withUnsafeMutableBytes { _ = ScalarReduction.reduce(input, into: $0) }
            }
            return out
        }
        #expect(reduce(order) == [UInt8](repeating: 0, count: 32))
        var orderMinusOne = order
        orderMinusOne[31] = 0
        #expect(reduce(orderMinusOne) == orderMinusOne)
        #expect(reduce([UInt8](repeating: 0, count: 16) + order) == [UInt8](repeating: 0, count: 32))
        // 2^384 - 1 mod r, computed independently with Python: (2**384 - 1) % r.
        #expect(Hex.encode(reduce([UInt8](repeating: 0xFF, count: 48)))
            == "2dbeaf1fd4843acb7abbe5687369510a9277efb8ac0a600dcf2ab21bf81f712c")
    }
}
