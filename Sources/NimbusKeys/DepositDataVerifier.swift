/// `verify-deposit-data`: checks a deposit data file against a network before anyone sends ETH with it.
///
/// For every entry: the fork version and network name are the network's, the withdrawal credentials have a valid
/// type and layout, the amount is within bounds for that type, both roots match the fields, and the signature
/// verifies on the network's deposit domain. Optionally, the pubkeys and credentials are the expected ones.
public enum DepositDataVerifier {
    /// What the caller expects the file to contain, when it knows (e.g. right after generating the keys).
    public struct Expectations: Sendable {
        /// The validators' public keys, in file order.
        public var pubkeys: [[UInt8]]?
        /// The withdrawal credentials every deposit must carry.
        public var withdrawalCredentials: WithdrawalCredentials?

        public init(pubkeys: [[UInt8]]? = nil, withdrawalCredentials: WithdrawalCredentials? = nil) {
            self.pubkeys = pubkeys
            self.withdrawalCredentials = withdrawalCredentials
        }
    }

    /// The entries of a valid file, or the first problem found (with the 1-based deposit number).
    public static func verify(
        _ bytes: [UInt8], network: Network, bls: some BLSBackend, expecting expectations: Expectations = .init()
    ) throws(DepositError) -> [DepositDataEntry] {
        let entries = try DepositDataFile.decode(bytes)
        if let pubkeys = expectations.pubkeys, pubkeys.count != entries.count {
            throw .wrongLength(field: "(deposit list)", expected: pubkeys.count, found: entries.count)
        }
        for (index, entry) in entries.enumerated() {
            do throws(DepositError) {
                try verify(entry, network: network, bls: bls)
                if let pubkeys = expectations.pubkeys, pubkeys[index] != entry.data.message.pubkey {
                    throw DepositError.unexpectedPublicKey
                }
                if let credentials = expectations.withdrawalCredentials,
                   credentials != entry.data.message.withdrawalCredentials {
                    throw DepositError.unexpectedWithdrawalCredentials
                }
            } catch {
                throw .entry(index: index, error)
            }
        }
        return entries
    }

    /// Checks one entry against `network`.
    public static func verify(_ entry: DepositDataEntry, network: Network, bls: some BLSBackend) throws(DepositError) {
        guard entry.forkVersion == network.genesisForkVersion else {
            throw .forkVersionMismatch(found: entry.forkVersion, network: network)
        }
        guard entry.networkName == network.name else {
            throw .networkNameMismatch(found: entry.networkName, expected: network.name)
        }
        let message = entry.data.message
        try DepositAmount.validate(message.amountGwei, for: message.withdrawalCredentials.kind)
        guard ConstantTime.equals(message.hashTreeRoot, entry.depositMessageRoot) else {
            throw .depositMessageRootMismatch
        }
        let signingRoot = message.signingRoot(network: network)
        guard bls.verify(signature: entry.data.signature, message: signingRoot, publicKey: message.pubkey) else {
            throw .invalidSignature
        }
        guard ConstantTime.equals(entry.data.hashTreeRoot, entry.depositDataRoot) else {
            throw .depositDataRootMismatch
        }
    }
}
