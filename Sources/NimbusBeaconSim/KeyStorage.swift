/// Where the node keeps its keys and per-key settings (the data directory in the real node; files in
/// `DataDirectory`, memory in tests).
public protocol KeyStorage: Sendable {
    /// Keys present, local and remote.
    func storedKeys() throws -> [StoredKey]
    /// Saves an imported keystore and its password.
    func saveLocal(pubkey: String, keystoreJSON: String, password: String) throws
    /// Saves a remote signer key.
    func saveRemote(pubkey: String, url: String) throws
    /// Removes a key and its settings; false if there was none.
    func remove(pubkey: String) throws -> Bool
    /// A per-key setting, nil when unset.
    func setting(_ setting: ValidatorSetting, pubkey: String) -> String?
    /// Sets (or with nil removes) a per-key setting.
    func setSetting(_ setting: ValidatorSetting, pubkey: String, value: String?) throws
}

/// A key the storage holds.
public struct StoredKey: Sendable, Equatable {
    /// Canonical pubkey.
    public var pubkey: String
    /// nil for a local keystore; the signer URL for a remote key.
    public var remoteURL: String?
    /// Derivation path of a local keystore, if it names one.
    public var derivationPath: String?

    /// A key.
    public init(pubkey: String, remoteURL: String? = nil, derivationPath: String? = nil) {
        self.pubkey = pubkey
        self.remoteURL = remoteURL
        self.derivationPath = derivationPath
    }
}

/// The per-key settings of the keymanager API.
public enum ValidatorSetting: String, Sendable, CaseIterable {
    case feeRecipient = "suggested_fee_recipient.hex"
    case gasLimit = "suggested_gas_limit.json"
    case graffiti = "graffiti.txt"
}
