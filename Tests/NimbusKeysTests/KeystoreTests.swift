import Foundation
import Testing
@testable import NimbusKeys

@Suite struct KeystoreTests {
    /// The EIP-2335 test vectors' password: NFKD plus control-character removal gives "testpassword🔑".
    static let vectorPassword = "𝔱𝔢𝔰𝔱𝔭𝔞𝔰𝔰𝔴𝔬𝔯𝔡🔑"
    static let vectorSecret = "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f"

    @Test(arguments: ["eip2335/test0.json", "eip2335/test1.json"])
    func vectorsDecrypt(file: String) throws {
        let data = try TestSupport.vectorData(file)
        let keystore = try KeystoreJSON.decode(Array(data))
        let secret = try keystore.decrypt(password: Self.vectorPassword)
        #expect(secret.copyToArray() == TestSupport.bytes(Self.vectorSecret))
        #expect(throws: KeystoreError.wrongPassword) { try keystore.decrypt(password: "testpassword") }
    }

    @Test func vectorParametersAreRead() throws {
        let pbkdf2 = try KeystoreJSON.decode(Array(try TestSupport.vectorData("eip2335/test0.json")))
        #expect(pbkdf2.kdf.function == .pbkdf2(c: 262_144))
        #expect(pbkdf2.path == DerivationPath(indices: [12381, 60, 0, 0]))
        #expect(pbkdf2.uuid == "64625def-3331-4eea-ab6f-782f3ed16a83")
        #expect(pbkdf2.descriptionText == "This is a test keystore that uses PBKDF2 to secure the secret.")
        let scrypt = try KeystoreJSON.decode(Array(try TestSupport.vectorData("eip2335/test1.json")))
        #expect(scrypt.kdf.function == .scrypt(n: 262_144, r: 8, p: 1))
        #expect(scrypt.path == DerivationPath(indices: [12381, 60, 3_141_592_653, 589_793_238]))
    }

    @Test func passwordProcessing() {
        #expect(KeystorePassword.process(Self.vectorPassword).copyToArray() == Array("testpassword🔑".utf8))
        // C0, DEL and C1 control codes go; other characters, including spaces, stay.
        let processed = KeystorePassword.process("a\u{00}b\u{1F}c\u{7F}d\u{80}e\u{9F}f g\u{A0}")
        #expect(processed.copyToArray() == Array("abcdef g ".utf8))
        // NFKD: a precomposed "é" becomes "e" + U+0301.
        #expect(KeystorePassword.process("\u{E9}").copyToArray() == [0x65, 0xCC, 0x81])
    }

    /// Fast parameters (allowed only with `allowWeakParameters`) to exercise the round trip cheaply.
    @Test(arguments: [KeystoreKDF.Function.scrypt(n: 1024, r: 8, p: 1), .pbkdf2(c: 1000)])
    func roundTrip(function: KeystoreKDF.Function) throws {
        let secret = TestSupport.secret(Self.vectorSecret)
        let pubkey = [UInt8](repeating: 0xA5, count: 48)
        let keystore = try Keystore.encrypt(
            secret: secret, password: "correct horse", pubkey: pubkey, path: .signing(validatorIndex: 3),
            kdf: .random(function), allowWeakParameters: true)
        let text = KeystoreJSON.encode(keystore)
        let decoded = try KeystoreJSON.decode(text)
        #expect(decoded == keystore)
        #expect(try decoded.decrypt(password: "correct horse").constantTimeEquals(secret))
        #expect(throws: KeystoreError.wrongPassword) { try decoded.decrypt(password: "correct horse ") }
    }

    @Test func weakParametersAreRefusedForEncryption() {
        #expect(throws: KeystoreError.weakKDFParameters) {
            try Keystore.encrypt(
                secret: TestSupport.secret(Self.vectorSecret), password: "p", pubkey: [UInt8](repeating: 0, count: 48),
                path: nil, kdf: .random(.pbkdf2(c: 1000)))
        }
    }

    /// The encoder reproduces the vector's bytes from its own fields once formatted as Python does (the vector
    /// files are indented; ethstaker-deposit-cli writes one line in the same field order).
    @Test func encodingFollowsEthstakerLayout() throws {
        let keystore = try KeystoreJSON.decode(Array(try TestSupport.vectorData("eip2335/test1.json")))
        let text = KeystoreJSON.encode(keystore)
        let prefix = #"{"crypto": {"kdf": {"function": "scrypt", "params": {"dklen": 32, "n": 262144, "r": 8, "p": 1, "#
            + #""salt": "d4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"}, "message": ""}, "#
            + #""checksum": {"function": "sha256", "params": {}, "#
            + #""message": "d2217fe5f3e9a1e34581ef8a78f7c9928e436d36dacc5e846690a5581e8ea484"}"#
        #expect(text.hasPrefix(prefix))
        #expect(text.hasSuffix(#""path": "m/12381/60/3141592653/589793238", "#
            + #""uuid": "1d85ae20-35c5-4611-98e8-aa14a633906f", "version": 4}"#))
        let pbkdf2Vector = Array(try TestSupport.vectorData("eip2335/test0.json"))
        let pbkdf2 = KeystoreJSON.encode(try KeystoreJSON.decode(pbkdf2Vector))
        #expect(pbkdf2.contains(#""params": {"c": 262144, "dklen": 32, "prf": "hmac-sha256", "salt": "#))
    }

    /// Our CTR mode (single-block AES in secret memory) equals swift-crypto's own AES._CTR on the same input,
    /// including a counter that wraps around 2^128.
    @Test func ctrModeMatchesSwiftCrypto() throws {
        let key = [UInt8](repeating: 0x42, count: 16)
        for iv in [[UInt8](repeating: 0x01, count: 16), [UInt8](repeating: 0xFF, count: 16)] {
            let plain = (0..<45).map { UInt8($0) }
            let ours = key.withUnsafeBytes { k in plain.withUnsafeBytes { AES128CTR.apply(key: k, iv: iv, to: $0) } }
            let reference = try CTRReference.encrypt(plain, key: key, iv: iv)
            #expect(ours.copyToArray() == reference)
        }
    }

    @Test func derivedKeyIsReusedAcrossABatch() throws {
        let key = try KeystoreDecryptionKey.derive(
            password: "batch", kdf: .random(.scrypt(n: 1024, r: 8, p: 1)), allowWeakParameters: true)
        let secrets = [
            TestSupport.secret(Self.vectorSecret), TestSupport.secret("01" + String(repeating: "00", count: 31)),
        ]
        let keystores = try secrets.map {
            try Keystore.encrypt(secret: $0, key: key, pubkey: [UInt8](repeating: 1, count: 48), path: nil)
        }
        #expect(keystores[0].kdf.salt == keystores[1].kdf.salt)
        #expect(keystores[0].iv != keystores[1].iv)
        for (keystore, secret) in zip(keystores, secrets) {
            #expect(try keystore.decrypt(password: "batch").constantTimeEquals(secret))
            #expect(try keystore.decrypt(key: key).constantTimeEquals(secret))
        }
    }

    /// The fuzz corpus's cheap keystores really decrypt with "fuzz", so the fuzzer starts inside the decryption path.
    @Test(arguments: ["cheap_scrypt_password_fuzz.json", "cheap_pbkdf2_password_fuzz.json"])
    func fuzzSeedsDecrypt(file: String) throws {
        let url = TestSupport.repositoryRoot.appendingPathComponent("Fuzz/corpus/keystore_json/\(file)")
        let data = try #require(FileManager.default.contents(atPath: url.path), "missing fuzz seed \(url.path)")
        let keystore = try KeystoreJSON.decode(Array(data))
        #expect(try keystore.decrypt(password: "fuzz").copyToArray() == TestSupport.bytes(Self.vectorSecret))
    }
}
