/// One validator's keys (EIP-2334) and what is made from them: deposit data and the signing keystore.
public struct ValidatorCredential: Sendable {
    /// Where the withdrawal credentials of a new deposit point.
    public enum WithdrawalTarget: Hashable, Sendable {
        /// 0x00: this validator's own BLS withdrawal key.
        case bls
        /// 0x01: an execution address.
        case executionAddress(ExecutionAddress)
        /// 0x02: an execution address, compounding.
        case compounding(ExecutionAddress)
    }

    public let validatorIndex: UInt32
    /// The secret key at m/12381/3600/<index>/0/0.
    public let signingKey: SecretBytes
    /// The secret key at m/12381/3600/<index>/0.
    public let withdrawalKey: SecretBytes

    public init(validatorIndex: UInt32, signingKey: SecretBytes, withdrawalKey: SecretBytes) {
        self.validatorIndex = validatorIndex
        self.signingKey = signingKey
        self.withdrawalKey = withdrawalKey
    }

    /// m/12381/3600/<index>/0/0.
    public var signingPath: DerivationPath { .signing(validatorIndex: validatorIndex) }
    /// m/12381/3600/<index>/0.
    public var withdrawalPath: DerivationPath { .withdrawal(validatorIndex: validatorIndex) }

    /// The withdrawal credentials for `target` (0x00 needs the withdrawal public key, hence the BLS backend).
    public func withdrawalCredentials(
        _ target: WithdrawalTarget, bls: some BLSBackend
    ) throws(DepositError) -> WithdrawalCredentials {
        switch target {
        case .bls:
            let publicKey: [UInt8]
            do { publicKey = try bls.publicKey(secretKey: withdrawalKey) } catch { throw .signingFailed }
            return .bls(withdrawalPublicKey: publicKey)
        case .executionAddress(let address): return .executionAddress(address)
        case .compounding(let address): return .compounding(address)
        }
    }

    /// A signed deposit of `amountGwei` on `network`, as one entry of a deposit data file.
    public func depositData(
        network: Network, withdrawal target: WithdrawalTarget, amountGwei: UInt64, bls: some BLSBackend,
        depositCLIVersion: String = DepositDataEntry.compatibleDepositCLIVersion
    ) throws(DepositError) -> DepositDataEntry {
        try DepositDataEntry.sign(
            signingKey: signingKey, credentials: try withdrawalCredentials(target, bls: bls), amountGwei: amountGwei,
            network: network, bls: bls, depositCLIVersion: depositCLIVersion)
    }

    /// The signing key's keystore, encrypted with an already derived key (one scrypt run for a whole batch, as
    /// ethstaker-deposit-cli does), or pass `KeystoreDecryptionKey.derive(password:kdf:)` for one of its own.
    public func signingKeystore(key: KeystoreDecryptionKey, bls: some BLSBackend) throws -> Keystore {
        let pubkey = try bls.publicKey(secretKey: signingKey)
        return try Keystore.encrypt(secret: signingKey, key: key, pubkey: pubkey, path: signingPath)
    }
}

extension ValidatorCredential: CustomStringConvertible {
    public var description: String { "ValidatorCredential(index \(validatorIndex), keys redacted)" }
}

extension DepositDataEntry {
    /// A signed deposit of `amountGwei` to `credentials` by the validator whose signing key is `signingKey` (from a
    /// mnemonic, or from a keystore the signer holds).
    public static func sign(
        signingKey: SecretBytes, credentials: WithdrawalCredentials, amountGwei: UInt64, network: Network,
        bls: some BLSBackend, depositCLIVersion: String = DepositDataEntry.compatibleDepositCLIVersion
    ) throws(DepositError) -> DepositDataEntry {
        try DepositAmount.validate(amountGwei, for: credentials.kind)
        let pubkey: [UInt8]
        let signature: [UInt8]
        let message: DepositMessage
        do {
            pubkey = try bls.publicKey(secretKey: signingKey)
            message = DepositMessage(pubkey: pubkey, withdrawalCredentials: credentials, amountGwei: amountGwei)
            signature = try bls.sign(message.signingRoot(network: network), secretKey: signingKey)
        } catch {
            throw .signingFailed
        }
        guard pubkey.count == 48, signature.count == 96 else { throw .signingFailed }
        return DepositDataEntry(
            data: DepositData(message: message, signature: signature), network: network,
            depositCLIVersion: depositCLIVersion)
    }
}
