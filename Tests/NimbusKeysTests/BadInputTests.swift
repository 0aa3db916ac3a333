import Foundation
import Testing
@testable import NimbusKeys

/// Each kind of bad input gives a specific, actionable message, and no message carries a secret.
@Suite struct BadInputTests {
    static let phrase = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"

    @Test func unknownMnemonicWord() throws {
        let typo = Self.phrase.replacingOccurrences(of: "about", with: "abuot")
        let error = try #require(throws: MnemonicError.self) { try Mnemonic(phrase: typo) }
        guard case .unknownWords(let words) = error else {
            Issue.record("expected unknownWords, got \(error)")
            return
        }
        #expect(words.map(\.position) == [12])
        #expect(words[0].suggestions.first == "about")
        #expect(error.description == "word 12 is not in the BIP-39 English word list: check the spelling against your "
            + "written copy (the first four letters of each word are enough)")
        #expect(!error.description.contains("abuot") && !error.description.contains("about"))
        #expect(!"\(words[0])".contains("about"))
    }

    @Test func severalUnknownWords() throws {
        let typo = "abandn " + Array(repeating: "abandon", count: 10).joined(separator: " ") + " qqqqqq"
        let error = try #require(throws: MnemonicError.self) { try Mnemonic(phrase: typo) }
        #expect(error.description.hasPrefix("words 1, 12 are not in the BIP-39 English word list"))
        if case .unknownWords(let words) = error {
            #expect(words[0].suggestions == ["abandon"])
            #expect(words[1].suggestions.isEmpty)
        }
    }

    @Test func badMnemonicChecksum() {
        let swapped = Array(repeating: "abandon", count: 12).joined(separator: " ")
        #expect(throws: MnemonicError.badChecksum) { try Mnemonic(phrase: swapped) }
        #expect(MnemonicError.badChecksum.description.hasPrefix("the mnemonic's checksum does not match"))
    }

    @Test func wrongWordCount() {
        let short = Array(repeating: "abandon", count: 23).joined(separator: " ")
        #expect(throws: MnemonicError.wrongWordCount(23)) { try Mnemonic(phrase: short) }
        #expect(MnemonicError.wrongWordCount(23).description.hasPrefix("the mnemonic has 23 words; a BIP-39 mnemonic"))
        #expect(throws: MnemonicError.wrongWordCount(0)) { try Mnemonic(phrase: " \n ") }
        #expect(throws: MnemonicError.invalidEntropyLength(bits: 136)) { try Mnemonic(entropy: SecretBytes(count: 17)) }
    }

    @Test func wrongKeystorePassword() throws {
        let keystore = try KeystoreJSON.decode(Array(try TestSupport.vectorData("eip2335/test0.json")))
        let password = "hunter2-not-the-password"
        let error = try #require(throws: KeystoreError.self) { try keystore.decrypt(password: password) }
        #expect(error == .wrongPassword)
        #expect(error.description.hasPrefix("wrong password for this keystore (the checksum does not match)"))
        #expect(!error.description.contains(password))
    }

    /// Mutations of the EIP-2335 scrypt vector and the error each must give.
    static let keystoreMutations: [(String, String, KeystoreError)] = [
        ("\"version\": 4", "\"version\": 3", .unsupportedVersion("3")),
        ("\"version\": 4", "\"version\": \"4\"", .wrongType(field: "version", expected: "the number 4")),
        ("\"function\": \"scrypt\"", "\"function\": \"argon2id\"", .unsupportedKDF("argon2id")),
        ("\"aes-128-ctr\"", "\"aes-256-gcm\"", .unsupportedCipher("aes-256-gcm")),
        ("\"function\": \"sha256\"", "\"function\": \"keccak256\"", .unsupportedChecksum("keccak256")),
        ("\"iv\": \"264daa3f303d7259501c93d997d84fe6\"", "\"iv\": \"264daa3f303d7259501c93d997d84fz6\"",
         .invalidHex(field: "crypto.cipher.params.iv")),
        ("\"iv\": \"264daa3f303d7259501c93d997d84fe6\"", "\"iv\": \"264daa3f303d7259501c93d997d84f\"",
         .wrongLength(field: "crypto.cipher.params.iv", expected: 16, found: 15)),
        ("\"n\": 262144", "\"n\": 262143",
         .invalidKDFParameter(name: "n", reason: "must be a power of two, at least 2")),
        ("\"n\": 262144", "\"n\": 2097152",
         .invalidKDFParameter(name: "n", reason: "exceeds this tool's limit of 2^20")),
        ("\"n\": 262144", "\"n\": 262144.0",
         .wrongType(field: "crypto.kdf.params.n", expected: "a non-negative integer below 2^31")),
        ("\"dklen\": 32", "\"dklen\": 16", .invalidKDFParameter(name: "dklen", reason: "must be 32")),
        ("\"p\": 1,", "\"p\": 1, \"q\": 2,", .unexpectedField("crypto.kdf.params.q")),
        ("\"salt\": \"d4e5", "\"salz\": \"d4e5", .unexpectedField("crypto.kdf.params.salz")),
        ("\"message\": \"\"", "\"message\": \"00\"",
         .invalidValue(field: "crypto.kdf.message", expected: "the empty string")),
        ("\"message\": \"06ae90d55fe0a6e9c5c3bc5b170827b2e5cce3929ed3f116c2811e6366dfe20f\"", "\"message\": \"06ae\"",
         .wrongLength(field: "crypto.cipher.message", expected: 32, found: 2)),
        ("\"pubkey\": \"9612", "\"pubkey\": \"12", .wrongLength(field: "pubkey", expected: 48, found: 47)),
        ("\"path\": \"m/12381/60/3141592653/589793238\"", "\"path\": \"m/12381/60/3141592653'\"",
         .invalidPath(.hardenedComponent(position: 3))),
        ("\"path\": \"m/12381/60/3141592653/589793238\"", "\"path\": \"m/12381/60/4294967296\"",
         .invalidPath(.indexTooLarge(position: 3))),
        ("\"uuid\": \"1d85ae20-35c5-4611-98e8-aa14a633906f\"", "\"uuid\": \"1d85ae20\"", .invalidUUID),
        ("\"uuid\": \"1d85ae20-35c5-4611-98e8-aa14a633906f\",", "", .missingField("uuid")),
        ("\"checksum\": {", "\"checksum\": 5, \"x\": {", .unexpectedField("crypto.x")),
        ("\"version\": 4", "\"version\": 4, \"version\": 4",
         .notJSON(offset: 1103, reason: "duplicate member \"version\"")),
        ("\n}", ",\n}", .notJSON(offset: 1103, reason: "expected a quoted member name")),
    ]

    @Test func malformedKeystores() throws {
        let base = String(decoding: try TestSupport.vectorData("eip2335/test1.json"), as: UTF8.self)
        #expect((try? KeystoreJSON.decode(base)) != nil)
        for (original, replacement, expected) in Self.keystoreMutations {
            #expect(base.contains(original), "mutation target \(original) not in the vector")
            let mutated = base.replacingOccurrences(of: original, with: replacement)
            #expect(throws: expected, "\(original) → \(replacement)") { try KeystoreJSON.decode(mutated) }
        }
        #expect(throws: KeystoreError.notJSON(offset: 0, reason: "unexpected end of the document")) {
            try KeystoreJSON.decode("")
        }
        #expect(throws: KeystoreError.wrongType(field: "(document)", expected: "an object")) {
            try KeystoreJSON.decode("[]")
        }
    }

    @Test func keystoreMessagesAreActionable() {
        #expect(KeystoreError.unsupportedKDF("argon2id").description
            == "the keystore uses the key-derivation function \"argon2id\"; "
            + "EIP-2335 defines only \"scrypt\" and \"pbkdf2\"")
        #expect(KeystoreError.missingField("crypto.kdf.params.salt").description
            == "the keystore has no \"crypto.kdf.params.salt\" field, which EIP-2335 requires")
        #expect(KeystoreError.invalidHex(field: "crypto.cipher.params.iv").description
            == "the keystore's \"crypto.cipher.params.iv\" field is not valid hex "
            + "(an even number of 0-9/a-f digits, no 0x prefix)")
        #expect(KeystoreError.wrongLength(field: "crypto.cipher.params.iv", expected: 16, found: 15).description
            == "the keystore's \"crypto.cipher.params.iv\" must be 16 bytes, not 15")
    }

    @Test func unknownNetwork() {
        #expect(throws: NetworkError.unknownNetwork("goerli")) { try Network(named: "goerli") }
        #expect(NetworkError.unknownNetwork("goerli").description == "unknown network \"goerli\"; known networks are "
            + "mainnet, hoodi, sepolia, holesky (for another network give its genesis fork version)")
    }

    @Test func badAddressChecksumMessage() {
        let error = try? #require(throws: AddressError.self) {
            try ExecutionAddress(parsing: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD")
        }
        #expect(error?.description == "the withdrawal address's EIP-55 checksum (its upper/lower case pattern) does "
            + "not match: it was probably mistyped; copy it again from your wallet")
    }

    @Test func outOfRangeAmounts() throws {
        let tree = try ValidatorKeyTree(seed: try Mnemonic(phrase: Self.phrase).seed())
        let address = try ExecutionAddress(parsing: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
        let credential = tree.credential(validatorIndex: 0)
        let error = try #require(throws: DepositError.self) {
            try credential.depositData(
                network: .mainnet, withdrawal: .executionAddress(address), amountGwei: 33 * DepositAmount.gweiPerETH,
                bls: NimbusBLSBackend())
        }
        #expect(error.description == "a deposit of 33 ETH is out of range for 0x01 withdrawal credentials: it must "
            + "be between 1 ETH and 32 ETH (use 0x02 compounding credentials for larger deposits)")
        #expect(throws: DepositError.amountOutOfRange(gwei: 999_999_999, kind: .compounding)) {
            try credential.depositData(
                network: .mainnet, withdrawal: .compounding(address), amountGwei: 999_999_999, bls: NimbusBLSBackend())
        }
    }

    /// Deposit data verification: each tampering is caught with its own message (file from ethstaker 1.3.1).
    @Test func tamperedDepositData() throws {
        let file = DepositRootTests.file
        let bls = NimbusBLSBackend()
        func verify(_ text: String, on network: Network = .mainnet) throws {
            _ = try DepositDataVerifier.verify(Array(text.utf8), network: network, bls: bls)
        }
        #expect(throws: DepositError.entry(index: 0, .forkVersionMismatch(found: [0, 0, 0, 0], network: .hoodi))) {
            try verify(file, on: .hoodi)
        }
        #expect(DepositError.entry(index: 0, .forkVersionMismatch(found: [0, 0, 0, 0], network: .hoodi)).description
            == "deposit 1: the deposit is for fork version 0x00000000, not hoodi (genesis fork version 0x10000910): it "
            + "was made for another network and would be rejected there (funds sent with it are lost to the deposit "
            + "contract's checks)")
        #expect(throws: DepositError.entry(index: 0, .depositMessageRootMismatch)) {
            try verify(file.replacingOccurrences(of: "32000000000", with: "31000000000"))
        }
        let tooMuch = DepositError.amountOutOfRange(gwei: 64_000_000_000, kind: .executionAddress)
        #expect(throws: DepositError.entry(index: 0, tooMuch)) {
            try verify(file.replacingOccurrences(of: "32000000000", with: "64000000000"))
        }
        #expect(throws: DepositError.entry(index: 0, .networkNameMismatch(found: "mainnet2", expected: "mainnet"))) {
            try verify(file.replacingOccurrences(of: "\"mainnet\"", with: "\"mainnet2\""))
        }
        #expect(throws: DepositError.entry(index: 0, .unsupportedWithdrawalPrefix(0x03))) {
            try verify(file.replacingOccurrences(of: "\"010000000000", with: "\"030000000000"))
        }
        #expect(throws: DepositError.entry(index: 0, .depositDataRootMismatch)) {
            try verify(file.replacingOccurrences(of: "ed852ba434a8", with: "ed852ba434a9"))
        }
        #expect(throws: DepositError.entry(index: 0, .invalidSignature)) {
            try verify(file.replacingOccurrences(of: "\"signature\": \"8c0771e3", with: "\"signature\": \"a0000000"))
        }
        #expect(throws: DepositError.entry(index: 0, .missingField("fork_version"))) {
            try verify(file.replacingOccurrences(of: ", \"fork_version\": \"00000000\"", with: ""))
        }
        #expect(throws: DepositError.notAList) { try verify("{}") }
        #expect(throws: DepositError.emptyFile) { try verify("[]") }
    }
}
