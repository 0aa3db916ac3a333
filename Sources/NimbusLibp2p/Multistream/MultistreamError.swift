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

    /// A reason for logs. Peer-supplied text is described by its length only: before the handshake it may be
    /// anything, and logs carry no payload; our own proposals are printed.
    public var description: String {
        switch self {
        case .unexpectedHeader(let text): "multistream: unexpected header (\(text.utf8.count) bytes)"
        case .messageTooLong(let length, let limit): "multistream: message of \(length) bytes above limit \(limit)"
        case .malformedMessage(let reason): "multistream: \(reason)"
        case .unexpectedResponse(let text): "multistream: unexpected response (\(text.utf8.count) bytes)"
        case .noCommonProtocol(let protocols): "multistream: peer supports none of \(protocols)"
        case .tooManyProposals(let count): "multistream: peer made \(count) proposals"
        }
    }
}
