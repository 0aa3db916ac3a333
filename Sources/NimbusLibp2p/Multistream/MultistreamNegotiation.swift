/// The multistream-select 1.0 state machine for one connection or stream: bytes in, actions out, no I/O.
///
/// The initiator sends the header and its first proposal in one write without waiting for the responder's header
/// (pipelining; with a single protocol this is the "optimistic" proposal, one round trip in all), then moves to
/// the next proposal on each "na". The responder sends the header at once, then echoes the first supported
/// proposal or answers "na", up to `maxProposals` times. Bytes after the final response belong to the negotiated
/// protocol and come back in `Action.agreed`.
public struct MultistreamNegotiation: Sendable {
    /// What the caller must do.
    public enum Action: Equatable, Sendable {
        /// Write these bytes to the peer.
        case send([UInt8])
        /// The protocol is agreed; `remainder` holds bytes already received that belong to it.
        case agreed(protocol: String, remainder: [UInt8])
        /// The negotiation failed; close or reset the transport.
        case failed(MultistreamError)
    }

    private enum State: Sendable {
        case idle
        case initiator(proposals: [String], index: Int, headerSeen: Bool)
        case responder(supported: Set<String>, headerSeen: Bool, refusals: Int)
        case done
    }

    /// The longest message accepted by default; protocol ids are short.
    public static let defaultMaxMessageLength = 1024
    /// The number of refused proposals a responder tolerates by default.
    public static let defaultMaxProposals = 32

    private let role: State
    private var state: State = .idle
    private var buffer: [UInt8] = []
    private let maxMessageLength: Int
    private let maxProposals: Int

    /// An initiator proposing `protocols` in order of preference (at least one).
    public init(proposing protocols: [String], maxMessageLength: Int = defaultMaxMessageLength) {
        precondition(!protocols.isEmpty, "nothing to propose")
        role = .initiator(proposals: protocols, index: 0, headerSeen: false)
        self.maxMessageLength = maxMessageLength
        self.maxProposals = protocols.count
    }

    /// A responder accepting any of `protocols`.
    public init(
        supporting protocols: some Sequence<String>, maxMessageLength: Int = defaultMaxMessageLength,
        maxProposals: Int = defaultMaxProposals
    ) {
        role = .responder(supported: Set(protocols), headerSeen: false, refusals: 0)
        self.maxMessageLength = maxMessageLength
        self.maxProposals = maxProposals
    }

    /// Whether the negotiation has ended (agreed or failed).
    public var isFinished: Bool {
        if case .done = state { return true }
        return false
    }

    /// Starts: the initiator sends the header and its first proposal, the responder its header.
    public mutating func start() -> [Action] {
        guard case .idle = state else { return [] }
        state = role
        switch role {
        case .initiator(let proposals, _, _):
            return [
                .send(MultistreamMessage.encode(MultistreamMessage.header) + MultistreamMessage.encode(proposals[0]))
            ]
        case .responder:
            return [.send(MultistreamMessage.encode(MultistreamMessage.header))]
        case .idle, .done:
            return []
        }
    }

    /// Feeds bytes from the peer, in any split.
    public mutating func receive<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> [Action] {
        if case .idle = state { preconditionFailure("receive before start") }
        guard !isFinished else { return [] }
        buffer.append(contentsOf: bytes)
        var actions: [Action] = []
        if let failure = checkHeaderLength() { return [fail(failure)] }
        while !isFinished {
            let message: String?
            do {
                message = try MultistreamMessage.decode(from: &buffer, maxLength: maxMessageLength)
            } catch {
                return actions + [fail(error)]
            }
            guard let message else { break }
            actions += handle(message)
        }
        return actions
    }

    /// The first message can only be the header, so a different length prefix is refused at once rather than
    /// waiting for bytes that a confused peer (an HTTP client, say) will never send.
    private func checkHeaderLength() -> MultistreamError? {
        let headerSeen: Bool
        switch state {
        case .initiator(_, _, let seen), .responder(_, let seen, _): headerSeen = seen
        case .idle, .done: return nil
        }
        guard !headerSeen, let first = buffer.first else { return nil }
        let expected = MultistreamMessage.header.utf8.count + 1
        guard Int(first) != expected else { return nil }
        return .malformedMessage("first message is \(first & 0x7F) bytes, not the \(expected)-byte header")
    }

    private mutating func handle(_ message: String) -> [Action] {
        switch state {
        case .initiator(let proposals, let index, let headerSeen):
            guard headerSeen else {
                guard message == MultistreamMessage.header else { return [fail(.unexpectedHeader(message))] }
                state = .initiator(proposals: proposals, index: index, headerSeen: true)
                return []
            }
            if message == proposals[index] { return [agree(message)] }
            guard message == MultistreamMessage.notAvailable else { return [fail(.unexpectedResponse(message))] }
            guard index + 1 < proposals.count else { return [fail(.noCommonProtocol(proposals))] }
            state = .initiator(proposals: proposals, index: index + 1, headerSeen: true)
            return [.send(MultistreamMessage.encode(proposals[index + 1]))]
        case .responder(let supported, let headerSeen, let refusals):
            guard headerSeen else {
                guard message == MultistreamMessage.header else { return [fail(.unexpectedHeader(message))] }
                state = .responder(supported: supported, headerSeen: true, refusals: refusals)
                return []
            }
            if supported.contains(message) {
                let echo = Action.send(MultistreamMessage.encode(message))
                return [echo, agree(message)]
            }
            guard refusals < maxProposals else { return [fail(.tooManyProposals(refusals + 1))] }
            state = .responder(supported: supported, headerSeen: true, refusals: refusals + 1)
            return [.send(MultistreamMessage.encode(MultistreamMessage.notAvailable))]
        case .idle, .done:
            return []
        }
    }

    private mutating func agree(_ protocolID: String) -> Action {
        state = .done
        let remainder = buffer
        buffer = []
        return .agreed(protocol: protocolID, remainder: remainder)
    }

    private mutating func fail(_ error: MultistreamError) -> Action {
        state = .done
        buffer = []
        return .failed(error)
    }
}
