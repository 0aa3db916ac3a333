import Crypto

/// The 11/WAKU2-RELAY router: the subset of gossipsub v1.1 a Waku relay needs, as a pure state machine.
///
/// Events (peers coming and going, RPCs received, heartbeats, joins, publishes) go in with the current time;
/// actions (RPCs to send, messages to deliver locally, peers to report) come out. It reads no clock and does no
/// I/O; randomness comes from a seeded generator.
///
/// Waku specifics (11/WAKU2-RELAY): StrictNoSign (messages with `from`, `seqno`, `signature` or `key` are refused,
/// own messages carry none of them), the message id is the SHA-256 of the message's `data` (the `WakuMessage`
/// bytes, as nwaku's and go-waku's default message id provider compute it), and `data` must decode as a
/// `WakuMessage` of at most 150 KiB. Peer scoring, PX, and IDONTWANT are not implemented.
public struct RelayRouter: Sendable {
    /// What the router asks its host to do.
    public enum Action: Hashable, Sendable {
        /// Send an RPC to a peer on its relay stream.
        case send(GossipRPC, to: WakuPeerID)
        /// A new valid message on a joined topic: hand it to the node (subscribers, store, filter). `from` is nil
        /// for the node's own publishes.
        case deliver(topic: String, message: WakuMessage, messageID: [UInt8], from: WakuPeerID?)
        /// A peer sent something invalid; the host may log it or count it against the peer.
        case misbehaviour(WakuPeerID, reason: String)
    }

    /// Why a publish failed.
    public enum PublishError: Error, Hashable, Sendable {
        /// The same message was already published or received (its id is in the seen-cache).
        case duplicate
        /// The data is not a `WakuMessage` within the size limit.
        case invalidMessage(String)
    }

    struct PeerState: Sendable {
        var outbound: Bool
        var topics: Set<String> = []
        /// IHAVE messages received this heartbeat.
        var ihaveCount = 0
        /// Message ids asked for by IWANT this heartbeat.
        var askedCount = 0
        /// Times each message was sent in answer to this peer's IWANTs.
        var served: [[UInt8]: Int] = [:]
    }

    /// The parameters.
    public let parameters: RelayParameters
    private var generator: SplitMix64
    private(set) var peers: [WakuPeerID: PeerState] = [:]
    /// The topics joined.
    public private(set) var joinedTopics: Set<String> = []
    private var mesh: [String: Set<WakuPeerID>] = [:]
    private var fanout: [String: Set<WakuPeerID>] = [:]
    private var fanoutLastPublish: [String: Duration] = [:]
    private var backoff: [String: [WakuPeerID: Duration]] = [:]
    private var seen: SeenCache
    private var cache: MessageCache

    /// A router with no peers and no topics.
    public init(parameters: RelayParameters = RelayParameters(), generator: SplitMix64) {
        self.parameters = parameters
        self.generator = generator
        seen = SeenCache(timeToLive: parameters.seenTimeToLive)
        cache = MessageCache(historyLength: parameters.historyLength, gossipLength: parameters.historyGossip)
    }

    // MARK: Queries

    /// The mesh peers of a topic.
    public func meshPeers(_ topic: String) -> Set<WakuPeerID> { mesh[topic] ?? [] }

    /// The fanout peers of a topic.
    public func fanoutPeers(_ topic: String) -> Set<WakuPeerID> { fanout[topic] ?? [] }

    /// The relay peers known, with the topics they said they subscribe to.
    public var peerTopics: [WakuPeerID: Set<String>] { peers.mapValues(\.topics) }

    /// The peers subscribed to `topic`.
    public func peers(subscribedTo topic: String) -> [WakuPeerID] {
        peers.filter { $0.value.topics.contains(topic) }.map(\.key).sorted()
    }

    /// Whether a message id is in the seen-cache.
    public func hasSeen(_ messageID: [UInt8], now: Duration) -> Bool { seen.contains(messageID, now: now) }

    /// The message id of relay data (11/WAKU2-RELAY, as nwaku: SHA-256 of the `WakuMessage` bytes).
    public static func messageID(of data: [UInt8]) -> [UInt8] { Array(SHA256.hash(data: data)) }

    // MARK: Peers

    /// A peer opened a relay stream: greet it with the topics joined.
    public mutating func addPeer(_ peer: WakuPeerID, outbound: Bool) -> [Action] {
        guard peers[peer] == nil else { return [] }
        peers[peer] = PeerState(outbound: outbound)
        guard !joinedTopics.isEmpty else { return [] }
        let subscriptions = joinedTopics.sorted().map { GossipRPC.Subscription(subscribe: true, topic: $0) }
        return [.send(GossipRPC(subscriptions: subscriptions), to: peer)]
    }

    /// A peer went away: forget it everywhere.
    public mutating func removePeer(_ peer: WakuPeerID) {
        peers[peer] = nil
        for topic in mesh.keys { mesh[topic]?.remove(peer) }
        for topic in fanout.keys { fanout[topic]?.remove(peer) }
    }

    // MARK: Topics

    /// Joins a topic: announce it, and build its mesh from the fanout and other subscribed peers.
    public mutating func join(_ topic: String, now: Duration) -> [Action] {
        guard joinedTopics.insert(topic).inserted else { return [] }
        var outbox = RelayOutbox()
        for peer in peers.keys { outbox.subscribe(peer, topic: topic, true) }
        var members = fanout.removeValue(forKey: topic) ?? []
        fanoutLastPublish[topic] = nil
        if members.count < parameters.meshDegree {
            let candidates = shuffled(eligibleForMesh(topic, now: now).filter { !members.contains($0) })
            members.formUnion(candidates.prefix(parameters.meshDegree - members.count))
        }
        mesh[topic] = members
        for peer in members { outbox.graft(peer, topic: topic) }
        return outbox.actions()
    }

    /// Leaves a topic: announce it and prune the mesh with the unsubscribe backoff.
    public mutating func leave(_ topic: String, now: Duration) -> [Action] {
        guard joinedTopics.remove(topic) != nil else { return [] }
        var outbox = RelayOutbox()
        for peer in peers.keys { outbox.subscribe(peer, topic: topic, false) }
        for peer in mesh.removeValue(forKey: topic) ?? [] {
            outbox.prune(peer, topic: topic, backoff: parameters.unsubscribeBackoff)
            backoff[topic, default: [:]][peer] = now + parameters.unsubscribeBackoff
        }
        return outbox.actions()
    }

    // MARK: Publishing

    /// Publishes `data` (a `WakuMessage`'s bytes) on `topic` as the node's own message. Returns the message id and
    /// the actions: sends to every peer subscribed to the topic (flood publishing) or to the mesh or fanout, and
    /// a local delivery if the topic is joined.
    public mutating func publish(topic: String, data: [UInt8], now: Duration) throws(PublishError)
        -> (messageID: [UInt8], recipients: Int, actions: [Action])
    {
        let message: WakuMessage
        do throws(WakuCodecError) {
            guard data.count <= parameters.maxMessageSize else {
                throw WakuCodecError.tooLarge(what: "WakuMessage", size: data.count, limit: parameters.maxMessageSize)
            }
            message = try WakuMessage(decoding: data)
        } catch {
            throw .invalidMessage(error.description)
        }
        let id = Self.messageID(of: data)
        guard seen.insert(id, now: now) else { throw .duplicate }
        cache.put(id: id, topic: topic, data: data)
        let recipients: Set<WakuPeerID>
        if parameters.floodPublish {
            recipients = Set(peers(subscribedTo: topic))
        } else if joinedTopics.contains(topic) {
            recipients = mesh[topic] ?? []
        } else {
            recipients = fanoutPeers(for: topic, now: now)
        }
        if !joinedTopics.contains(topic) { fanoutLastPublish[topic] = now }
        var actions: [Action] = []
        if joinedTopics.contains(topic) {
            actions.append(.deliver(topic: topic, message: message, messageID: id, from: nil))
        }
        let rpc = GossipRPC(messages: [GossipRPC.Message(topic: topic, data: data)])
        for peer in recipients.sorted() { actions.append(.send(rpc, to: peer)) }
        return (id, recipients.count, actions)
    }

    private mutating func fanoutPeers(for topic: String, now: Duration) -> Set<WakuPeerID> {
        var members = (fanout[topic] ?? []).filter { peers[$0]?.topics.contains(topic) == true }
        if members.count < parameters.meshDegree {
            let candidates = shuffled(peers(subscribedTo: topic).filter { !members.contains($0) })
            members.formUnion(candidates.prefix(parameters.meshDegree - members.count))
        }
        fanout[topic] = members
        return members
    }

    // MARK: Receiving

    /// Handles an RPC from a peer.
    public mutating func receive(_ rpc: GossipRPC, from peer: WakuPeerID, now: Duration) -> [Action] {
        guard peers[peer] != nil else { return [] }
        var outbox = RelayOutbox()
        var actions: [Action] = []
        for subscription in rpc.subscriptions { applySubscription(subscription, from: peer) }
        for message in rpc.messages { actions += handleMessage(message, from: peer, now: now, outbox: &outbox) }
        if let control = rpc.control { handleControl(control, from: peer, now: now, outbox: &outbox) }
        return actions + outbox.actions()
    }

    private mutating func applySubscription(_ subscription: GossipRPC.Subscription, from peer: WakuPeerID) {
        if subscription.subscribe {
            peers[peer]?.topics.insert(subscription.topic)
        } else {
            peers[peer]?.topics.remove(subscription.topic)
            mesh[subscription.topic]?.remove(peer)
            fanout[subscription.topic]?.remove(peer)
        }
    }

    private mutating func handleMessage(
        _ message: GossipRPC.Message, from peer: WakuPeerID, now: Duration, outbox: inout RelayOutbox
    ) -> [Action] {
        guard message.isStrictNoSign else {
            return [.misbehaviour(peer, reason: "message violates StrictNoSign (author fields or not one topic)")]
        }
        let topic = message.topics[0]
        // gossipsub: messages on topics not joined are neither delivered nor forwarded.
        guard joinedTopics.contains(topic) else { return [] }
        let id = Self.messageID(of: message.data)
        guard seen.insert(id, now: now) else { return [] }
        let decoded: WakuMessage
        do throws(WakuCodecError) {
            guard message.data.count <= parameters.maxMessageSize else {
                return [.misbehaviour(peer, reason: "message of \(message.data.count) bytes exceeds the limit")]
            }
            decoded = try WakuMessage(decoding: message.data)
        } catch {
            return [.misbehaviour(peer, reason: "relay data is not a WakuMessage: \(error)")]
        }
        cache.put(id: id, topic: topic, data: message.data)
        for target in (mesh[topic] ?? []) where target != peer {
            outbox.message(target, GossipRPC.Message(topic: topic, data: message.data))
        }
        return [.deliver(topic: topic, message: decoded, messageID: id, from: peer)]
    }

    private mutating func handleControl(
        _ control: GossipRPC.Control, from peer: WakuPeerID, now: Duration, outbox: inout RelayOutbox
    ) {
        for ihave in control.ihave { handleIHave(ihave, from: peer, now: now, outbox: &outbox) }
        for ids in control.iwant { handleIWant(ids, from: peer, outbox: &outbox) }
        for topic in control.graft { handleGraft(topic, from: peer, now: now, outbox: &outbox) }
        for prune in control.prune {
            mesh[prune.topic]?.remove(peer)
            let wait = prune.backoffSeconds.map { Duration.seconds(Int64(clamping: $0)) } ?? parameters.pruneBackoff
            backoff[prune.topic, default: [:]][peer] = now + wait
        }
    }

    private mutating func handleIHave(
        _ ihave: GossipRPC.IHave, from peer: WakuPeerID, now: Duration, outbox: inout RelayOutbox
    ) {
        guard var state = peers[peer], joinedTopics.contains(ihave.topic) else { return }
        state.ihaveCount += 1
        defer { peers[peer] = state }
        guard state.ihaveCount <= parameters.maxIHaveMessages else { return }
        let budget = parameters.maxIHaveLength - state.askedCount
        guard budget > 0 else { return }
        var wanted: [[UInt8]] = []
        var unique: Set<[UInt8]> = []
        for id in ihave.messageIDs where !seen.contains(id, now: now) && unique.insert(id).inserted {
            wanted.append(id)
        }
        let asked = Array(shuffled(wanted).prefix(budget))
        guard !asked.isEmpty else { return }
        state.askedCount += asked.count
        outbox.iwant(peer, asked)
    }

    private mutating func handleIWant(_ ids: [[UInt8]], from peer: WakuPeerID, outbox: inout RelayOutbox) {
        guard var state = peers[peer] else { return }
        for id in ids {
            guard let entry = cache.get(id) else { continue }
            let times = state.served[id, default: 0]
            guard times < parameters.gossipRetransmission else { continue }
            state.served[id] = times + 1
            outbox.message(peer, GossipRPC.Message(topic: entry.topic, data: entry.data))
        }
        peers[peer] = state
    }

    private mutating func handleGraft(_ topic: String, from peer: WakuPeerID, now: Duration, outbox: inout RelayOutbox)
    {
        guard joinedTopics.contains(topic) else {
            // gossipsub v1.0: a GRAFT for a topic not joined is answered with a PRUNE.
            outbox.prune(peer, topic: topic, backoff: parameters.pruneBackoff)
            return
        }
        if let until = backoff[topic]?[peer], until > now {
            // v1.1: grafting during a backoff is refused (and would be penalised by peer scoring).
            outbox.prune(peer, topic: topic, backoff: parameters.pruneBackoff)
            backoff[topic, default: [:]][peer] = now + parameters.pruneBackoff
            return
        }
        mesh[topic, default: []].insert(peer)
        peers[peer]?.topics.insert(topic)
    }

    // MARK: Heartbeat

    /// The periodic heartbeat (gossipsub v1.0 "Heartbeat"): mesh maintenance, fanout maintenance, gossip emission,
    /// and the shifts of the message cache, the seen-cache and the backoffs.
    public mutating func heartbeat(now: Duration) -> [Action] {
        var outbox = RelayOutbox()
        for peer in Array(peers.keys) {
            peers[peer]?.ihaveCount = 0
            peers[peer]?.askedCount = 0
        }
        for (topic, entries) in backoff {
            backoff[topic] = entries.filter { $0.value > now }
            if backoff[topic]?.isEmpty == true { backoff[topic] = nil }
        }
        for topic in joinedTopics.sorted() { maintainMesh(topic, now: now, outbox: &outbox) }
        for topic in fanout.keys.sorted() {
            if let last = fanoutLastPublish[topic], last + parameters.fanoutTimeToLive <= now {
                fanout[topic] = nil
                fanoutLastPublish[topic] = nil
            } else {
                _ = fanoutPeers(for: topic, now: now)
            }
        }
        emitGossip(outbox: &outbox)
        cache.shift()
        seen.sweep(now: now)
        // Served counters only matter while the message is cached.
        let cache = cache
        for peer in Array(peers.keys) {
            let kept = peers[peer]?.served.filter { cache.get($0.key) != nil } ?? [:]
            peers[peer]?.served = kept
        }
        return outbox.actions()
    }

    private mutating func maintainMesh(_ topic: String, now: Duration, outbox: inout RelayOutbox) {
        var members = (mesh[topic] ?? []).filter { peers[$0]?.topics.contains(topic) == true }
        if members.count < parameters.meshDegreeLow {
            let candidates = shuffled(eligibleForMesh(topic, now: now).filter { !members.contains($0) })
            for peer in candidates.prefix(parameters.meshDegree - members.count) {
                members.insert(peer)
                outbox.graft(peer, topic: topic)
            }
        }
        if members.count > parameters.meshDegreeHigh {
            // Keep outbound peers first (v1.1 keeps D_out of them, a defence against inbound-only eclipses).
            let ordered = shuffled(Array(members)).sorted {
                (peers[$0]?.outbound ?? false) && !(peers[$1]?.outbound ?? false)
            }
            for peer in ordered.dropFirst(parameters.meshDegree) {
                members.remove(peer)
                outbox.prune(peer, topic: topic, backoff: parameters.pruneBackoff)
                backoff[topic, default: [:]][peer] = now + parameters.pruneBackoff
            }
        }
        mesh[topic] = members
    }

    private mutating func emitGossip(outbox: inout RelayOutbox) {
        let topics = Set(mesh.keys).union(fanout.keys).sorted()
        for topic in topics {
            let ids = cache.gossipIDs(topic: topic)
            guard !ids.isEmpty else { continue }
            let excluded = (mesh[topic] ?? []).union(fanout[topic] ?? [])
            let candidates = peers(subscribedTo: topic).filter { !excluded.contains($0) }
            let count = max(parameters.gossipDegree, Int(parameters.gossipFactor * Double(candidates.count)))
            let advertised = Array(shuffled(ids).prefix(parameters.maxIHaveLength))
            for peer in shuffled(candidates).prefix(count) { outbox.ihave(peer, topic: topic, advertised) }
        }
    }

    // MARK: Helpers

    private func eligibleForMesh(_ topic: String, now: Duration) -> [WakuPeerID] {
        peers(subscribedTo: topic).filter { peer in (backoff[topic]?[peer]).map { $0 <= now } ?? true }
    }

    private mutating func shuffled<Element>(_ elements: [Element]) -> [Element] {
        var copy = elements
        copy.shuffle(using: &generator)
        return copy
    }
}
