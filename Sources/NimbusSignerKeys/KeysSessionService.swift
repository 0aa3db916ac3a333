import Dispatch
import Foundation
import NimbusKeys
import NimbusKeysSession
import Synchronization

/// The signer's side of `nimbus keys` sessions (docs/keys-session.md): one command after another on a socket the
/// network role handed over (or, offline, the CLI's own socketpair). Secrets arrive and leave in `secret` frames on
/// that socket only; a secret key never leaves at all. Every command's meaning is checked against
/// `SignerKeyPolicy` before anything is made.
public struct KeysSessionService: Sendable {
    private let vault: any KeyVault
    private let policy: SignerKeyPolicy
    private let nowMillis: @Sendable () -> Int64
    private let workers: Int
    private let bls = NimbusBLSBackend()
    let relay: (any PairingRelay)?
    let devices: (any DeviceRegistry)?
    /// The public half of the signer's own long-term X25519 channel key: pairing gives it to the device, so that the
    /// device can later reach the signer itself rather than the network role. Nil where there is none (offline).
    public let signerChannelKey: [UInt8]?
    let pairingTimeout: Duration

    public init(
        vault: any KeyVault, policy: SignerKeyPolicy, workers: Int = 2, relay: (any PairingRelay)? = nil,
        devices: (any DeviceRegistry)? = nil, signerChannelKey: [UInt8]? = nil, pairingTimeout: Duration = .seconds(30),
        nowMillis: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    ) {
        self.vault = vault
        self.policy = policy
        self.workers = max(1, workers)
        self.relay = relay
        self.devices = devices
        self.signerChannelKey = signerChannelKey
        self.pairingTimeout = pairingTimeout
        self.nowMillis = nowMillis
    }

    var now: Int64 { nowMillis() }

    /// What a finished command did, for the signer's log: the command and an outcome code, never content.
    public struct Record: Sendable, Equatable {
        public var command: String
        public var outcome: String

        public init(command: String, outcome: String) {
            self.command = command
            self.outcome = outcome
        }
    }

    /// Answers commands until the client closes the session or breaks the protocol. `record` is told about each.
    /// `allowing` limits the commands (a paired device's keys channel gets `KeysRequest.Command.keyCommands`); any
    /// other ends the session, since its frames cannot be skipped reliably.
    public func serve(
        _ socket: any KeysTransport, allowing allowed: Set<KeysRequest.Command>? = nil, record: (Record) -> Void
    ) {
        while true {
            let frame: SessionFrame
            do {
                guard let next = try socket.receive() else { return }
                frame = next
            } catch {
                record(Record(command: "-", outcome: "session error: \(error)"))
                return
            }
            guard frame.kind == .request else {
                try? socket.send(SessionJSON.frame(.failure, KeysFailure(.badRequest, "expected a request frame, got a \(frame.kind) frame")))
                record(Record(command: "-", outcome: "protocol: \(frame.kind) frame outside a command"))
                return
            }
            let request: KeysRequest
            do {
                request = try SessionJSON.decode(KeysRequest.self, from: frame.body, what: "request")
            } catch {
                try? socket.send(SessionJSON.frame(.failure, KeysFailure(.badRequest, error.description)))
                record(Record(command: "-", outcome: "malformed request"))
                return
            }
            if let allowed, !allowed.contains(request.command) {
                try? socket.send(SessionJSON.frame(.failure, KeysFailure(
                    .denied, "\(request.command.rawValue) is only possible at the host itself")))
                record(Record(command: request.command.rawValue, outcome: "denied"))
                return
            }
            do {
                let result = try run(request, socket)
                try socket.send(SessionJSON.frame(.result, result))
                record(Record(command: request.command.rawValue, outcome: "ok"))
            } catch let failure as KeysFailure {
                try? socket.send(SessionJSON.frame(.failure, failure))
                record(Record(command: request.command.rawValue, outcome: failure.code.rawValue))
            } catch let error as SessionError {
                // A broken conversation cannot continue: say why (if the client still listens) and end it.
                try? socket.send(SessionJSON.frame(.failure, KeysFailure(.badRequest, error.description)))
                record(Record(command: request.command.rawValue, outcome: "session error: \(error)"))
                return
            } catch {
                try? socket.send(SessionJSON.frame(.failure, KeysFailure(.internal, "the signer failed: \(error)")))
                record(Record(command: request.command.rawValue, outcome: "internal"))
            }
        }
    }

    private func run(_ request: KeysRequest, _ socket: any KeysTransport) throws -> KeysResult {
        switch request.command {
        case .newMnemonic: return try newMnemonic(request, socket)
        case .generate: return try generate(request, socket)
        case .list: return KeysResult(keys: try vault.list().map(info))
        case .importKeystores: return try importKeystores(request, socket)
        case .export: return try export(request, socket)
        case .delete:
            let pubkey = try Self.pubkey(request.pubkey)
            guard try vault.delete(pubkey: pubkey) else { throw Self.notHeld(pubkey) }
            return KeysResult(keys: [])
        case .verifyDepositData: return try verifyDepositData(request, socket)
        case .depositData: return try depositData(request, socket)
        case .pair: return try pair(request, socket)
        case .devices: return try listDevices()
        case .revokeDevice: return try revokeDevice(request)
        }
    }

    // MARK: new-mnemonic

    private func newMnemonic(_ request: KeysRequest, _ socket: any KeysTransport) throws -> KeysResult {
        let words = request.words ?? 24
        guard Mnemonic.allowedWordCounts.contains(words) else {
            throw KeysFailure(.badRequest, "a mnemonic has 12, 15, 18, 21 or 24 words, not \(words)")
        }
        let mnemonic = try Mnemonic.generate(wordCount: words)
        var phrase = Array(mnemonic.words.joined(separator: " ").utf8)
        defer { SecretBytes.wipe(&phrase) }
        try socket.send(SessionFrame(.secret, phrase))
        guard request.confirm == true else { return KeysResult(confirmed: false) }
        // The person types the phrase back from their written copy; it is compared here, where the original lives.
        var typed = try socket.receive(.secret, what: "the typed mnemonic").body
        defer { SecretBytes.wipe(&typed) }
        let matches: Bool
        if let copy = try? Mnemonic(phrase: String(decoding: typed, as: UTF8.self)) {
            matches = copy.entropy.constantTimeEquals(mnemonic.entropy)
        } else {
            matches = false
        }
        guard matches else {
            throw KeysFailure(.mnemonicMismatch, "the mnemonic typed back does not match the one shown: it was not "
                + "confirmed; run `nimbus keys new-mnemonic` again and copy every word in order")
        }
        return KeysResult(confirmed: true)
    }

    // MARK: generate

    private func generate(_ request: KeysRequest, _ socket: any KeysTransport) throws -> KeysResult {
        guard let parameters = request.generate else { throw KeysFailure(.badRequest, "generate needs its parameters") }
        // The secrets first, in the order the protocol fixes, so that a refused request leaves the session in step.
        var phraseBytes = try socket.receive(.secret, what: "the mnemonic").body
        defer { SecretBytes.wipe(&phraseBytes) }
        var passwordBytes = try socket.receive(.secret, what: "the keystore password").body
        defer { SecretBytes.wipe(&passwordBytes) }
        var passphraseBytes = parameters.hasPassphrase ? try socket.receive(.secret, what: "the passphrase").body : []
        defer { SecretBytes.wipe(&passphraseBytes) }
        guard (1...policy.maximumCount).contains(parameters.count) else {
            throw KeysFailure(.badRequest, "--count must be between 1 and \(policy.maximumCount), not \(parameters.count)")
        }
        guard UInt64(parameters.startIndex) + UInt64(parameters.count) <= 1 << 31 else {
            throw KeysFailure(.badRequest, "--start-index plus --count must stay below 2^31 (EIP-2334 indices)")
        }
        let network = try Self.network(parameters.network, forkVersion: parameters.forkVersion)
        let target = try withdrawalTarget(parameters)
        let kind: WithdrawalCredentials.Kind = switch target {
        case .bls: .bls
        case .executionAddress: .executionAddress
        case .compounding: .compounding
        }
        let amount = parameters.amountGwei ?? 32 * DepositAmount.gweiPerETH
        do { try DepositAmount.validate(amount, for: kind) } catch {
            throw KeysFailure(.amountOutOfRange, "\(error)")
        }
        let kdfFunction: KeystoreKDF.Function
        switch parameters.kdf {
        case "scrypt": kdfFunction = policy.scrypt
        case "pbkdf2": kdfFunction = policy.pbkdf2
        default: throw KeysFailure(.badRequest, "--kdf must be scrypt or pbkdf2, not \(parameters.kdf.prefix(20))")
        }

        let mnemonic: Mnemonic
        do {
            mnemonic = try Mnemonic(phrase: String(decoding: phraseBytes, as: UTF8.self))
        } catch {
            throw KeysFailure(.invalidMnemonic, "\(error)")
        }
        guard !passwordBytes.isEmpty else {
            throw KeysFailure(.badRequest, "the keystore password is empty; choose one of at least 8 characters")
        }
        let password = String(decoding: passwordBytes, as: UTF8.self)
        guard password.count >= 8 else {
            throw KeysFailure(.badRequest, "the keystore password must have at least 8 characters")
        }

        let total = parameters.count
        try socket.send(SessionJSON.frame(.progress, KeysProgress(phase: "deriving the keystore key", done: 0, total: 1)))
        let tree = try ValidatorKeyTree(seed: mnemonic.seed(passphrase: String(decoding: passphraseBytes, as: UTF8.self)))
        // One KDF run for the batch (each keystore still gets its own IV), as ethstaker-deposit-cli does: the
        // password is the same for all, so per-keystore salts would only multiply the wait.
        let key = try KeystoreDecryptionKey.derive(
            password: password, kdf: .random(kdfFunction), allowWeakParameters: policy.allowsWeakKDF)

        let timestamp = Int(nowMillis() / 1000)
        let made = try parallel(total, socket: socket, phase: "validators") { offset in
            let validator = tree.credential(validatorIndex: parameters.startIndex + UInt32(offset))
            let deposit = try validator.depositData(network: network, withdrawal: target, amountGwei: amount, bls: bls)
            let keystore = try validator.signingKeystore(key: key, bls: bls)
            // Check what was made before anyone relies on it: the keystore decrypts to the key, the deposit verifies.
            let secret = try keystore.decrypt(key: key)
            guard secret.constantTimeEquals(validator.signingKey) else {
                throw KeysFailure(.internal, "a new keystore did not decrypt to its key")
            }
            try DepositDataVerifier.verify(deposit, network: network, bls: bls)
            return (deposit, keystore, validator.signingPath)
        }

        let depositFile = DepositDataFile.encode(made.map(\.0))
        let entries = try DepositDataVerifier.verify(
            Array(depositFile.utf8), network: network, bls: bls,
            expecting: .init(pubkeys: made.map { $0.0.data.message.pubkey }))
        let created = nowMillis()
        let stored = made.map { (_, keystore, path) in
            StoredKey(pubkey: keystore.pubkey ?? [], path: path.description,
                      keystoreJSON: KeystoreFile.contents(keystore), source: "generated", createdAtMillis: created)
        }
        _ = try vault.insert(stored)

        var files: [String] = []
        for (_, keystore, path) in made {
            let file = try SessionFile(
                name: KeystoreFile.fileName(path: path, timestamp: timestamp),
                contents: Array(KeystoreFile.contents(keystore).utf8))
            try socket.send(SessionFrame.file(file))
            files.append(file.name)
        }
        let depositName = DepositDataFile.fileName(timestamp: timestamp)
        try socket.send(SessionFrame.file(try SessionFile(name: depositName, contents: Array(depositFile.utf8))))
        files.append(depositName)
        return KeysResult(keys: stored.map(info), files: files, deposits: entries.map(Self.summary))
    }

    private func withdrawalTarget(_ parameters: GenerateParameters) throws -> ValidatorCredential.WithdrawalTarget {
        try withdrawalTarget(
            address: parameters.withdrawalAddress, bls: parameters.blsWithdrawal, compounding: parameters.compounding)
    }

    private func withdrawalTarget(address text: String?, bls: Bool, compounding: Bool) throws
        -> ValidatorCredential.WithdrawalTarget
    {
        if bls {
            guard text == nil, !compounding else {
                throw KeysFailure(.badRequest, "0x00 (BLS) withdrawal credentials take no withdrawal address and cannot compound")
            }
            if let required = policy.withdrawalAddress {
                throw KeysFailure(.policy, "this signer only makes deposits that withdraw to \(required) "
                    + "([keys] withdrawal_address); 0x00 credentials are refused")
            }
            return .bls
        }
        guard let text else {
            throw KeysFailure(.badRequest, "give --withdrawal-address ADDR (EIP-55 checksummed), or choose 0x00 "
                + "credentials explicitly with --bls-withdrawal")
        }
        let address: ExecutionAddress
        do { address = try ExecutionAddress(parsing: text) } catch {
            throw KeysFailure(.badAddress, "--withdrawal-address: \(error)")
        }
        if let required = policy.withdrawalAddress, required != address {
            throw KeysFailure(.policy, "this signer only makes deposits that withdraw to \(required) "
                + "([keys] withdrawal_address), not \(address)")
        }
        return compounding ? .compounding(address) : .executionAddress(address)
    }

    // MARK: deposit-data

    private func depositData(_ request: KeysRequest, _ socket: any KeysTransport) throws -> KeysResult {
        var passwordBytes = try socket.receive(.secret, what: "the keystore password").body
        defer { SecretBytes.wipe(&passwordBytes) }
        guard let parameters = request.deposit else { throw KeysFailure(.badRequest, "deposit-data needs its parameters") }
        guard (1...policy.maximumCount).contains(parameters.pubkeys.count) else {
            throw KeysFailure(.badRequest, "deposit-data takes 1 to \(policy.maximumCount) public keys")
        }
        let pubkeys = try parameters.pubkeys.map { try Self.pubkey($0) }
        guard Set(pubkeys).count == pubkeys.count else {
            throw KeysFailure(.badRequest, "a public key is named twice: one deposit per key and run")
        }
        let network = try Self.network(parameters.network, forkVersion: parameters.forkVersion)
        let target = try withdrawalTarget(
            address: parameters.withdrawalAddress, bls: false, compounding: parameters.compounding)
        let credentials: WithdrawalCredentials = switch target {
        case .executionAddress(let address): .executionAddress(address)
        case .compounding(let address): .compounding(address)
        case .bls: preconditionFailure("withdrawalTarget(bls: false) never answers .bls")
        }
        let amount = parameters.amountGwei ?? 32 * DepositAmount.gweiPerETH
        do { try DepositAmount.validate(amount, for: credentials.kind) } catch {
            throw KeysFailure(.amountOutOfRange, "\(error)")
        }
        var held: [StoredKey] = []
        for pubkey in pubkeys {
            guard let key = try vault.key(pubkey: pubkey) else { throw Self.notHeld(pubkey) }
            held.append(key)
        }
        let processed = KeystorePassword.process(String(decoding: passwordBytes, as: UTF8.self))
        let keys = held
        // Each keystore has its own salt: a KDF run each, spread over the cores.
        let entries = try parallel(keys.count, socket: socket, phase: "decrypting keystores") { index in
            let keystore = try KeystoreJSON.decode(keys[index].keystoreJSON)
            let secret: SecretBytes
            do {
                let key = try KeystoreDecryptionKey.derive(
                    processedPassword: processed, kdf: keystore.kdf, allowWeakParameters: true)
                secret = try keystore.decrypt(key: key)
            } catch KeystoreError.wrongPassword {
                throw KeysFailure(.wrongPassword, "0x\(Hex.encode(keys[index].pubkey)): \(KeystoreError.wrongPassword); "
                    + "deposit-data takes keys that share one password")
            }
            let entry = try DepositDataEntry.sign(
                signingKey: secret, credentials: credentials, amountGwei: amount, network: network, bls: bls)
            // The meaning check: the key that signed is the key asked for, and the deposit verifies.
            guard entry.data.message.pubkey == keys[index].pubkey else {
                throw KeysFailure(.internal, "a stored keystore does not hold the key it is filed under")
            }
            try DepositDataVerifier.verify(entry, network: network, bls: bls)
            return entry
        }
        let file = DepositDataFile.encode(entries)
        let verified = try DepositDataVerifier.verify(
            Array(file.utf8), network: network, bls: bls, expecting: .init(pubkeys: pubkeys))
        let name = DepositDataFile.fileName(timestamp: Int(nowMillis() / 1000))
        try socket.send(SessionFrame.file(try SessionFile(name: name, contents: Array(file.utf8))))
        return KeysResult(files: [name], deposits: verified.map(Self.summary))
    }

    // MARK: import

    private func importKeystores(_ request: KeysRequest, _ socket: any KeysTransport) throws -> KeysResult {
        guard let count = request.fileCount, (1...policy.maximumCount).contains(count) else {
            throw KeysFailure(.badRequest, "import takes 1 to \(policy.maximumCount) keystore files")
        }
        var keystores: [(String, Keystore)] = []
        var problems: [String] = []
        for _ in 0..<count {
            let file = try socket.receive(.file, what: "a keystore file").decodeFile()
            do {
                keystores.append((file.name, try KeystoreJSON.decode(file.contents)))
            } catch {
                problems.append("\(file.name): \(error)")
            }
        }
        var passwordBytes = try socket.receive(.secret, what: "the keystore password").body
        defer { SecretBytes.wipe(&passwordBytes) }
        guard problems.isEmpty else {
            throw KeysFailure(.malformedKeystore, "nothing was imported: " + problems.joined(separator: "; "))
        }
        let processed = KeystorePassword.process(String(decoding: passwordBytes, as: UTF8.self))
        let received = keystores
        // Each keystore has its own salt, so each needs its own KDF run: the expensive part, spread over the cores.
        let checked = try parallel(received.count, socket: socket, phase: "decrypting keystores") { index in
            let (name, keystore) = received[index]
            let key: KeystoreDecryptionKey
            let secret: SecretBytes
            do {
                // Weak parameters are the file's own business when reading it (the upper limits against hostile
                // files still hold); this signer never writes such keystores.
                key = try KeystoreDecryptionKey.derive(processedPassword: processed, kdf: keystore.kdf,
                                                       allowWeakParameters: true)
                secret = try keystore.decrypt(key: key)
            } catch KeystoreError.wrongPassword {
                throw KeysFailure(.wrongPassword, "\(name): \(KeystoreError.wrongPassword); nothing was imported")
            } catch {
                throw KeysFailure(.malformedKeystore, "\(name): \(error); nothing was imported")
            }
            // The meaning check: the key inside is the key the file claims to hold.
            let pubkey = try bls.publicKey(secretKey: secret)
            if let claimed = keystore.pubkey, claimed != pubkey {
                throw KeysFailure(.malformedKeystore, "\(name): the pubkey field does not match the key inside; nothing was imported")
            }
            var normalised = keystore
            normalised.pubkey = pubkey
            return normalised
        }
        let created = nowMillis()
        let keys = checked.map {
            StoredKey(pubkey: $0.pubkey ?? [], path: $0.path?.description ?? "",
                      keystoreJSON: KeystoreFile.contents($0), source: "imported", createdAtMillis: created)
        }
        let already = Set(try vault.insert(keys))
        return KeysResult(keys: keys.filter { !already.contains($0.pubkey) }.map(info),
                          alreadyHeld: already.map { "0x" + Hex.encode($0) }.sorted())
    }

    // MARK: export

    private func export(_ request: KeysRequest, _ socket: any KeysTransport) throws -> KeysResult {
        let pubkey = try Self.pubkey(request.pubkey)
        guard let key = try vault.key(pubkey: pubkey) else { throw Self.notHeld(pubkey) }
        let keystore = try KeystoreJSON.decode(key.keystoreJSON)
        let path = keystore.path
        let name = path.map { KeystoreFile.fileName(path: $0, timestamp: Int(key.createdAtMillis / 1000)) }
            ?? "keystore-0x\(Hex.encode(pubkey)).json"
        try socket.send(SessionFrame.file(try SessionFile(name: name, contents: Array(key.keystoreJSON.utf8))))
        return KeysResult(keys: [info(key)], files: [name])
    }

    // MARK: verify-deposit-data

    private func verifyDepositData(_ request: KeysRequest, _ socket: any KeysTransport) throws -> KeysResult {
        guard let name = request.network else { throw KeysFailure(.badRequest, "verify-deposit-data needs --network") }
        let network = try Self.network(name, forkVersion: request.forkVersion)
        let file = try socket.receive(.file, what: "the deposit data file").decodeFile()
        var expectations = DepositDataVerifier.Expectations()
        if let address = policy.withdrawalAddress {
            // The file must pay out where this signer is configured to: check every entry's credentials.
            let entries = (try? DepositDataFile.decode(file.contents)) ?? []
            if let first = entries.first?.data.message.withdrawalCredentials {
                let wanted: WithdrawalCredentials = first.kind == .compounding ? .compounding(address) : .executionAddress(address)
                expectations.withdrawalCredentials = wanted
            }
        }
        do {
            let entries = try DepositDataVerifier.verify(file.contents, network: network, bls: bls, expecting: expectations)
            return KeysResult(deposits: entries.map(Self.summary))
        } catch {
            throw KeysFailure(.invalidDepositData, "\(file.name): \(error)")
        }
    }

    // MARK: helpers

    /// Runs `body` for 0..<count on `workers` threads, sending progress as items finish; the first error wins.
    private func parallel<T: Sendable>(
        _ count: Int, socket: any KeysTransport, phase: String, _ body: @Sendable (Int) throws -> T
    ) throws -> [T] {
        let slots = Mutex([Result<T, any Error>?](repeating: nil, count: count))
        let done = Atomic<Int>(0)
        let next = Atomic<Int>(0)
        let progress = Mutex(0)
        // A person should see movement without a frame per validator for large batches.
        let step = max(1, count / 100)
        DispatchQueue.concurrentPerform(iterations: min(workers, count)) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < count else { return }
                let result = Result { try body(index) }
                slots.withLock { $0[index] = result }
                if case .failure = result { next.store(count, ordering: .relaxed) }
                let finished = done.add(1, ordering: .relaxed).newValue
                if finished % step == 0 || finished == count {
                    progress.withLock { last in
                        guard finished > last else { return }
                        last = finished
                        try? socket.send(SessionJSON.frame(.progress, KeysProgress(phase: phase, done: finished, total: count)))
                    }
                }
            }
        }
        return try slots.withLock { slots in
            // The first failure in index order, so that the error a person sees does not depend on scheduling.
            for slot in slots { if case .failure(let error)? = slot { throw error } }
            return slots.map { slot in
                guard case .success(let value)? = slot else { preconditionFailure("a slot was left empty") }
                return value
            }
        }
    }

    private func info(_ key: StoredKey) -> KeyInfo {
        KeyInfo(pubkey: "0x" + Hex.encode(key.pubkey), path: key.path, source: key.source,
                createdAt: Self.rfc3339(millis: key.createdAtMillis))
    }

    static func summary(_ entry: DepositDataEntry) -> DepositSummary {
        DepositSummary(
            pubkey: "0x" + Hex.encode(entry.data.message.pubkey),
            withdrawalCredentials: "0x" + Hex.encode(entry.data.message.withdrawalCredentials.bytes),
            amountGwei: entry.data.message.amountGwei, network: entry.networkName)
    }

    static func network(_ name: String, forkVersion: String?) throws -> Network {
        do {
            if let forkVersion { return try Network.custom(name: name, genesisForkVersionHex: forkVersion) }
            return try Network(named: name)
        } catch {
            throw KeysFailure(.unknownNetwork, "\(error)")
        }
    }

    static func pubkey(_ text: String?) throws -> [UInt8] {
        guard let text else { throw KeysFailure(.badRequest, "this command needs a validator public key") }
        let digits = text.hasPrefix("0x") ? String(text.dropFirst(2)) : text
        guard digits.utf8.count == 96, let bytes = Hex.decode(digits.lowercased()) else {
            throw KeysFailure(.badRequest, "a validator public key is 0x and 96 hex digits")
        }
        return bytes
    }

    static func notHeld(_ pubkey: [UInt8]) -> KeysFailure {
        KeysFailure(.notFound, "the signer holds no key 0x\(Hex.encode(pubkey)); `nimbus keys list` shows the keys it holds")
    }

    static func rfc3339(millis: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date(timeIntervalSince1970: Double(millis) / 1000))
    }
}
