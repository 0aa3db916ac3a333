/// Why text or bytes are not a multiaddr this module understands.
public enum MultiaddrError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The text does not start with "/".
    case missingLeadingSlash
    /// A protocol name or code outside the supported set.
    case unknownProtocol(String)
    /// A protocol that takes a value is missing it.
    case missingValue(protocol: String)
    /// A value that does not parse for its protocol.
    case invalidValue(protocol: String, reason: String)
    /// The binary form ended inside a component.
    case truncated
    /// The binary or text form is longer than `Multiaddr.maxLength`.
    case tooLong
    /// The address has no components.
    case empty

    /// A reason for logs and test failures.
    public var description: String {
        switch self {
        case .missingLeadingSlash: "multiaddr must start with '/'"
        case .unknownProtocol(let name): "unknown multiaddr protocol \(name)"
        case .missingValue(let name): "multiaddr protocol \(name) needs a value"
        case .invalidValue(let name, let reason): "invalid value for multiaddr protocol \(name): \(reason)"
        case .truncated: "multiaddr bytes truncated"
        case .tooLong: "multiaddr longer than \(Multiaddr.maxLength) bytes"
        case .empty: "empty multiaddr"
        }
    }
}
