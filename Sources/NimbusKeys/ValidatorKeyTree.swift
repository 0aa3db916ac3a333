/// The EIP-2334 validator keys under one seed: derives m/12381/3600 once, then each validator's withdrawal key
/// (m/12381/3600/i/0) and signing key (m/12381/3600/i/0/0) with three child derivations instead of nine.
///
/// Values are `Sendable` and derivation is pure: callers may derive several validators on several threads.
public struct ValidatorKeyTree: Sendable {
    /// The key at m/12381/3600.
    private let coinKey: SecretBytes

    /// The tree of a BIP-39 seed (64 bytes; at least 32).
    public init(seed: SecretBytes) throws(KeyDerivationError) {
        let master = try KeyDerivation.masterSecretKey(seed: seed)
        coinKey = KeyDerivation.secretKey(
            master: master, path: DerivationPath(indices: [DerivationPath.purpose, DerivationPath.coinType]))
    }

    /// The keys of validator number `validatorIndex`.
    public func credential(validatorIndex: UInt32) -> ValidatorCredential {
        let account = KeyDerivation.childSecretKey(parent: coinKey, index: validatorIndex)
        let withdrawal = KeyDerivation.childSecretKey(parent: account, index: 0)
        let signing = KeyDerivation.childSecretKey(parent: withdrawal, index: 0)
        return ValidatorCredential(validatorIndex: validatorIndex, signingKey: signing, withdrawalKey: withdrawal)
    }
}

extension ValidatorKeyTree: CustomStringConvertible {
    public var description: String { "ValidatorKeyTree(redacted)" }
}
