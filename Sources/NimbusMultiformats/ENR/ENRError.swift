/// Why text or bytes are not a valid node record.
public enum ENRError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Text without the "enr:" prefix or with malformed base64.
    case invalidText
    /// Larger than the 300 bytes EIP-778 allows.
    case tooLarge(Int)
    /// Not RLP.
    case rlp(RLPError)
    /// Not a list of signature, sequence number and key/value pairs.
    case malformedRecord(String)
    /// Keys out of order or repeated (EIP-778: "sorted and unique").
    case keysNotSorted
    /// An identity scheme other than "v4".
    case unsupportedIdentityScheme(String)
    /// The signature does not verify against the record's key.
    case invalidSignature
    /// A known field with a malformed value.
    case invalidField(key: String, reason: String)

    /// A reason for logs and test failures.
    public var description: String {
        switch self {
        case .invalidText: "ENR text is not 'enr:' followed by URL-safe base64"
        case .tooLarge(let size): "ENR of \(size) bytes above the 300-byte limit"
        case .rlp(let error): "ENR: \(error)"
        case .malformedRecord(let reason): "malformed ENR: \(reason)"
        case .keysNotSorted: "ENR keys not sorted and unique"
        case .unsupportedIdentityScheme(let scheme): "unsupported ENR identity scheme \(scheme)"
        case .invalidSignature: "ENR signature does not verify"
        case .invalidField(let key, let reason): "invalid ENR field \(key): \(reason)"
        }
    }
}
