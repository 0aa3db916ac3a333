/// The consensus-spec DepositMessage: what the validator's signing key signs.
public struct DepositMessage: Hashable, Sendable {
    /// The validator's 48-byte compressed BLS public key.
    public var pubkey: [UInt8]
    public var withdrawalCredentials: WithdrawalCredentials
    public var amountGwei: UInt64

    public init(pubkey: [UInt8], withdrawalCredentials: WithdrawalCredentials, amountGwei: UInt64) {
        precondition(pubkey.count == 48, "a compressed BLS public key is 48 bytes")
        self.pubkey = pubkey
        self.withdrawalCredentials = withdrawalCredentials
        self.amountGwei = amountGwei
    }

    /// hash_tree_root(DepositMessage): the `deposit_message_root` of deposit data.
    public var hashTreeRoot: [UInt8] {
        SSZ.merkleize([
            SSZ.root(ofVector: pubkey), withdrawalCredentials.bytes, SSZ.root(ofUInt64: amountGwei),
        ])
    }

    /// The root the signature covers on `network`.
    public func signingRoot(network: Network) -> [UInt8] {
        SigningDomain.signingRoot(
            objectRoot: hashTreeRoot, domain: SigningDomain.depositDomain(forkVersion: network.genesisForkVersion))
    }
}
