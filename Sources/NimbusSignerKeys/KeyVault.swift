/// A validator key as the signer stores it: the encrypted EIP-2335 keystore and public facts. Never a plaintext key.
public struct StoredKey: Sendable, Equatable {
    public var pubkey: [UInt8]
    public var path: String
    public var keystoreJSON: String
    public var source: String
    public var createdAtMillis: Int64

    public init(pubkey: [UInt8], path: String, keystoreJSON: String, source: String, createdAtMillis: Int64) {
        self.pubkey = pubkey
        self.path = path
        self.keystoreJSON = keystoreJSON
        self.source = source
        self.createdAtMillis = createdAtMillis
    }
}

/// Where the signer keeps keystores (its SQLite database in the role; memory in tests).
public protocol KeyVault: Sendable {
    func list() throws -> [StoredKey]
    func key(pubkey: [UInt8]) throws -> StoredKey?
    /// Adds `keys` in one transaction; returns the pubkeys that were already held (those are left unchanged).
    func insert(_ keys: [StoredKey]) throws -> [[UInt8]]
    /// Removes a key; false when it was not held.
    func delete(pubkey: [UInt8]) throws -> Bool
}
