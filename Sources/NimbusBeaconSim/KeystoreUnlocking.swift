/// Opens an EIP-2335 keystore with its password: the one cryptographic step of a keymanager import.
///
/// A protocol so that the simulator's logic does not depend on how decryption is done: `NimbusKeysUnlocker` uses
/// the project's NimbusKeys and NimbusBLS modules; tests of the pure core may pass a stand-in.
public protocol KeystoreUnlocking: Sendable {
    /// Decrypts `keystoreJSON` with `password`, checks that the secret belongs to the keystore's public key, and
    /// returns what the node keeps. Never returns the secret itself: the simulator signs nothing.
    func unlock(keystoreJSON: String, password: String) throws(KeystoreUnlockError) -> UnlockedKeystore
}

/// What is known of a keystore once its password proved right.
public struct UnlockedKeystore: Sendable, Equatable {
    /// Canonical 0x-prefixed public key.
    public var pubkey: String
    /// EIP-2334 derivation path, if the keystore names one.
    public var derivationPath: String?

    /// A result.
    public init(pubkey: String, derivationPath: String?) {
        self.pubkey = pubkey
        self.derivationPath = derivationPath
    }
}

/// Why a keystore could not be opened. The descriptions are the `message` of a keymanager `error` status.
public enum KeystoreUnlockError: Error, Equatable, CustomStringConvertible {
    /// Not an EIP-2335 keystore.
    case malformed(String)
    /// The checksum did not match: wrong password.
    case wrongPassword
    /// The decrypted secret's public key is not the keystore's `pubkey`.
    case pubkeyMismatch
    /// This build has no keystore decryption.
    case unavailable

    public var description: String {
        switch self {
        case .malformed(let why): "Invalid keystore: \(why)"
        case .wrongPassword: "Failed to decrypt keystore: invalid password"
        case .pubkeyMismatch: "Keystore public key does not match its secret key"
        case .unavailable: "Keystore decryption is not available in this build"
        }
    }
}
