/// Why a keystore cannot be read, written or decrypted. Messages name fields and expectations, never the
/// password or key material.
public enum KeystoreError: Error, Equatable, Sendable {
    /// The file is not JSON (byte offset and reason).
    case notJSON(offset: Int, reason: String)
    /// A required member is absent (dotted path such as "crypto.kdf.params.salt").
    case missingField(String)
    /// A member has the wrong JSON type.
    case wrongType(field: String, expected: String)
    /// A member that EIP-2335 does not define where it was found.
    case unexpectedField(String)
    /// `version` is not 4.
    case unsupportedVersion(String)
    /// `crypto.kdf.function` is neither "scrypt" nor "pbkdf2".
    case unsupportedKDF(String)
    /// `crypto.kdf.params.prf` is not "hmac-sha256".
    case unsupportedPRF(String)
    /// `crypto.cipher.function` is not "aes-128-ctr".
    case unsupportedCipher(String)
    /// `crypto.checksum.function` is not "sha256".
    case unsupportedChecksum(String)
    /// A field that must be hex is not (odd length or a non-hex character).
    case invalidHex(field: String)
    /// A field or argument has the wrong number of bytes.
    case wrongLength(field: String, expected: Int, found: Int)
    /// A KDF parameter is invalid or beyond this tool's limits.
    case invalidKDFParameter(name: String, reason: String)
    /// `crypto.kdf.message` or another fixed field has a value EIP-2335 does not allow.
    case invalidValue(field: String, expected: String)
    /// `path` is not an EIP-2334 path.
    case invalidPath(DerivationPathError)
    /// `uuid` is not in 8-4-4-4-12 hex form.
    case invalidUUID
    /// The checksum does not match: the password is wrong (or the file was altered).
    case wrongPassword
    /// The password is right but the decrypted secret is not a BLS secret key (zero or not below the group order).
    case secretNotABLSKey
    /// The KDF itself failed (e.g. memory could not be had for scrypt).
    case kdfFailed(function: String)
    /// Encryption parameters below ethstaker-deposit-cli's minimum (scrypt n·r·p < 2^20, PBKDF2 c < 2^18).
    case weakKDFParameters
    /// A derived key was used with a keystore whose KDF or salt differs.
    case keyForAnotherKDF
}

extension KeystoreError: CustomStringConvertible {
    /// An actionable message with no secret in it.
    public var description: String {
        switch self {
        case .notJSON(let offset, let reason):
            "the keystore is not valid JSON (\(reason) at byte \(offset)); is this the right file?"
        case .missingField(let field):
            "the keystore has no \"\(field)\" field, which EIP-2335 requires"
        case .wrongType(let field, let expected):
            "the keystore's \"\(field)\" field must be \(expected)"
        case .unexpectedField(let field):
            "the keystore has a field \"\(field.jsonDiagnostic)\" that EIP-2335 does not define there"
        case .unsupportedVersion(let found):
            "the keystore is version \(found.jsonDiagnostic); only EIP-2335 version 4 keystores are supported"
        case .unsupportedKDF(let name):
            "the keystore uses the key-derivation function \"\(name.jsonDiagnostic)\"; "
                + "EIP-2335 defines only \"scrypt\" and \"pbkdf2\""
        case .unsupportedPRF(let name):
            "the keystore's PBKDF2 uses \"\(name.jsonDiagnostic)\"; EIP-2335 defines only \"hmac-sha256\""
        case .unsupportedCipher(let name):
            "the keystore uses the cipher \"\(name.jsonDiagnostic)\"; EIP-2335 defines only \"aes-128-ctr\""
        case .unsupportedChecksum(let name):
            "the keystore uses the checksum \"\(name.jsonDiagnostic)\"; EIP-2335 defines only \"sha256\""
        case .invalidHex(let field):
            "the keystore's \"\(field)\" field is not valid hex (an even number of 0-9/a-f digits, no 0x prefix)"
        case .wrongLength(let field, let expected, let found):
            "the keystore's \"\(field)\" must be \(expected) bytes, not \(found)"
        case .invalidKDFParameter(let name, let reason):
            "the keystore's KDF parameter \"\(name)\" \(reason)"
        case .invalidValue(let field, let expected):
            "the keystore's \"\(field)\" field must be \(expected)"
        case .invalidPath(let error):
            "the keystore's \"path\" field is not an EIP-2334 path: \(error)"
        case .invalidUUID:
            "the keystore's \"uuid\" field is not a UUID (8-4-4-4-12 hex digits)"
        case .wrongPassword:
            "wrong password for this keystore (the checksum does not match); check the password, including "
                + "letter case and keyboard layout"
        case .secretNotABLSKey:
            "the keystore decrypts, but its secret is not a valid BLS12-381 secret key: the file is damaged or is "
                + "not a validator keystore"
        case .kdfFailed(let function):
            "the keystore's \(function) key derivation failed (not enough memory?)"
        case .weakKDFParameters:
            "refusing to encrypt with KDF parameters below ethstaker-deposit-cli's minimum (scrypt n·r·p ≥ 2^20, "
                + "pbkdf2 c ≥ 2^18)"
        case .keyForAnotherKDF:
            "the derived key was made for another keystore's KDF parameters or salt; derive it from this keystore"
        }
    }
}
