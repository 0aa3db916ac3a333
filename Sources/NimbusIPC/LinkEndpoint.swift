/// One end of a link: checks everything that arrives and everything that leaves against the permission table,
/// the phase, the once-only rules and the outstanding requests. Pure: the transport feeds it frames and carries
/// out what it returns; an error from `receive` means the peer violated the protocol.
public struct LinkEndpoint: Sendable {
    /// What an accepted incoming frame is.
    public enum Incoming: Sendable, Equatable {
        /// A request to answer with `reply(to:_:)`.
        case request(id: UInt32, IPCMessage)
        /// The answer to one of our requests.
        case reply(id: UInt32, IPCMessage)
        /// The answer to a request we gave up on (timed out); drop it.
        case lateReply(id: UInt32)
        /// A message that expects no answer.
        case notification(IPCMessage)
    }

    /// Requests one side may have outstanding at once; more is a violation (or, outgoing, back-pressure).
    public static let maximumOutstanding = 64
    /// Abandoned request ids remembered so that their late replies are dropped, not treated as violations.
    static let rememberedAbandoned = 256

    public let link: Link
    public let local: Role
    public private(set) var phase: LinkPhase

    private let localSide: LinkSide
    private var sent: [UInt32: MessageType] = [:]
    private var received: [UInt32: MessageType] = [:]
    private var abandoned: [UInt32] = []
    private var onceSeen: Set<MessageType> = []
    private var nextID: UInt32 = 1

    public init(link: Link, local: Role) {
        precondition(local == link.parent || local == link.child, "\(local) is not an end of \(link)")
        self.link = link
        self.local = local
        localSide = local == link.parent ? .parent : .child
        phase = link.parent == .supervisor ? .starting : .running
    }

    private var remoteSide: LinkSide { localSide == .parent ? .child : .parent }

    /// Ids of our requests still waiting for replies.
    public var outstandingRequestIDs: [UInt32] { Array(sent.keys) }

    // MARK: Incoming

    /// Validates and decodes a frame from the peer. `hasDescriptor` says whether a file descriptor came with it.
    public mutating func receive(_ frame: Frame, hasDescriptor: Bool) throws(IPCError) -> Incoming {
        guard let type = MessageType(rawValue: frame.type) else { throw .unknownType(frame.type) }
        guard hasDescriptor == type.carriesDescriptor else {
            throw hasDescriptor ? .unexpectedDescriptor : .missingDescriptor(type: frame.type)
        }
        if let requestType = sent[frame.requestID], frame.requestID != 0,
            PermissionTable.permission(for: type, on: link, from: remoteSide) == nil
        {
            return try acceptReply(frame, type: type, request: requestType)
        }
        if frame.requestID != 0, abandoned.contains(frame.requestID),
            PermissionTable.permission(for: type, on: link, from: remoteSide) == nil
        {
            abandoned.removeAll { $0 == frame.requestID }
            _ = try IPCMessage.decode(type: type, body: frame.body)
            return .lateReply(id: frame.requestID)
        }
        guard let permission = PermissionTable.permission(for: type, on: link, from: remoteSide),
            permission.phases.contains(phase)
        else {
            if frame.requestID != 0 && !isRequestOrNotification(type) {
                throw .replyWithoutRequest(type: frame.type, requestID: frame.requestID)
            }
            throw .notPermitted(type: frame.type, link: link, from: link.peer(of: local), phase: phase)
        }
        let message = try IPCMessage.decode(type: type, body: frame.body)
        switch permission.kind {
        case .request:
            guard frame.requestID != 0 else { throw .missingRequestID(type: frame.type) }
            guard received[frame.requestID] == nil else { throw .duplicateRequestID(frame.requestID) }
            guard received.count < Self.maximumOutstanding else {
                throw .tooManyOutstanding(limit: Self.maximumOutstanding)
            }
            received[frame.requestID] = type
            return .request(id: frame.requestID, message)
        case let .notification(once):
            guard frame.requestID == 0 else { throw .unexpectedRequestID(type: frame.type) }
            if once {
                guard !onceSeen.contains(type) else { throw .onceOnly(type: frame.type) }
                onceSeen.insert(type)
            }
            try checkMeaning(of: message)
            advancePhase(after: type)
            return .notification(message)
        }
    }

    private mutating func acceptReply(_ frame: Frame, type: MessageType, request: MessageType) throws(IPCError)
        -> Incoming
    {
        guard case let .request(replies)? = PermissionTable.permission(for: request, on: link, from: localSide)?.kind,
            replies.contains(type)
        else { throw .wrongReply(type: frame.type, request: request.rawValue) }
        let message = try IPCMessage.decode(type: type, body: frame.body)
        sent[frame.requestID] = nil
        return .reply(id: frame.requestID, message)
    }

    /// Whether `type` is a request or notification anywhere in the catalogue (as opposed to a reply type).
    private func isRequestOrNotification(_ type: MessageType) -> Bool {
        Link.allCases.contains { link in PermissionTable.permissions(on: link).contains { $0.type == type } }
    }

    /// Checks what a notification means, not only its shape.
    private func checkMeaning(of message: IPCMessage) throws(IPCError) {
        if case let .peerLinkReplaced(peer) = message {
            guard peer != .supervisor, Link.between(local, peer) != nil else {
                throw .invalidValue("\(local) has no link to \(peer)")
            }
        }
    }

    private mutating func advancePhase(after type: MessageType) {
        if type == .ready { phase = .running }
    }

    // MARK: Outgoing

    /// Frames a request and records it as outstanding. Throws `tooManyOutstanding` as back-pressure and
    /// `notPermitted` before the link's phase allows it. Traps when the table never permits it from this side:
    /// that is a bug in this process.
    public mutating func request(_ message: IPCMessage) throws(IPCError) -> (id: UInt32, frame: Frame) {
        guard let permission = PermissionTable.permission(for: message.type, on: link, from: localSide),
            case .request = permission.kind
        else { preconditionFailure("\(message.type) is never a request from \(local) on \(link)") }
        // Asking before the link reached the right phase is a matter of timing (a command arrived while the role was
        // still starting), not a bug: the caller gets an error to report.
        guard permission.phases.contains(phase) else {
            throw .notPermitted(type: message.type.rawValue, link: link, from: local, phase: phase)
        }
        guard sent.count < Self.maximumOutstanding else { throw .tooManyOutstanding(limit: Self.maximumOutstanding) }
        while nextID == 0 || sent[nextID] != nil || abandoned.contains(nextID) { nextID &+= 1 }
        let id = nextID
        nextID &+= 1
        sent[id] = message.type
        return (id, Frame(type: message.type.rawValue, requestID: id, body: message.encodedBody()))
    }

    /// Frames the reply to a request received earlier. Traps on a reply the request does not allow.
    public mutating func reply(to id: UInt32, _ message: IPCMessage) -> Frame {
        guard let request = received.removeValue(forKey: id) else { preconditionFailure("no request \(id) to answer") }
        guard case let .request(replies)? = PermissionTable.permission(for: request, on: link, from: remoteSide)?.kind,
            replies.contains(message.type)
        else { preconditionFailure("\(message.type) does not answer \(request)") }
        return Frame(type: message.type.rawValue, requestID: id, body: message.encodedBody())
    }

    /// Frames a notification. Traps when not permitted now.
    public mutating func notify(_ message: IPCMessage) -> Frame {
        let permission = outgoingPermission(message.type)
        guard case let .notification(once) = permission.kind else {
            preconditionFailure("\(message.type) is not a notification")
        }
        if once {
            precondition(!onceSeen.contains(message.type), "\(message.type) sent twice")
            onceSeen.insert(message.type)
        }
        advancePhase(after: message.type)
        return Frame(type: message.type.rawValue, requestID: 0, body: message.encodedBody())
    }

    /// Gives up on an outstanding request (timeout): its reply, if it still comes, is dropped.
    public mutating func abandon(_ id: UInt32) {
        guard sent.removeValue(forKey: id) != nil else { return }
        abandoned.append(id)
        if abandoned.count > Self.rememberedAbandoned { abandoned.removeFirst() }
    }

    private func outgoingPermission(_ type: MessageType) -> Permission {
        guard let permission = PermissionTable.permission(for: type, on: link, from: localSide),
            permission.phases.contains(phase)
        else { preconditionFailure("\(type) is not permitted from \(local) on \(link) in phase \(phase)") }
        return permission
    }
}
