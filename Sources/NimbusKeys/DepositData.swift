/// The consensus-spec DepositData: the message and its signature, as sent to the deposit contract.
public struct DepositData: Hashable, Sendable {
    public var message: DepositMessage
    /// The 96-byte compressed BLS signature over the message's signing root.
    public var signature: [UInt8]

    public init(message: DepositMessage, signature: [UInt8]) {
        precondition(signature.count == 96, "a compressed BLS signature is 96 bytes")
        self.message = message
        self.signature = signature
    }

    /// hash_tree_root(DepositData): the `deposit_data_root` the deposit contract checks.
    public var hashTreeRoot: [UInt8] {
        SSZ.merkleize([
            SSZ.root(ofVector: message.pubkey), message.withdrawalCredentials.bytes,
            SSZ.root(ofUInt64: message.amountGwei), SSZ.root(ofVector: signature),
        ])
    }
}
