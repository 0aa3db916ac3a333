/// The client side of 12/WAKU2-FILTER v2 as a pure state machine: keeps the wanted (pubsub topic, content topic)
/// subscriptions alive on a few service peers. It subscribes on every peer it uses, pings them so that the
/// service node keeps the subscription (nwaku drops silent clients after 5 minutes), resubscribes after a
/// reconnect or when a ping answers 404 (the service node restarted or forgot), and replaces peers that go away.
public struct FilterClientSession: Sendable {
    /// The pacing.
    public struct Parameters: Hashable, Sendable {
        /// Service peers subscribed on at once (redundancy against a peer that silently drops pushes).
        public var targetPeers = 2
        /// Time between pings of a subscribed peer; well under the service node's 5-minute expiry.
        public var pingInterval: Duration = .seconds(60)
        /// Wait before retrying a peer whose subscribe failed.
        public var retryDelay: Duration = .seconds(5)

        /// The defaults.
        public init() {}
    }

    /// What the session asks its host to do.
    public enum Action: Hashable, Sendable {
        /// Send a request on a new `/vac/waku/filter-subscribe/2.0.0-beta1` stream and report the response (or
        /// the failure) back with its request id.
        case send(FilterSubscribeRequest, to: WakuPeerID)
    }

    /// A used service peer's phase.
    public enum Phase: Hashable, Sendable {
        /// Subscribe requests are in flight.
        case subscribing
        /// Every subscribe succeeded; pinged periodically.
        case active
        /// A request failed or the peer disconnected; resubscribe when possible.
        case lost
    }

    private struct PeerState: Sendable {
        var connected: Bool
        var phase: Phase
        var lastRefresh: Duration
        var retryAt: Duration
        var outstanding: Set<String> = []
    }

    private struct Pending: Sendable {
        let peer: WakuPeerID
        let kind: FilterSubscribeRequest.Kind
    }

    /// The pacing.
    public let parameters: Parameters
    private var generator: SplitMix64
    /// The wanted content topics per pubsub topic.
    public private(set) var desired: [String: Set<String>] = [:]
    private var used: [WakuPeerID: PeerState] = [:]
    private var spare: Set<WakuPeerID> = []
    private var pending: [String: Pending] = [:]

    /// A session with nothing wanted yet.
    public init(parameters: Parameters = Parameters(), generator: SplitMix64) {
        self.parameters = parameters
        self.generator = generator
    }

    /// The service peers in use and their phases.
    public var peerPhases: [WakuPeerID: Phase] { used.mapValues(\.phase) }

    /// The peers on which every wanted subscription is in place.
    public var activePeers: [WakuPeerID] {
        used.filter { $0.value.connected && $0.value.phase == .active }.map(\.key).sorted()
    }

    // MARK: Wanted topics

    /// Adds content topics on a pubsub topic and subscribes them on the peers in use.
    public mutating func subscribe(pubsubTopic: String, contentTopics: [String], now: Duration) -> [Action] {
        let new = Set(contentTopics).subtracting(desired[pubsubTopic] ?? [])
        guard !new.isEmpty else { return [] }
        desired[pubsubTopic, default: []].formUnion(new)
        var actions: [Action] = []
        for peer in connectedPeers() {
            used[peer]?.phase = .subscribing
            actions += requests(.subscribe, pubsubTopic: pubsubTopic, contentTopics: new.sorted(), to: peer)
        }
        return actions
    }

    /// Removes content topics and unsubscribes them on the peers in use.
    public mutating func unsubscribe(pubsubTopic: String, contentTopics: [String], now: Duration) -> [Action] {
        let removed = Set(contentTopics).intersection(desired[pubsubTopic] ?? [])
        guard !removed.isEmpty else { return [] }
        desired[pubsubTopic]?.subtract(removed)
        if desired[pubsubTopic]?.isEmpty == true { desired[pubsubTopic] = nil }
        // Always the removed topics by name, never "unsubscribe all": requests travel on separate streams, so a
        // service node may handle an "all" after a subscribe sent just after it, and drop the new subscription.
        var actions: [Action] = []
        for peer in connectedPeers() {
            actions += requests(.unsubscribe, pubsubTopic: pubsubTopic, contentTopics: removed.sorted(), to: peer)
        }
        return actions
    }

    // MARK: Peers

    /// A peer that serves filter connected: reuse it if it was in use (resubscribing everything), adopt it if
    /// fewer than `targetPeers` are in use, keep it as a spare otherwise.
    public mutating func peerConnected(_ peer: WakuPeerID, now: Duration) -> [Action] {
        if used[peer] != nil {
            if connectedPeers().count >= parameters.targetPeers {
                used[peer] = nil
                spare.insert(peer)
                return []
            }
            used[peer]?.connected = true
            return resubscribe(peer, now: now)
        }
        guard connectedPeers().count < parameters.targetPeers else {
            spare.insert(peer)
            return []
        }
        used[peer] = PeerState(connected: true, phase: .lost, lastRefresh: now, retryAt: now)
        return resubscribe(peer, now: now)
    }

    /// A peer disconnected: mark its subscriptions lost (to be renewed if it comes back) and adopt a spare.
    public mutating func peerDisconnected(_ peer: WakuPeerID, now: Duration) -> [Action] {
        spare.remove(peer)
        guard used[peer] != nil else { return [] }
        used[peer]?.connected = false
        used[peer]?.phase = .lost
        used[peer]?.outstanding = []
        pending = pending.filter { $0.value.peer != peer }
        return adoptSpares(now: now)
    }

    // MARK: Responses

    /// A response arrived for a request this session asked to send.
    public mutating func handle(_ response: FilterSubscribeResponse, now: Duration) -> [Action] {
        guard let request = pending.removeValue(forKey: response.requestID) else { return [] }
        let peer = request.peer
        guard var state = used[peer] else { return [] }
        state.outstanding.remove(response.requestID)
        defer { used[peer] = state }
        switch (request.kind, response.statusCode) {
        case (.subscriberPing, 200):
            state.lastRefresh = now
            return []
        case (.subscriberPing, 404):
            // The service node no longer knows us (it restarted, or expired us): subscribe again.
            used[peer] = state
            let actions = resubscribe(peer, now: now)
            state = used[peer]!
            return actions
        case (.subscribe, 200):
            state.lastRefresh = now
            if state.outstanding.isEmpty && state.phase == .subscribing { state.phase = .active }
            return []
        case (.unsubscribe, _), (.unsubscribeAll, _):
            // The last answer outstanding may be this one, after the subscribes succeeded: the peer is then active.
            if state.outstanding.isEmpty && state.phase == .subscribing { state.phase = .active }
            return []
        default:
            state.phase = .lost
            state.retryAt = now + parameters.retryDelay
            return []
        }
    }

    /// A request could not be sent or got no valid response.
    public mutating func requestFailed(requestID: String, now: Duration) -> [Action] {
        guard let request = pending.removeValue(forKey: requestID), var state = used[request.peer] else { return [] }
        state.outstanding.remove(requestID)
        if request.kind == .subscribe || request.kind == .subscriberPing {
            state.phase = .lost
            state.retryAt = now + parameters.retryDelay
        } else if state.outstanding.isEmpty && state.phase == .subscribing {
            state.phase = .active
        }
        used[request.peer] = state
        return []
    }

    /// The periodic step: ping active peers that are due, retry lost ones that are connected.
    public mutating func tick(now: Duration) -> [Action] {
        var actions: [Action] = []
        for peer in connectedPeers() {
            guard let state = used[peer], !desired.isEmpty else { continue }
            switch state.phase {
            case .active where state.lastRefresh + parameters.pingInterval <= now && state.outstanding.isEmpty:
                actions.append(
                    request(FilterSubscribeRequest(requestID: nextRequestID(), kind: .subscriberPing), to: peer))
            case .lost where state.retryAt <= now:
                actions += resubscribe(peer, now: now)
            default:
                continue
            }
        }
        return actions
    }

    // MARK: Helpers

    private func connectedPeers() -> [WakuPeerID] {
        used.filter(\.value.connected).map(\.key).sorted()
    }

    private mutating func adoptSpares(now: Duration) -> [Action] {
        var actions: [Action] = []
        for peer in spare.sorted() where connectedPeers().count < parameters.targetPeers {
            spare.remove(peer)
            used[peer] = PeerState(connected: true, phase: .lost, lastRefresh: now, retryAt: now)
            actions += resubscribe(peer, now: now)
        }
        return actions
    }

    private mutating func resubscribe(_ peer: WakuPeerID, now: Duration) -> [Action] {
        guard !desired.isEmpty else {
            used[peer]?.phase = .active
            used[peer]?.lastRefresh = now
            return []
        }
        used[peer]?.phase = .subscribing
        var actions: [Action] = []
        for (pubsubTopic, contentTopics) in desired.sorted(by: { $0.key < $1.key }) {
            actions += requests(.subscribe, pubsubTopic: pubsubTopic, contentTopics: contentTopics.sorted(), to: peer)
        }
        return actions
    }

    private mutating func requests(
        _ kind: FilterSubscribeRequest.Kind, pubsubTopic: String, contentTopics: [String], to peer: WakuPeerID
    ) -> [Action] {
        stride(from: 0, to: contentTopics.count, by: FilterSubscribeRequest.maxContentTopics).map { start in
            let chunk = Array(
                contentTopics[start..<min(start + FilterSubscribeRequest.maxContentTopics, contentTopics.count)])
            return request(
                FilterSubscribeRequest(
                    requestID: nextRequestID(), kind: kind, pubsubTopic: pubsubTopic, contentTopics: chunk),
                to: peer)
        }
    }

    private mutating func request(_ request: FilterSubscribeRequest, to peer: WakuPeerID) -> Action {
        pending[request.requestID] = Pending(peer: peer, kind: request.kind)
        used[peer]?.outstanding.insert(request.requestID)
        return .send(request, to: peer)
    }

    private mutating func nextRequestID() -> String {
        RequestID.random(using: &generator)
    }
}
