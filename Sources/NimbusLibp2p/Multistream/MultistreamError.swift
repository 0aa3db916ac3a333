/// Why a multistream-select negotiation failed.
public enum MultistreamError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The first message was not "/multistream/1.0.0".
    case unexpectedHeader(String)
    /// A message longer than the negotiation allows.
    case messageTooLong(length: Int, limit: Int)
    /// Bad framing or text.
    case malformedMessage(String)
    /// The responder answered with something other than the proposal or "na".
    case unexpectedResponse(String)
    /// The responder refused every proposal.
    case noCommonProtocol([String])
    /// The initiator proposed more protocols than the responder accepts.
    case tooManyProposals(Int)

    /// A reason for logs; protocol ids are printed, they are public names, not payload.
    public var description: String {
        switch self {
        case .unexpectedHeader(let text): "multistream: unexpected header \(Self.printable(text))"
        case .messageTooLong(let length, let limit): "multistream: message of \(length) bytes above limit \(limit)"
        case .malformedMessage(let reason): "multistream: \(reason)"
        case .unexpectedResponse(let text): "multistream: unexpected response \(Self.printable(text))"
        case .noCommonProtocol(let protocols): "multistream: peer supports none of \(protocols)"
        case .tooManyProposals(let count): "multistream: peer made \(count) proposals"
        }
    }

    /// At most 64 characters of peer-supplied text, for one-line logs.
    private static func printable(_ text: String) -> String {
        let clipped = text.unicodeScalars.prefix(64).map { $0.properties.isWhitespace || $0.value < 0x20 ? " " : Character($0) }
        return "\"\(String(clipped))\""
    }
}
