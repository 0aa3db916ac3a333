/// The client side of 19/WAKU2-LIGHTPUSH as a pure state machine: push one message through the first service peer
/// that accepts it, speaking v3 (`/vac/waku/lightpush/3.0.0`) and falling back to v2
/// (`/vac/waku/lightpush/2.0.0-beta1`) with a peer that does not support v3. It remembers which version each
/// peer spoke (`LightPushVersionMemory`), moves on to the next peer after a transport failure or a status that
/// another peer may not share (429, 5xx), and stops at a status that is about the message itself (400, 413,
/// 420, 421).
public struct LightPushAttempt: Sendable {
    /// The outcome of the whole attempt.
    public enum Outcome: Hashable, Sendable {
        /// A peer relayed the message (`relayPeerCount` is nil under v2, which does not report it).
        case delivered(peer: WakuPeerID, relayPeerCount: UInt32?)
        /// A peer refused the message for a reason no other peer would ignore.
        case rejected(peer: WakuPeerID, status: LightPushStatus, description: String?)
        /// Every peer failed; the last reason is kept.
        case exhausted(lastFailure: String)
    }

    /// What to do next.
    public enum Step: Hashable, Sendable {
        /// Open a stream to `peer`, proposing `protocols` in that order, then report with `streamOpened` or
        /// `streamFailed`.
        case openStream(peer: WakuPeerID, protocols: [String])
        /// Write `frame` (one length-prefixed message body) on the open stream, read one response and report it
        /// with `received`.
        case exchange(peer: WakuPeerID, request: [UInt8])
        /// Done.
        case finished(Outcome)
    }

    private let message: WakuMessage
    private let pubsubTopic: String
    private let requestID: String
    private var remaining: [WakuPeerID]
    private var current: (peer: WakuPeerID, protocolID: String)?
    private var lastFailure = "no lightpush peers"

    /// An attempt to push `message` on `pubsubTopic` through `peers`, in order.
    public init(message: WakuMessage, pubsubTopic: String, peers: [WakuPeerID], requestID: String) {
        self.message = message
        self.pubsubTopic = pubsubTopic
        self.requestID = requestID
        remaining = peers
    }

    /// The first step.
    public mutating func start(memory: LightPushVersionMemory) -> Step {
        nextPeer(memory: memory)
    }

    /// The stream to the current peer opened with `protocolID` (the one multistream-select agreed on).
    public mutating func streamOpened(protocolID: String, memory: inout LightPushVersionMemory) -> Step {
        guard let peer = current?.peer else { return .finished(.exhausted(lastFailure: lastFailure)) }
        current = (peer, protocolID)
        memory.record(peer: peer, protocolID: protocolID)
        if protocolID == WakuProtocolID.lightPushLegacy {
            let rpc = LegacyPushRPC(
                requestID: requestID, request: LegacyPushRPC.Request(pubsubTopic: pubsubTopic, message: message))
            return .exchange(peer: peer, request: rpc.encoded())
        }
        let request = LightPushRequest(requestID: requestID, pubsubTopic: pubsubTopic, message: message)
        return .exchange(peer: peer, request: request.encoded())
    }

    /// The stream could not be opened (no shared protocol, dial failure): try the next peer.
    public mutating func streamFailed(reason: String, memory: LightPushVersionMemory) -> Step {
        lastFailure = reason
        return nextPeer(memory: memory)
    }

    /// The response (or the failure to get one) on the current stream.
    public mutating func received(
        _ response: Result<[UInt8], LightPushTransportFailure>,
        memory: LightPushVersionMemory
    ) -> Step {
        guard let (peer, protocolID) = current else { return .finished(.exhausted(lastFailure: lastFailure)) }
        let bytes: [UInt8]
        switch response {
        case .failure(let failure):
            lastFailure = failure.reason
            return nextPeer(memory: memory)
        case .success(let body):
            bytes = body
        }
        if protocolID == WakuProtocolID.lightPushLegacy {
            guard let rpc = try? LegacyPushRPC(decoding: bytes), rpc.requestID == requestID,
                let answer = rpc.response
            else {
                lastFailure = "malformed lightpush v2 response from \(peer)"
                return nextPeer(memory: memory)
            }
            if answer.isSuccess { return .finished(.delivered(peer: peer, relayPeerCount: nil)) }
            lastFailure = "lightpush v2 refused by \(peer): \(answer.info ?? "no reason")"
            return nextPeer(memory: memory)
        }
        guard let answer = try? LightPushResponse(decoding: bytes), answer.requestID == requestID else {
            lastFailure = "malformed lightpush v3 response from \(peer)"
            return nextPeer(memory: memory)
        }
        if answer.status.isSuccess {
            return .finished(.delivered(peer: peer, relayPeerCount: answer.relayPeerCount))
        }
        switch answer.status {
        case .badRequest, .payloadTooLarge, .invalidMessage, .unsupportedPubsubTopic:
            return .finished(.rejected(peer: peer, status: answer.status, description: answer.statusDescription))
        default:
            lastFailure = "lightpush refused by \(peer): \(answer.status) \(answer.statusDescription ?? "")"
            return nextPeer(memory: memory)
        }
    }

    private mutating func nextPeer(memory: LightPushVersionMemory) -> Step {
        guard !remaining.isEmpty else {
            current = nil
            return .finished(.exhausted(lastFailure: lastFailure))
        }
        let peer = remaining.removeFirst()
        current = (peer, WakuProtocolID.lightPush)
        return .openStream(peer: peer, protocols: memory.protocols(for: peer))
    }
}

/// Why a lightpush exchange failed below the protocol (stream reset, timeout, oversize frame).
public struct LightPushTransportFailure: Error, Hashable, Sendable {
    /// The reason.
    public let reason: String

    /// A failure with its reason.
    public init(reason: String) {
        self.reason = reason
    }
}

/// Which lightpush version each service peer spoke last, so that a peer known to lack v3 is asked for v2 first.
public struct LightPushVersionMemory: Hashable, Sendable {
    private var versions: [WakuPeerID: String] = [:]

    /// No peer known.
    public init() {}

    /// The protocols to propose to `peer`, preferred first.
    public func protocols(for peer: WakuPeerID) -> [String] {
        versions[peer] == WakuProtocolID.lightPushLegacy
            ? [WakuProtocolID.lightPushLegacy, WakuProtocolID.lightPush]
            : [WakuProtocolID.lightPush, WakuProtocolID.lightPushLegacy]
    }

    /// Records the version `peer` agreed on.
    public mutating func record(peer: WakuPeerID, protocolID: String) {
        versions[peer] = protocolID
    }

    /// The version `peer` spoke last.
    public func protocolID(of peer: WakuPeerID) -> String? { versions[peer] }
}
