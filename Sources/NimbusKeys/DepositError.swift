/// Why deposit data cannot be made, read or verified. Deposit data is public; messages name entries, fields and
/// the expected values, never a secret key or mnemonic.
public indirect enum DepositError: Error, Equatable, Sendable {
    /// The problem is in the entry at `index` (0-based) of a deposit data file.
    case entry(index: Int, DepositError)
    case notJSON(offset: Int, reason: String)
    case notAList
    case emptyFile
    case missingField(String)
    case wrongType(field: String, expected: String)
    case unexpectedField(String)
    case invalidHex(field: String)
    case wrongLength(field: String, expected: Int, found: Int)
    case unsupportedWithdrawalPrefix(UInt8)
    case malformedWithdrawalCredentials
    case amountOutOfRange(gwei: UInt64, kind: WithdrawalCredentials.Kind)
    case forkVersionMismatch(found: [UInt8], network: Network)
    case networkNameMismatch(found: String, expected: String)
    case depositMessageRootMismatch
    case depositDataRootMismatch
    case invalidSignature
    case invalidPublicKey
    case unexpectedPublicKey
    case unexpectedWithdrawalCredentials
    case signingFailed
}

extension DepositError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .entry(let index, let error):
            "deposit \(index + 1): \(error)"
        case .notJSON(let offset, let reason):
            "the deposit data file is not valid JSON (\(reason) at byte \(offset)); is this the right file?"
        case .notAList:
            "a deposit data file is a JSON list of deposits"
        case .emptyFile:
            "the deposit data file lists no deposits"
        case .missingField(let field):
            "the \"\(field)\" field is missing"
        case .wrongType(let field, let expected):
            "the \"\(field)\" field must be \(expected)"
        case .unexpectedField(let field):
            "unexpected field \"\(field.jsonDiagnostic)\" (a deposit-cli deposit has exactly pubkey, "
                + "withdrawal_credentials, amount, signature, deposit_message_root, deposit_data_root, fork_version, "
                + "network_name, deposit_cli_version)"
        case .invalidHex(let field):
            "the \"\(field)\" field is not hex (digits 0-9 and a-f, without 0x)"
        case .wrongLength(let field, let expected, let found):
            "the \"\(field)\" field must be \(expected) bytes, not \(found)"
        case .unsupportedWithdrawalPrefix(let prefix):
            "withdrawal credentials start with 0x\(Hex.encode([prefix])); only 0x00 (BLS), 0x01 (execution address) "
                + "and 0x02 (compounding) are valid for validator deposits"
        case .malformedWithdrawalCredentials:
            "0x01/0x02 withdrawal credentials must have 11 zero bytes between the prefix and the address"
        case .amountOutOfRange(let gwei, let kind):
            "a deposit of \(DepositAmount.ethText(gwei)) is out of range for \(kind.prefixText) withdrawal "
                + "credentials: it must be between 1 ETH and \(DepositAmount.ethText(kind.maximumDepositGwei))"
                + (kind == .compounding ? "" : " (use 0x02 compounding credentials for larger deposits)")
        case .forkVersionMismatch(let found, let network):
            "the deposit is for fork version 0x\(Hex.encode(found)), not \(network): it was made for another network "
                + "and would be rejected there (funds sent with it are lost to the deposit contract's checks)"
        case .networkNameMismatch(let found, let expected):
            "the deposit names network \"\(found.jsonDiagnostic)\", expected \"\(expected)\""
        case .depositMessageRootMismatch:
            "deposit_message_root does not match the pubkey, withdrawal credentials and amount: the file was altered"
        case .depositDataRootMismatch:
            "deposit_data_root does not match the deposit's fields: the file was altered or damaged"
        case .invalidSignature:
            "the deposit signature does not verify for this pubkey on this network's fork version"
        case .invalidPublicKey:
            "the pubkey is not a valid compressed BLS12-381 public key"
        case .unexpectedPublicKey:
            "the pubkey is not the one derived for this validator"
        case .unexpectedWithdrawalCredentials:
            "the withdrawal credentials are not the ones requested"
        case .signingFailed:
            "the BLS library could not sign the deposit (is the secret key valid?)"
        }
    }
}
