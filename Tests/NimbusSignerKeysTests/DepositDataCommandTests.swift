import Foundation
import NimbusKeys
import NimbusKeysSession
import NimbusSignerKeys
import Testing

/// `deposit-data`: deposits signed with keys the signer holds, decrypted from their keystores.
@Suite struct DepositDataCommandTests {
    static func request(_ pubkeys: [String], address: String = Harness.address, compounding: Bool = false,
                        amount: UInt64? = nil, network: String = "hoodi") -> KeysRequest {
        var request = KeysRequest(.depositData)
        request.deposit = DepositParameters(
            pubkeys: pubkeys, network: network, withdrawalAddress: address, compounding: compounding, amountGwei: amount)
        return request
    }

    @Test func depositsForHeldKeysAreWhatTheMnemonicWouldSign() throws {
        let harness = Harness()
        let (_, made) = try harness.result(Harness.generate(count: 2, start: 7), secrets: [Harness.mnemonic, "a fine password"])
        let pubkeys = try #require(made.keys?.map(\.pubkey))
        // A 40 ETH compounding deposit for both, signed from the keystores rather than the mnemonic.
        let (frames, result) = try harness.result(
            Self.request(pubkeys, compounding: true, amount: 40_000_000_000), secrets: ["a fine password"])
        let file = try #require(frames.first { $0.kind == .file }).decodeFile()
        #expect(result.files == [file.name] && file.name == "deposit_data-1700000000.json")
        let tree = try ValidatorKeyTree(seed: Mnemonic(phrase: Harness.mnemonic).seed())
        let address = try ExecutionAddress(parsing: Harness.address)
        let expected = try [7, 8].map { index in
            try tree.credential(validatorIndex: UInt32(index)).depositData(
                network: .hoodi, withdrawal: .compounding(address), amountGwei: 40_000_000_000, bls: NimbusBLSBackend())
        }
        #expect(String(decoding: file.contents, as: UTF8.self) == DepositDataFile.encode(expected))
        #expect(result.deposits?.map(\.pubkey) == pubkeys)
        #expect(result.deposits?.allSatisfy { $0.withdrawalCredentials.hasPrefix("0x02") && $0.network == "hoodi" } == true)
        harness.finish()
    }

    @Test func badRequestsAreRefusedWithTheirReasonAndTheSessionGoesOn() throws {
        let harness = Harness()
        let (_, made) = try harness.result(Harness.generate(count: 1), secrets: [Harness.mnemonic, "a fine password"])
        let pubkey = try #require(made.keys?.first?.pubkey)
        let unknown = "0x" + String(repeating: "ab", count: 48)
        let cases: [(KeysRequest, String, KeysFailure.Code)] = [
            (Self.request([unknown]), "a fine password", .notFound),
            (Self.request([pubkey, pubkey]), "a fine password", .badRequest),
            (Self.request([pubkey]), "not the password", .wrongPassword),
            (Self.request([pubkey], amount: 33_000_000_000), "a fine password", .amountOutOfRange),
            (Self.request([pubkey], amount: 999_999_999), "a fine password", .amountOutOfRange),
            (Self.request([pubkey], address: "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), "a fine password", .badAddress),
            (Self.request([pubkey], network: "nonet"), "a fine password", .unknownNetwork),
            (Self.request([]), "a fine password", .badRequest),
            (Self.request(["0x1234"]), "a fine password", .badRequest),
        ]
        for (request, password, code) in cases {
            let failure = try harness.failure(request, secrets: [password])
            #expect(failure.code == code, "\(failure.message)")
            #expect(!failure.message.contains(password))
        }
        // Still in step: a good request after all of those.
        #expect(try harness.result(Self.request([pubkey], amount: 1_000_000_000), secrets: ["a fine password"]).result.deposits?.count == 1)
        harness.finish()
    }

    @Test func theConfiguredWithdrawalAddressIsEnforced() throws {
        var policy = Harness.weak
        policy.withdrawalAddress = try ExecutionAddress(parsing: Harness.address)
        let harness = Harness(policy: policy)
        let (_, made) = try harness.result(Harness.generate(count: 1), secrets: [Harness.mnemonic, "a fine password"])
        let pubkey = try #require(made.keys?.first?.pubkey)
        let other = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
        #expect(try harness.failure(Self.request([pubkey], address: other), secrets: ["a fine password"]).code == .policy)
        harness.finish()
    }
}
