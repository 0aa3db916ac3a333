import Crypto

/// The 32-byte withdrawal credentials of a deposit: where the validator's balance may be withdrawn to.
public struct WithdrawalCredentials: Hashable, Sendable, CustomStringConvertible {
    /// The credential types, by prefix byte.
    public enum Kind: UInt8, Sendable, CaseIterable {
        /// 0x00: a BLS withdrawal key (to be changed to an address later with a signed BLS-to-execution change).
        case bls = 0x00
        /// 0x01: an execution address; balance above 32 ETH is swept.
        case executionAddress = 0x01
        /// 0x02 (EIP-7251): an execution address, compounding up to 2048 ETH.
        case compounding = 0x02

        /// The largest single deposit this tool creates or accepts for the type: 32 ETH for 0x00 and 0x01 (more
        /// would only be swept back), 2048 ETH (MAX_EFFECTIVE_BALANCE_ELECTRA) for 0x02.
        public var maximumDepositGwei: UInt64 {
            self == .compounding ? 2048 * DepositAmount.gweiPerETH : 32 * DepositAmount.gweiPerETH
        }

        /// "0x00", "0x01" or "0x02".
        public var prefixText: String { "0x0\(rawValue)" }
    }

    /// The 32 bytes.
    public let bytes: [UInt8]

    /// The type, from the first byte.
    public var kind: Kind { Kind(rawValue: bytes[0])! }

    /// 0x00 credentials: the prefix and the last 31 bytes of SHA-256 of the withdrawal public key (48 bytes).
    public static func bls(withdrawalPublicKey: [UInt8]) -> WithdrawalCredentials {
        precondition(withdrawalPublicKey.count == 48, "a compressed BLS public key is 48 bytes")
        let digest = Array(SHA256.hash(data: withdrawalPublicKey))
        return WithdrawalCredentials(unchecked: [Kind.bls.rawValue] + digest.dropFirst())
    }

    /// 0x01 credentials: prefix, 11 zero bytes, the 20-byte address.
    public static func executionAddress(_ address: ExecutionAddress) -> WithdrawalCredentials {
        addressCredentials(.executionAddress, address)
    }

    /// 0x02 credentials: prefix, 11 zero bytes, the 20-byte address.
    public static func compounding(_ address: ExecutionAddress) -> WithdrawalCredentials {
        addressCredentials(.compounding, address)
    }

    private static func addressCredentials(_ kind: Kind, _ address: ExecutionAddress) -> WithdrawalCredentials {
        WithdrawalCredentials(unchecked: [kind.rawValue] + [UInt8](repeating: 0, count: 11) + address.bytes)
    }

    /// Credentials read from a deposit: a known prefix, and for address types the 11 zero bytes.
    public init(bytes: [UInt8]) throws(DepositError) {
        guard bytes.count == 32 else {
            throw .wrongLength(field: "withdrawal_credentials", expected: 32, found: bytes.count)
        }
        guard let kind = Kind(rawValue: bytes[0]) else { throw .unsupportedWithdrawalPrefix(bytes[0]) }
        if kind != .bls, bytes[1..<12].contains(where: { $0 != 0 }) {
            throw .malformedWithdrawalCredentials
        }
        self.bytes = bytes
    }

    private init(unchecked bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The execution address of 0x01 and 0x02 credentials.
    public var executionAddress: ExecutionAddress? {
        kind == .bls ? nil : try? ExecutionAddress(bytes: Array(bytes[12...]))
    }

    public var description: String {
        switch kind {
        case .bls: "0x00 (BLS) credentials 0x\(Hex.encode(bytes))"
        case .executionAddress: "0x01 credentials to \(executionAddress!)"
        case .compounding: "0x02 (compounding) credentials to \(executionAddress!)"
        }
    }
}
