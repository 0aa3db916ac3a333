import Testing
@testable import NimbusKeys

/// SSZ roots and signing roots without BLS: inputs and expected roots from one `Credential.deposit_datum_dict` of
/// ethstaker-deposit 1.3.1 (mnemonic "abandon … about", no passphrase, index 0, mainnet, 0x01 to EIP-55's example
/// address, 32 ETH).
@Suite struct DepositRootTests {
    static let pubkey = "b3e445d43871965d890a398f719348a1405ac72e35b92727"
        + "cc570026f54471af7ea7b2040622a8fd0b5bfb2a209b5911"
    static let signature = "8c0771e34d895621cdf282847052d826327044ee28b0ea617e8e597b27ef29a7"
        + "15ae6bbd716421560280fa8b23f7454f09bb1e3f12c4f650130c7967b2bc11f3"
        + "ac5ec35707406509c238890ea2de0756c4f758cf650792fe96777f6ab1559ce4"
    /// The whole file as ethstaker-deposit 1.3.1 writes it: one line, Python's json.dump spacing.
    static let file = #"[{"pubkey": "\#(pubkey)", "#
        + #""withdrawal_credentials": "0100000000000000000000005aaeb6053f3e94c9b9a09f33669435e7ef1beaed", "#
        + #""amount": 32000000000, "signature": "\#(signature)", "#
        + #""deposit_message_root": "67ecc19c0ef1f147b597e65d10a3257fc19866e00724f072286f57d37d634076", "#
        + #""deposit_data_root": "ed852ba434a86bb5394d137682d508851a921ec97b7a93d3df6d2800b34b2c6d", "#
        + #""fork_version": "00000000", "network_name": "mainnet", "deposit_cli_version": "1.3.1"}]"#

    @Test func rootsAndFileMatchEthstaker() throws {
        let address = try ExecutionAddress(parsing: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
        let message = DepositMessage(
            pubkey: TestSupport.bytes(Self.pubkey), withdrawalCredentials: .executionAddress(address),
            amountGwei: 32 * DepositAmount.gweiPerETH)
        #expect(Hex.encode(message.hashTreeRoot) == "67ecc19c0ef1f147b597e65d10a3257fc19866e00724f072286f57d37d634076")
        let data = DepositData(message: message, signature: TestSupport.bytes(Self.signature))
        #expect(Hex.encode(data.hashTreeRoot) == "ed852ba434a86bb5394d137682d508851a921ec97b7a93d3df6d2800b34b2c6d")
        let entry = DepositDataEntry(data: data, network: .mainnet)
        #expect(DepositDataFile.encode([entry]) == Self.file)
        #expect(try DepositDataFile.decode(Array(Self.file.utf8)) == [entry])
    }

    /// The same deposit made from the mnemonic with NimbusBLS, byte for byte, and verified.
    @Test func endToEndWithNimbusBLS() throws {
        let phrase = Array(repeating: "abandon", count: 11).joined(separator: " ") + " about"
        let tree = try ValidatorKeyTree(seed: try Mnemonic(phrase: phrase).seed())
        let address = try ExecutionAddress(parsing: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")
        let entry = try tree.credential(validatorIndex: 0).depositData(
            network: .mainnet, withdrawal: .executionAddress(address), amountGwei: 32 * DepositAmount.gweiPerETH,
            bls: NimbusBLSBackend())
        #expect(DepositDataFile.encode([entry]) == Self.file)
        let verified = try DepositDataVerifier.verify(Array(Self.file.utf8), network: .mainnet, bls: NimbusBLSBackend())
        #expect(verified == [entry])
    }

    /// The deposit domain on mainnet is a published constant (DOMAIN_DEPOSIT with genesis fork version 0 and a
    /// zero genesis validators root).
    @Test func mainnetDepositDomain() {
        #expect(Hex.encode(SigningDomain.depositDomain(forkVersion: [0, 0, 0, 0]))
            == "03000000f5a5fd42d16a20302798ef6ed309979b43003d2320d9f0e8ea9831a9")
    }

    @Test func withdrawalCredentialLayouts() throws {
        let address = try ExecutionAddress(parsing: "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")
        #expect(Hex.encode(WithdrawalCredentials.compounding(address).bytes)
            == "020000000000000000000000fb6916095ca1df60bb79ce92ce3ea74c37c5d359")
        let bls = WithdrawalCredentials.bls(withdrawalPublicKey: TestSupport.bytes(Self.pubkey))
        #expect(bls.bytes.count == 32 && bls.bytes[0] == 0 && bls.kind == .bls)
        #expect(throws: DepositError.malformedWithdrawalCredentials) {
            try WithdrawalCredentials(bytes: [1] + [UInt8](repeating: 1, count: 31))
        }
        #expect(throws: DepositError.unsupportedWithdrawalPrefix(3)) {
            try WithdrawalCredentials(bytes: [3] + [UInt8](repeating: 0, count: 31))
        }
    }

    @Test func amountBounds() throws {
        let eth = DepositAmount.gweiPerETH
        try DepositAmount.validate(eth, for: .bls)
        try DepositAmount.validate(32 * eth, for: .executionAddress)
        try DepositAmount.validate(2048 * eth, for: .compounding)
        #expect(throws: DepositError.amountOutOfRange(gwei: eth - 1, kind: .compounding)) {
            try DepositAmount.validate(eth - 1, for: .compounding)
        }
        #expect(throws: DepositError.amountOutOfRange(gwei: 32 * eth + 1, kind: .executionAddress)) {
            try DepositAmount.validate(32 * eth + 1, for: .executionAddress)
        }
        #expect(throws: DepositError.amountOutOfRange(gwei: 2048 * eth + 1, kind: .compounding)) {
            try DepositAmount.validate(2048 * eth + 1, for: .compounding)
        }
        #expect(DepositAmount.ethText(1_500_000_000) == "1.5 ETH")
        #expect(DepositAmount.ethText(32_000_000_001) == "32.000000001 ETH")
    }

    @Test func networks() throws {
        #expect(try Network(named: "Hoodi") == .hoodi)
        #expect(Network.sepolia.genesisForkVersion == [0x90, 0x00, 0x00, 0x69])
        #expect(Network.holesky.genesisForkVersion == [0x01, 0x01, 0x70, 0x00])
        let devnet = try Network.custom(name: "devnet-7", genesisForkVersionHex: "0x10000038")
        #expect(devnet.genesisForkVersion == [0x10, 0x00, 0x00, 0x38])
        #expect(throws: NetworkError.invalidForkVersion) {
            try Network.custom(name: "x", genesisForkVersionHex: "0x100000")
        }
        #expect(throws: NetworkError.nameTakenByKnownNetwork("mainnet")) {
            try Network.custom(name: "mainnet", genesisForkVersion: [1, 2, 3, 4])
        }
    }

    @Test func fileNames() {
        #expect(DepositDataFile.fileName(timestamp: 1_700_000_000) == "deposit_data-1700000000.json")
        #expect(KeystoreFile.fileName(path: .signing(validatorIndex: 5), timestamp: 1_700_000_000)
            == "keystore-m_12381_3600_5_0_0-1700000000.json")
    }
}
