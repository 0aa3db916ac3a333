import Foundation
import Testing
@testable import NimbusKeys

/// Cross-checks against ethstaker-deposit 1.3.1 (with py_ecc) on fresh random mnemonics each run. A failure names
/// the random mnemonic: it is test data, printed so that the case can be replayed.
@Suite struct EthstakerOracleTests {
    /// Passphrases that exercise NFKD (a ligature, a precomposed letter, mathematical letters) and plain ASCII.
    static let passphrases = ["", "TREZOR", "ﬁx ü 𝔭𝔞𝔰𝔰"]

    static func randomMnemonic() throws -> (mnemonic: Mnemonic, phrase: String) {
        let mnemonic = try Mnemonic.generate(wordCount: 24)
        return (mnemonic, mnemonic.words.joined(separator: " "))
    }

    static func randomAddress() throws -> ExecutionAddress {
        try ExecutionAddress(bytes: (0..<20).map { _ in UInt8.random(in: 0...255) })
    }

    /// Mnemonic generation (ethstaker's get_mnemonic fed our list, which the list test pins to the standard hash),
    /// its validation (reconstruct_mnemonic) and seeds with NFKD passphrases.
    @Test func bip39MatchesEthstaker() throws {
        var requests: [[String: Any]] = []
        var expected: [(phrase: String, seed: [UInt8]?)] = []
        for bytes in [16, 20, 24, 28, 32] {
            let entropy = SecretBytes(copying: (0..<bytes).map { _ in UInt8.random(in: 0...255) })
            let mnemonic = try Mnemonic(entropy: entropy)
            let phrase = mnemonic.words.joined(separator: " ")
            requests.append([
                "op": "mnemonic", "entropy": Hex.encode(entropy.copyToArray()), "words": Mnemonic.englishWords,
            ])
            expected.append((phrase, nil))
            let passphrase = Self.passphrases.randomElement()!
            requests.append(["op": "seed", "mnemonic": phrase, "passphrase": passphrase])
            expected.append((phrase, mnemonic.seed(passphrase: passphrase).copyToArray()))
        }
        let responses = try Oracle.run(requests)
        for (response, expectation) in zip(responses, expected) {
            if let seed = expectation.seed {
                #expect(response["seed"] as? String == Hex.encode(seed), "seed of \(expectation.phrase)")
            } else {
                #expect(response["mnemonic"] as? String == expectation.phrase)
                #expect(response["reconstructed"] as? String == expectation.phrase)
            }
        }
    }

    /// EIP-2333/2334 keys and their public keys (NimbusBLS against py_ecc).
    @Test func validatorKeysMatchEthstaker() throws {
        let (mnemonic, phrase) = try Self.randomMnemonic()
        let passphrase = Self.passphrases.randomElement()!
        let tree = try ValidatorKeyTree(seed: mnemonic.seed(passphrase: passphrase))
        let indices: [UInt32] = [0, UInt32.random(in: 1..<1000)]
        let responses = try Oracle.run(indices.map {
            ["op": "keys", "mnemonic": phrase, "passphrase": passphrase, "index": Int($0)]
        })
        let bls = NimbusBLSBackend()
        for (index, response) in zip(indices, responses) {
            let credential = tree.credential(validatorIndex: index)
            #expect(response["signing_sk"] as? String == Hex.encode(credential.signingKey.copyToArray()), "\(phrase)")
            #expect(response["withdrawal_sk"] as? String == Hex.encode(credential.withdrawalKey.copyToArray()))
            let signingPublicKey = try bls.publicKey(secretKey: credential.signingKey)
            let withdrawalPublicKey = try bls.publicKey(secretKey: credential.withdrawalKey)
            #expect(response["signing_pk"] as? String == Hex.encode(signingPublicKey))
            #expect(response["withdrawal_pk"] as? String == Hex.encode(withdrawalPublicKey))
        }
    }

    /// For every network (and a custom one) a deposit data file with every credential type, each from a random
    /// mnemonic, index, amount and address: our file must equal ethstaker's byte for byte, file name included.
    @Test func depositDataMatchesEthstaker() throws {
        let networks = Network.known + [try Network.custom(name: "nimbus-devnet", genesisForkVersionHex: "0x10000038")]
        let kinds: [WithdrawalCredentials.Kind] = [.bls, .executionAddress, .compounding]
        let bls = NimbusBLSBackend()
        let timestamp = Int.random(in: 1_700_000_000..<1_900_000_000)
        var requests: [[String: Any]] = []
        var files: [(network: Network, phrase: String, entries: [DepositDataEntry])] = []
        for network in networks {
            let (mnemonic, phrase) = try Self.randomMnemonic()
            let passphrase = Self.passphrases.randomElement()!
            let tree = try ValidatorKeyTree(seed: mnemonic.seed(passphrase: passphrase))
            var items: [[String: Any]] = []
            var entries: [DepositDataEntry] = []
            for kind in kinds {
                let index = UInt32.random(in: 0..<500)
                let address = try Self.randomAddress()
                let amount = UInt64.random(in: DepositAmount.minimumGwei...kind.maximumDepositGwei)
                let target: ValidatorCredential.WithdrawalTarget = switch kind {
                case .bls: .bls
                case .executionAddress: .executionAddress(address)
                case .compounding: .compounding(address)
                }
                entries.append(try tree.credential(validatorIndex: index).depositData(
                    network: network, withdrawal: target, amountGwei: amount, bls: bls))
                items.append([
                    "mnemonic": phrase, "passphrase": passphrase, "index": Int(index), "amount": amount,
                    "network": ["name": network.name, "fork_version": Hex.encode(network.genesisForkVersion)],
                    "kind": ["bls", "execution", "compounding"][Int(kind.rawValue)], "address": address.checksummed,
                ])
            }
            requests.append(["op": "deposits", "timestamp": timestamp, "items": items])
            files.append((network, phrase, entries))
        }
        let responses = try Oracle.run(requests)
        for (file, response) in zip(files, responses) {
            #expect(response["file_name"] as? String == DepositDataFile.fileName(timestamp: timestamp))
            #expect(
                response["contents"] as? String == DepositDataFile.encode(file.entries),
                "\(file.network): \(file.phrase)")
            #expect(response["data"] as? [String] == file.entries.map(\.json))
        }
        // Their file passes our verification (one network: verification costs a pairing per deposit).
        let (network, _, entries) = files[Int.random(in: 0..<files.count)]
        let contents = try #require(responses[files.firstIndex { $0.network == network }!]["contents"] as? String)
        let verified = try DepositDataVerifier.verify(
            Array(contents.utf8), network: network, bls: bls,
            expecting: .init(pubkeys: entries.map(\.data.message.pubkey)))
        #expect(verified == entries)
    }

    /// Keystores both ways with the real parameters (scrypt 2^18 and PBKDF2 2^18): ours decrypt with ethstaker's
    /// code and match its `Keystore.encrypt` byte for byte given the same salt, IV and UUID; the keystore files its
    /// `Credential` writes decrypt with ours to our derived key, under the same file name.
    @Test(arguments: [false, true])
    func keystoresMatchEthstaker(pbkdf2: Bool) throws {
        let (mnemonic, phrase) = try Self.randomMnemonic()
        let index = UInt32.random(in: 0..<500)
        let credential = try ValidatorKeyTree(seed: mnemonic.seed()).credential(validatorIndex: index)
        let bls = NimbusBLSBackend()
        let pubkey = try bls.publicKey(secretKey: credential.signingKey)
        let password = "pässwörd \u{7F}𝔱\u{85}-\(Int.random(in: 0..<1_000_000))"
        let function: KeystoreKDF.Function = pbkdf2 ? .pbkdf2Default : .scryptDefault
        let key = try KeystoreDecryptionKey.derive(password: password, kdf: .random(function))
        let iv = (0..<16).map { _ in UInt8.random(in: 0...255) }
        var generator = SystemRandomNumberGenerator()
        let uuid = UUIDText.random(using: &generator)
        let ours = try Keystore.encrypt(
            secret: credential.signingKey, key: key, pubkey: pubkey, path: credential.signingPath, iv: iv, uuid: uuid)
        let timestamp = Int.random(in: 1_700_000_000..<1_900_000_000)
        let responses = try Oracle.run([
            ["op": "decrypt", "keystore": KeystoreJSON.encode(ours), "password": password],
            ["op": "encrypt", "secret": Hex.encode(credential.signingKey.copyToArray()), "password": password,
             "pbkdf2": pbkdf2, "path": credential.signingPath.description, "salt": Hex.encode(key.kdf.salt),
             "iv": Hex.encode(iv), "uuid": uuid],
            ["op": "keystore", "mnemonic": phrase, "passphrase": "", "index": Int(index), "password": password,
             "pbkdf2": pbkdf2, "timestamp": timestamp],
        ])
        #expect(responses[0]["secret"] as? String == Hex.encode(credential.signingKey.copyToArray()))
        #expect(responses[1]["contents"] as? String == KeystoreJSON.encode(ours))
        #expect(responses[2]["file_name"] as? String
            == KeystoreFile.fileName(path: credential.signingPath, timestamp: timestamp))
        let theirs = try KeystoreJSON.decode(try #require(responses[2]["contents"] as? String))
        #expect(theirs.pubkey == pubkey)
        #expect(theirs.path == credential.signingPath)
        #expect(theirs.kdf.function == function)
        #expect(try theirs.decrypt(password: password).constantTimeEquals(credential.signingKey))
        #expect(throws: KeystoreError.wrongPassword) { try theirs.decrypt(password: password + "x") }
    }
}
