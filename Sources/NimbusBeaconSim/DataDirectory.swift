import Foundation

/// The node's data directory, laid out as Nimbus lays it out where the simulator touches the same things:
/// `validators/<0xpubkey>/keystore.json` (or `remote_keystore.json`), `secrets/<0xpubkey>` (the password),
/// per-key `suggested_fee_recipient.hex` and `suggested_gas_limit.json`, and `db/`. The simulator's own state is
/// under `beacon-sim/`: `node.json` (its "database"), `ledger.json` and `slashing_protection.json` (EIP-3076).
public struct DataDirectory: KeyStorage {
    /// Why the directory cannot be used.
    public struct Failure: Error, CustomStringConvertible {
        /// What is wrong.
        public var description: String
    }

    /// `--data-dir`.
    public let root: String
    /// `--validators-dir` (default `<data-dir>/validators`).
    public let validatorsDir: String
    /// `--secrets-dir` (default `<data-dir>/secrets`).
    public let secretsDir: String

    /// The keystore locks this process holds.
    public let locks = KeystoreLocks()

    /// A data directory (nothing is created until `prepare`).
    public init(root: String, validatorsDir: String? = nil, secretsDir: String? = nil) {
        self.root = root
        self.validatorsDir = validatorsDir ?? root + "/validators"
        self.secretsDir = secretsDir ?? root + "/secrets"
    }

    /// Takes the exclusive lock on `pubkey`'s keystore file (local or remote); false if another process has it.
    public func lockKeystore(pubkey: String) -> Bool {
        let folder = validatorsDir + "/" + pubkey
        let remote = folder + "/remote_keystore.json"
        let path = FileManager.default.fileExists(atPath: remote) ? remote : folder + "/keystore.json"
        return locks.lock(pubkey: pubkey, path: path)
    }

    var simDir: String { root + "/beacon-sim" }
    var nodeStatePath: String { simDir + "/node.json" }
    /// The ledger file.
    public var ledgerPath: String { simDir + "/ledger.json" }
    var slashingProtectionPath: String { simDir + "/slashing_protection.json" }

    /// Creates the directories the node writes to (0700, as Nimbus insists on for its data directory).
    public func prepare() throws {
        for directory in [root, validatorsDir, secretsDir, root + "/db", simDir] {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
    }

    /// Whether the directory is missing or empty (what `trustedNodeSync` requires).
    public var isEmpty: Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).isEmpty
    }

    // MARK: simulator state

    /// The node state, nil if there is none yet.
    public func loadNodeState() throws -> NodeState? {
        try load(NodeState.self, at: nodeStatePath)
    }

    /// The ledger (empty if there is none yet).
    public func loadLedger() throws -> DutyLedger {
        try load(DutyLedger.self, at: ledgerPath) ?? DutyLedger()
    }

    /// The slashing protection history, nil if none.
    public func loadSlashingProtection() throws -> SlashingInterchange? {
        try load(SlashingInterchange.self, at: slashingProtectionPath)
    }

    /// Writes the node state, ledger and slashing protection (each atomically).
    public func save(state: NodeState, ledger: DutyLedger, protection: SlashingInterchange) throws {
        try writeAtomically(JSONCoding.encode(state), to: nodeStatePath)
        try writeAtomically(JSONCoding.encode(ledger), to: ledgerPath)
        try writeAtomically(JSONCoding.encode(protection), to: slashingProtectionPath)
    }

    /// Writes the node state alone (trustedNodeSync).
    public func save(state: NodeState) throws {
        try writeAtomically(JSONCoding.encode(state), to: nodeStatePath)
    }

    private func load<T: Decodable>(_ type: T.Type, at path: String) throws -> T? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            return try JSONCoding.decode(type, from: Array(data))
        } catch {
            throw Failure(description: "cannot read \(path): \(error)")
        }
    }

    /// Write to a temporary file and rename, so that a kill never leaves half a file.
    private func writeAtomically(_ bytes: [UInt8], to path: String, mode: Int = 0o600) throws {
        let temporary = path + ".tmp"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: Data(bytes), attributes: [.posixPermissions: mode])
        else { throw Failure(description: "cannot write \(temporary)") }
        if rename(temporary, path) != 0 { throw Failure(description: "cannot rename \(temporary) to \(path)") }
    }

    // MARK: keys

    /// A local keystore as found at start-up, with its password.
    public struct LocalKeystore: Sendable {
        /// Canonical public key (the folder name).
        public var pubkey: String
        /// The EIP-2335 file.
        public var keystoreJSON: String
        /// The password file's content, nil when missing.
        public var password: String?
    }

    /// Local keystores with their passwords (nil when the secrets file is missing).
    public func localKeystores() throws -> [LocalKeystore] {
        try storedKeys().filter { $0.remoteURL == nil }.compactMap { key in
            guard let json = read(validatorsDir + "/" + key.pubkey + "/keystore.json") else { return nil }
            return LocalKeystore(pubkey: key.pubkey, keystoreJSON: json, password: read(secretsDir + "/" + key.pubkey))
        }
    }

    public func storedKeys() throws -> [StoredKey] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: validatorsDir)) ?? []
        return names.sorted().compactMap { name -> StoredKey? in
            guard let pubkey = Hex.canonicalPubkey(name), pubkey == name.lowercased() else { return nil }
            let folder = validatorsDir + "/" + name
            if let remote = read(folder + "/remote_keystore.json"),
                let object = try? JSONSerialization.jsonObject(with: Data(remote.utf8)) as? [String: Any]
            {
                return StoredKey(pubkey: pubkey, remoteURL: object["remote"] as? String ?? "")
            }
            guard let keystore = read(folder + "/keystore.json") else { return nil }
            let object = try? JSONSerialization.jsonObject(with: Data(keystore.utf8)) as? [String: Any]
            let path = (object?["path"] as? String).flatMap { $0.isEmpty ? nil : $0 }
            return StoredKey(pubkey: pubkey, derivationPath: path)
        }
    }

    public func saveLocal(pubkey: String, keystoreJSON: String, password: String) throws {
        let folder = validatorsDir + "/" + pubkey
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try FileManager.default.createDirectory(
            atPath: secretsDir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try writeAtomically(Array(password.utf8), to: secretsDir + "/" + pubkey)
        try writeAtomically(Array(keystoreJSON.utf8), to: folder + "/keystore.json")
        guard lockKeystore(pubkey: pubkey) else { throw Failure(description: "Unable to lock keystore file") }
    }

    public func saveRemote(pubkey: String, url: String) throws {
        let folder = validatorsDir + "/" + pubkey
        try FileManager.default.createDirectory(
            atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let document = JSONValue.object([
            ("version", .number(1)), ("type", .string("web3signer")), ("pubkey", .string(pubkey)),
            ("remote", .string(url)),
        ])
        try writeAtomically(Array(document.text.utf8), to: folder + "/remote_keystore.json")
        guard lockKeystore(pubkey: pubkey) else { throw Failure(description: "Unable to lock keystore file") }
    }

    public func remove(pubkey: String) throws -> Bool {
        locks.unlock(pubkey: pubkey)
        let folder = validatorsDir + "/" + pubkey
        let existed = FileManager.default.fileExists(atPath: folder)
        if existed { try FileManager.default.removeItem(atPath: folder) }
        if FileManager.default.fileExists(atPath: secretsDir + "/" + pubkey) {
            try FileManager.default.removeItem(atPath: secretsDir + "/" + pubkey)
        }
        return existed
    }

    public func setting(_ setting: ValidatorSetting, pubkey: String) -> String? {
        read(validatorsDir + "/" + pubkey + "/" + setting.rawValue)?.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    public func setSetting(_ setting: ValidatorSetting, pubkey: String, value: String?) throws {
        let path = validatorsDir + "/" + pubkey + "/" + setting.rawValue
        guard let value else {
            if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
            return
        }
        try writeAtomically(Array(value.utf8), to: path)
    }

    private func read(_ path: String) -> String? {
        FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) }
    }
}
