import Foundation
import NimbusKeys
import NimbusKeysSession
import NimbusSignerKeys
import Synchronization
import Testing

/// Keystores in memory, for driving the service without a database.
final class MemoryVault: KeyVault, @unchecked Sendable {
    private let keys = Mutex<[StoredKey]>([])

    func list() throws -> [StoredKey] { keys.withLock { $0 } }
    func key(pubkey: [UInt8]) throws -> StoredKey? { keys.withLock { $0.first { $0.pubkey == pubkey } } }
    func insert(_ new: [StoredKey]) throws -> [[UInt8]] {
        keys.withLock { keys in
            var already: [[UInt8]] = []
            for key in new {
                if keys.contains(where: { $0.pubkey == key.pubkey }) { already.append(key.pubkey) } else { keys.append(key) }
            }
            return already
        }
    }
    func delete(pubkey: [UInt8]) throws -> Bool {
        keys.withLock { keys in
            let before = keys.count
            keys.removeAll { $0.pubkey == pubkey }
            return keys.count < before
        }
    }
}

final class RecordLog: Sendable {
    private let records = Mutex<[KeysSessionService.Record]>([])
    func append(_ record: KeysSessionService.Record) { records.withLock { $0.append(record) } }
    var all: [KeysSessionService.Record] { records.withLock { $0 } }
}

/// A service on one end of a real socketpair, served on a thread of its own; the test is the client.
final class Harness: @unchecked Sendable {
    let vault = MemoryVault()
    let client: SessionSocket
    let records = RecordLog()
    private let done = DispatchSemaphore(value: 0)

    static let weak = SignerKeyPolicy(scrypt: .scrypt(n: 1 << 4, r: 8, p: 1), pbkdf2: .pbkdf2(c: 16))
    static let mnemonic = "legal winner thank year wave sausage worth useful legal winner thank year wave sausage "
        + "worth useful legal winner thank year wave sausage worth title"
    static let address = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed"

    init(
        policy: SignerKeyPolicy = Harness.weak, relay: (any PairingRelay)? = nil, devices: (any DeviceRegistry)? = nil,
        signerChannelKey: [UInt8]? = nil
    ) {
        var pair: [Int32] = [-1, -1]
        precondition(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0, &pair) == 0)
        client = SessionSocket(descriptor: pair[0], receiveTimeout: .seconds(60))
        let service = KeysSessionService(
            vault: vault, policy: policy, relay: relay, devices: devices, signerChannelKey: signerChannelKey,
            nowMillis: { 1_700_000_000_000 })
        let server = SessionSocket(descriptor: pair[1], receiveTimeout: .seconds(60))
        Thread.detachNewThread { [records, done] in
            service.serve(server) { record in records.append(record) }
            done.signal()
        }
    }

    func send(_ request: KeysRequest, secrets: [String] = [], files: [SessionFile] = []) throws {
        try client.send(SessionJSON.frame(.request, request))
        for file in files { try client.send(SessionFrame.file(file)) }
        for secret in secrets { try client.send(SessionFrame(.secret, Array(secret.utf8))) }
    }

    /// Frames up to and including the result or failure.
    func answer() throws -> (frames: [SessionFrame], outcome: Result<KeysResult, KeysFailure>) {
        var frames: [SessionFrame] = []
        while let frame = try client.receive() {
            frames.append(frame)
            if frame.kind == .result {
                return (frames, .success(try SessionJSON.decode(KeysResult.self, from: frame.body, what: "result")))
            }
            if frame.kind == .failure {
                return (frames, .failure(try SessionJSON.decode(KeysFailure.self, from: frame.body, what: "failure")))
            }
        }
        throw SessionError.closed
    }

    func result(_ request: KeysRequest, secrets: [String] = [], files: [SessionFile] = []) throws -> (frames: [SessionFrame], result: KeysResult) {
        try send(request, secrets: secrets, files: files)
        let (frames, outcome) = try answer()
        return (frames, try outcome.get())
    }

    func failure(_ request: KeysRequest, secrets: [String] = [], files: [SessionFile] = []) throws -> KeysFailure {
        try send(request, secrets: secrets, files: files)
        guard case .failure(let failure) = try answer().outcome else {
            Issue.record("expected a failure")
            return KeysFailure(.internal, "none")
        }
        return failure
    }

    /// Closes the client end and waits for the service to finish.
    func finish() {
        shutdown(client.descriptor, Int32(SHUT_RDWR))
        done.wait()
    }

    static func generate(
        count: Int = 2, network: String = "hoodi", address: String? = Harness.address, compounding: Bool = false,
        bls: Bool = false, amount: UInt64? = nil, start: UInt32 = 0, kdf: String = "scrypt"
    ) -> KeysRequest {
        var request = KeysRequest(.generate)
        request.generate = GenerateParameters(
            count: count, network: network, withdrawalAddress: address, blsWithdrawal: bls, compounding: compounding,
            amountGwei: amount, startIndex: start, kdf: kdf)
        return request
    }
}

@Suite struct KeysSessionServiceTests {
    @Test func generateMakesWhatTheLibraryMakesAndKeepsOnlyKeystores() throws {
        let harness = Harness()
        let (frames, result) = try harness.result(
            Harness.generate(count: 3, start: 5), secrets: [Harness.mnemonic, "a fine password"])
        let files = try frames.filter { $0.kind == .file }.map { try $0.decodeFile() }
        #expect(files.map(\.name) == result.files)
        #expect(files.count == 4)
        #expect(frames.contains { $0.kind == .progress })

        // The deposit data is exactly what NimbusKeys makes directly for the same inputs.
        let tree = try ValidatorKeyTree(seed: Mnemonic(phrase: Harness.mnemonic).seed())
        let address = try ExecutionAddress(parsing: Harness.address)
        let expected = try (5..<8).map { index in
            try tree.credential(validatorIndex: UInt32(index)).depositData(
                network: .hoodi, withdrawal: .executionAddress(address), amountGwei: 32_000_000_000,
                bls: NimbusBLSBackend())
        }
        let deposit = try #require(files.last)
        #expect(deposit.name == "deposit_data-1700000000.json")
        #expect(String(decoding: deposit.contents, as: UTF8.self) == DepositDataFile.encode(expected))
        #expect(files[0].name == "keystore-m_12381_3600_5_0_0-1700000000.json")

        // Each keystore decrypts with the password to its validator's signing key, and is what the vault holds.
        let stored = try harness.vault.list()
        #expect(stored.map(\.path) == ["m/12381/3600/5/0/0", "m/12381/3600/6/0/0", "m/12381/3600/7/0/0"])
        for (offset, file) in files.dropLast().enumerated() {
            let keystore = try KeystoreJSON.decode(file.contents)
            let secret = try keystore.decrypt(password: "a fine password")
            #expect(secret.constantTimeEquals(tree.credential(validatorIndex: UInt32(5 + offset)).signingKey))
            #expect(stored[offset].keystoreJSON == String(decoding: file.contents, as: UTF8.self))
            #expect(stored[offset].source == "generated")
        }
        #expect(result.deposits?.map(\.amountGwei) == [32_000_000_000, 32_000_000_000, 32_000_000_000])
        harness.finish()
        #expect(harness.records.all == [.init(command: "generate", outcome: "ok")])
    }

    @Test func listExportDeleteAndImportRoundTrip() throws {
        let harness = Harness()
        let (frames, generated) = try harness.result(Harness.generate(count: 2), secrets: [Harness.mnemonic, "password1"])
        let pubkeys = try #require(generated.keys).map(\.pubkey)
        #expect(try harness.result(KeysRequest(.list)).result.keys?.map(\.pubkey) == pubkeys)

        var export = KeysRequest(.export)
        export.pubkey = pubkeys[1]
        let (exportFrames, _) = try harness.result(export)
        let exported = try #require(exportFrames.first { $0.kind == .file }).decodeFile()
        #expect(exported == (try frames.filter { $0.kind == .file }[1].decodeFile()))

        var delete = KeysRequest(.delete)
        delete.pubkey = pubkeys[1]
        _ = try harness.result(delete)
        #expect(try harness.result(KeysRequest(.list)).result.keys?.map(\.pubkey) == [pubkeys[0]])
        #expect(try harness.failure(delete).code == .notFound)

        var importRequest = KeysRequest(.importKeystores)
        importRequest.fileCount = 1
        #expect(try harness.failure(importRequest, secrets: ["wrong password"], files: [exported]).code == .wrongPassword)
        let imported = try harness.result(importRequest, secrets: ["password1"], files: [exported]).result
        #expect(imported.keys?.map(\.pubkey) == [pubkeys[1]])
        #expect(imported.keys?.first?.source == "imported")
        let again = try harness.result(importRequest, secrets: ["password1"], files: [exported]).result
        #expect(again.keys == [] && again.alreadyHeld == [pubkeys[1]])
        harness.finish()
    }

    @Test func importIsAllOrNothingAndChecksThePubkeyField() throws {
        let harness = Harness()
        let (frames, _) = try harness.result(Harness.generate(count: 2), secrets: [Harness.mnemonic, "password1"])
        let files = try frames.filter { $0.kind == .file }.dropLast().map { try $0.decodeFile() }
        _ = try harness.result(KeysRequest(.list))
        let fresh = Harness()
        var request = KeysRequest(.importKeystores)
        request.fileCount = 2
        let broken = try SessionFile(name: "broken.json", contents: Array("{\"version\": 4}".utf8))
        let failure = try fresh.failure(request, secrets: ["password1"], files: [files[0], broken])
        #expect(failure.code == .malformedKeystore)
        #expect(failure.message.contains("broken.json"))
        #expect(try fresh.vault.list().isEmpty)

        // A keystore whose pubkey field names another key is refused even with the right password.
        var lying = try KeystoreJSON.decode(files[0].contents)
        lying.pubkey = try KeystoreJSON.decode(files[1].contents).pubkey
        let lyingFile = try SessionFile(name: "lying.json", contents: Array(KeystoreJSON.encode(lying).utf8))
        request.fileCount = 1
        let refused = try fresh.failure(request, secrets: ["password1"], files: [lyingFile])
        #expect(refused.code == .malformedKeystore && refused.message.contains("pubkey"))
        #expect(try fresh.vault.list().isEmpty)
        harness.finish()
        fresh.finish()
    }

    @Test func badInputGetsAClearErrorAndMakesNothing() throws {
        let harness = Harness()
        let password = "password1"
        let cases: [(KeysRequest, [String], KeysFailure.Code, String)] = [
            (Harness.generate(network: "goerli"), [Harness.mnemonic, password], .unknownNetwork, "known networks"),
            (Harness.generate(address: "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed"), [Harness.mnemonic, password], .badAddress, "checksum"),
            (Harness.generate(address: nil), [Harness.mnemonic, password], .badRequest, "--withdrawal-address"),
            (Harness.generate(amount: 33_000_000_000), [Harness.mnemonic, password], .amountOutOfRange, "32 ETH"),
            (Harness.generate(amount: 999_999_999), [Harness.mnemonic, password], .amountOutOfRange, "1 ETH"),
            (Harness.generate(count: 0), [Harness.mnemonic, password], .badRequest, "--count"),
            (Harness.generate(kdf: "argon2"), [Harness.mnemonic, password], .badRequest, "--kdf"),
            (Harness.generate(), [Harness.mnemonic.replacingOccurrences(of: "title", with: "wrong"), password], .invalidMnemonic, "checksum"),
            (Harness.generate(), [Harness.mnemonic.replacingOccurrences(of: "sausage", with: "sausagx"), password], .invalidMnemonic, "words 6, 14, 22"),
            (Harness.generate(), [Harness.mnemonic, "short"], .badRequest, "8 characters"),
        ]
        for (request, secrets, code, hint) in cases {
            // The session stays in step after each refusal: the next command is answered on the same socket.
            let failure = try harness.failure(request, secrets: secrets)
            #expect(failure.code == code, "\(failure.message)")
            #expect(failure.message.contains(hint), "\(failure.message)")
            // No secret is ever quoted back.
            #expect(!failure.message.contains("sausag") && !failure.message.contains(password))
        }
        #expect(try harness.vault.list().isEmpty)
        harness.finish()
    }

    @Test func theConfiguredWithdrawalAddressIsEnforced() throws {
        var policy = Harness.weak
        policy.withdrawalAddress = try ExecutionAddress(parsing: Harness.address)
        let harness = Harness(policy: policy)
        let other = "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359"
        let secrets = [Harness.mnemonic, "password1"]
        #expect(try harness.failure(Harness.generate(address: other), secrets: secrets).code == .policy)
        #expect(try harness.failure(Harness.generate(address: nil, bls: true), secrets: secrets).code == .policy)
        let ok = try harness.result(Harness.generate(count: 1, compounding: true, amount: 64_000_000_000),
                                    secrets: [Harness.mnemonic, "password1"]).result
        #expect(ok.deposits?.first?.withdrawalCredentials.hasPrefix("0x02") == true)
        #expect(ok.deposits?.first?.amountGwei == 64_000_000_000)
        harness.finish()
    }

    @Test func verifyDepositDataChecksNetworkAndCredentials() throws {
        let harness = Harness()
        let (frames, _) = try harness.result(Harness.generate(count: 2, network: "sepolia"), secrets: [Harness.mnemonic, "password1"])
        let deposit = try #require(frames.last { $0.kind == .file }).decodeFile()
        var verify = KeysRequest(.verifyDepositData)
        verify.network = "sepolia"
        #expect(try harness.result(verify, files: [deposit]).result.deposits?.count == 2)
        verify.network = "mainnet"
        let wrongNetwork = try harness.failure(verify, files: [deposit])
        #expect(wrongNetwork.code == .invalidDepositData && wrongNetwork.message.contains("fork version"))

        var tampered = deposit
        tampered.contents = Array(String(decoding: deposit.contents, as: UTF8.self)
            .replacingOccurrences(of: "\"amount\": 32000000000", with: "\"amount\": 31000000000").utf8)
        verify.network = "sepolia"
        #expect(try harness.failure(verify, files: [tampered]).code == .invalidDepositData)
        harness.finish()

        // A signer configured with another withdrawal address refuses a file paying elsewhere.
        var policy = Harness.weak
        policy.withdrawalAddress = try ExecutionAddress(parsing: "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")
        let strict = Harness(policy: policy)
        let refused = try strict.failure(verify, files: [deposit])
        #expect(refused.code == .invalidDepositData && refused.message.contains("withdrawal"))
        strict.finish()
    }

    @Test func newMnemonicIsShownOnceAndConfirmedWhereItLives() throws {
        let harness = Harness()
        var request = KeysRequest(.newMnemonic)
        request.confirm = false
        let (frames, result) = try harness.result(request)
        let phrase = String(decoding: try #require(frames.first { $0.kind == .secret }).body, as: UTF8.self)
        #expect(phrase.split(separator: " ").count == 24)
        #expect(throws: Never.self) { try Mnemonic(phrase: phrase) }
        #expect(result.confirmed == false)

        request.confirm = true
        request.words = 12
        try harness.send(request)
        let shown = try #require(try harness.client.receive())
        #expect(shown.kind == .secret)
        let words = String(decoding: shown.body, as: UTF8.self)
        #expect(words.split(separator: " ").count == 12)
        #expect(words != phrase)
        // Typed back with extra spaces and abbreviated words: still the same mnemonic.
        let typed = words.split(separator: " ").map { $0.prefix(4) }.joined(separator: "  ")
        try harness.client.send(SessionFrame(.secret, Array(typed.utf8)))
        #expect(try harness.answer().outcome.get().confirmed == true)

        try harness.send(request)
        _ = try harness.client.receive()
        try harness.client.send(SessionFrame(.secret, Array(phrase.utf8)))
        guard case .failure(let failure) = try harness.answer().outcome else { Issue.record("mismatch expected"); return }
        #expect(failure.code == .mnemonicMismatch)
        request.words = 13
        #expect(try harness.failure(request).code == .badRequest)
        harness.finish()
    }

    @Test func protocolViolationsEndTheSessionWithAReason() throws {
        let harness = Harness()
        try harness.client.send(SessionFrame(.secret, Array("stray".utf8)))
        guard case .failure(let failure) = try harness.answer().outcome else { Issue.record("failure expected"); return }
        #expect(failure.code == .badRequest)
        #expect(try harness.client.receive() == nil)
        harness.finish()

        let second = Harness()
        try second.client.send(SessionFrame(.request, Array("{not json".utf8)))
        #expect(failureCode(try second.answer().outcome) == .badRequest)
        #expect(try second.client.receive() == nil)
        second.finish()

        // generate expects secret frames next; a file instead ends the session.
        let third = Harness()
        try third.client.send(SessionJSON.frame(.request, Harness.generate()))
        try third.client.send(SessionFrame.file(try SessionFile(name: "x", contents: [])))
        #expect(failureCode(try third.answer().outcome) == .badRequest)
        #expect(try third.client.receive() == nil)
        third.finish()
    }
}

/// The failure code of an answer, or nil for a result.
func failureCode(_ outcome: Result<KeysResult, KeysFailure>) -> KeysFailure.Code? {
    if case .failure(let failure) = outcome { return failure.code }
    return nil
}
