import NimbusWaku
import Testing

/// The 11/WAKU2-RELAY gossipsub router as a pure state machine.
@Suite struct RelayRouterTests {
    let topic = "/waku/2/rs/1/0"
    let t0: Duration = .seconds(1000)

    func peer(_ index: Int) -> WakuPeerID { WakuPeerID("peer-\(index < 10 ? "0" : "")\(index)") }

    func data(_ index: Int) -> [UInt8] {
        WakuMessage(
            payload: [UInt8(index & 0xFF), UInt8(index >> 8)], contentTopic: "/app/1/t/proto", timestamp: Int64(index)
        )
        .encoded()
    }

    /// A router joined to `topic` with `count` peers, all subscribed to it.
    func router(peers count: Int, parameters: RelayParameters = RelayParameters()) -> RelayRouter {
        var router = RelayRouter(parameters: parameters, generator: SplitMix64(seed: 1))
        _ = router.join(topic, now: t0)
        for index in 0..<count {
            _ = router.addPeer(peer(index), outbound: index % 2 == 0)
            _ = router.receive(
                GossipRPC(subscriptions: [.init(subscribe: true, topic: topic)]), from: peer(index), now: t0)
        }
        return router
    }

    func sends(_ actions: [RelayRouter.Action]) -> [WakuPeerID: GossipRPC] {
        var result: [WakuPeerID: GossipRPC] = [:]
        for case .send(let rpc, let to) in actions { result[to] = rpc }
        return result
    }

    @Test func greetsNewPeersWithSubscriptions() {
        var router = RelayRouter(generator: SplitMix64(seed: 1))
        _ = router.join(topic, now: t0)
        let actions = router.addPeer(peer(1), outbound: true)
        #expect(actions == [.send(GossipRPC(subscriptions: [.init(subscribe: true, topic: topic)]), to: peer(1))])
    }

    /// Below D_low the heartbeat grafts up to D; above D_high it prunes down to D with a backoff.
    @Test func meshMaintenance() {
        var router = router(peers: 20)
        _ = router.heartbeat(now: t0)
        #expect(router.meshPeers(topic).count == 6)

        // Drop peers out of the mesh until below D_low: the next heartbeat refills to D.
        for member in router.meshPeers(topic).prefix(3) { router.removePeer(member) }
        #expect(router.meshPeers(topic).count == 3)
        let refill = sends(router.heartbeat(now: t0 + .seconds(1)))
        #expect(router.meshPeers(topic).count == 6)
        #expect(refill.values.filter { $0.control?.graft == [topic] }.count == 3)

        // Grafts from 10 more peers push the mesh above D_high: the heartbeat prunes to D.
        for index in 0..<20
        where !router.meshPeers(topic).contains(peer(index)) && router.peerTopics[peer(index)] != nil {
            _ = router.receive(GossipRPC(control: .init(graft: [topic])), from: peer(index), now: t0 + .seconds(2))
        }
        #expect(router.meshPeers(topic).count > 12)
        let trimmed = sends(router.heartbeat(now: t0 + .seconds(3)))
        #expect(router.meshPeers(topic).count == 6)
        let prunes = trimmed.values.compactMap { $0.control?.prune.first }
        #expect(!prunes.isEmpty && prunes.allSatisfy { $0.topic == topic && $0.backoffSeconds == 60 })
    }

    /// A pruned peer is not grafted again before its backoff ends; a GRAFT in backoff is answered by PRUNE.
    @Test func pruneBackoff() {
        var router = router(peers: 1)
        _ = router.heartbeat(now: t0)
        #expect(router.meshPeers(topic) == [peer(0)])
        _ = router.receive(
            GossipRPC(control: .init(prune: [.init(topic: topic, backoffSeconds: 30)])), from: peer(0), now: t0)
        #expect(router.meshPeers(topic).isEmpty)
        _ = router.heartbeat(now: t0 + .seconds(10))
        #expect(router.meshPeers(topic).isEmpty)
        let answer = sends(
            router.receive(GossipRPC(control: .init(graft: [topic])), from: peer(0), now: t0 + .seconds(11)))
        #expect(answer[peer(0)]?.control?.prune.first?.topic == topic)
        #expect(router.meshPeers(topic).isEmpty)
        _ = router.heartbeat(now: t0 + .seconds(100))
        #expect(router.meshPeers(topic) == [peer(0)])
    }

    /// A GRAFT for a topic not joined is answered with PRUNE.
    @Test func graftForUnknownTopic() {
        var router = router(peers: 1)
        let answer = sends(router.receive(GossipRPC(control: .init(graft: ["/other"])), from: peer(0), now: t0))
        #expect(answer[peer(0)]?.control?.prune.map(\.topic) == ["/other"])
    }

    /// A received message is delivered once and forwarded to the mesh except its sender; a second copy (seen-cache)
    /// is dropped.
    @Test func forwardingAndSeenCache() {
        var router = router(peers: 8)
        _ = router.heartbeat(now: t0)
        let mesh = router.meshPeers(topic)
        let sender = mesh.sorted()[0]
        let rpc = GossipRPC(messages: [.init(topic: topic, data: data(1))])
        let actions = router.receive(rpc, from: sender, now: t0)
        let delivered = actions.filter { if case .deliver = $0 { true } else { false } }
        #expect(delivered.count == 1)
        if case .deliver(_, let message, let id, let from) = delivered.first {
            #expect(message.payload == [1, 0])
            #expect(id == sha256(data(1)))
            #expect(from == sender)
        }
        #expect(Set(sends(actions).keys) == mesh.subtracting([sender]))
        #expect(router.hasSeen(sha256(data(1)), now: t0))
        #expect(router.receive(rpc, from: mesh.sorted()[1], now: t0 + .seconds(1)).isEmpty)
        // After the seen TTL (2 minutes) the same message counts as new again.
        _ = router.heartbeat(now: t0 + .seconds(121))
        #expect(!router.hasSeen(sha256(data(1)), now: t0 + .seconds(121)))
    }

    @Test func seenCacheExpiry() {
        var cache = SeenCache(timeToLive: .seconds(10))
        let first = cache.insert([1], now: .seconds(0))
        let again = cache.insert([1], now: .seconds(5))
        let second = cache.insert([2], now: .seconds(6))
        #expect(first && !again && second)
        #expect(cache.contains([1], now: .seconds(9)))
        cache.sweep(now: .seconds(10))
        #expect(!cache.contains([1], now: .seconds(10)) && cache.contains([2], now: .seconds(10)))
        #expect(cache.count == 1)
        let renewed = cache.insert([1], now: .seconds(11))
        #expect(renewed)
    }

    /// StrictNoSign and WakuMessage validation: signed, multi-topic and non-Waku data are refused and not forwarded.
    @Test func validation() {
        var router = router(peers: 3)
        _ = router.heartbeat(now: t0)
        let signed = GossipRPC.Message(
            from: [1], data: data(2), seqno: [0, 1], topics: [topic], signature: nil, key: nil)
        let garbage = GossipRPC.Message(topic: topic, data: [0xFF, 0xFF])
        for message in [signed, garbage] {
            let actions = router.receive(GossipRPC(messages: [message]), from: peer(0), now: t0)
            #expect(actions.count == 1)
            guard case .misbehaviour(let who, _) = actions.first else {
                Issue.record("expected misbehaviour, got \(actions)")
                continue
            }
            #expect(who == peer(0))
        }
        // A message on a topic not joined is ignored.
        #expect(
            router.receive(GossipRPC(messages: [.init(topic: "/x", data: data(3))]), from: peer(0), now: t0).isEmpty)
    }

    /// Heartbeats advertise cached ids (IHAVE) to subscribed peers outside the mesh; IHAVE is answered with IWANT
    /// for unseen ids only, and IWANT with the cached message, at most `gossipRetransmission` times.
    @Test func ihaveIWant() throws {
        var router = router(peers: 12)
        _ = router.heartbeat(now: t0)
        let mesh = router.meshPeers(topic)
        let outsider = (0..<12).map(peer).first { !mesh.contains($0) }!
        let published = try router.publish(topic: topic, data: data(5), now: t0)
        let gossip = sends(router.heartbeat(now: t0 + .seconds(1)))
        let advertised = gossip.filter { $0.value.control?.ihave.isEmpty == false }
        #expect(!advertised.isEmpty)
        #expect(advertised.keys.allSatisfy { !mesh.contains($0) })
        #expect(
            advertised.values.allSatisfy { $0.control?.ihave.first?.messageIDs.contains(published.messageID) == true })

        // IHAVE of one known and one unknown id: IWANT only the unknown.
        let unknown = sha256([9, 9])
        let ihave = GossipRPC(control: .init(ihave: [.init(topic: topic, messageIDs: [published.messageID, unknown])]))
        let asked = sends(router.receive(ihave, from: outsider, now: t0 + .seconds(1)))
        #expect(asked[outsider]?.control?.iwant == [[unknown]])

        // IWANT for the cached message: served 3 times, then no more.
        let iwant = GossipRPC(control: .init(iwant: [[published.messageID]]))
        for round in 0..<4 {
            let served = sends(router.receive(iwant, from: outsider, now: t0 + .seconds(2)))
            #expect((served[outsider]?.messages.first?.data == data(5)) == (round < 3))
        }
        // After history_length heartbeats the message is gone from the cache.
        for beat in 2...8 { _ = router.heartbeat(now: t0 + .seconds(Int64(beat))) }
        #expect(sends(router.receive(iwant, from: peer(11), now: t0 + .seconds(9))).isEmpty)
    }

    /// At most `maxIHaveMessages` IHAVEs per peer and heartbeat are acted on.
    @Test func ihaveFlood() {
        var parameters = RelayParameters()
        parameters.maxIHaveMessages = 2
        var router = router(peers: 2, parameters: parameters)
        var answered = 0
        for index in 0..<5 {
            let ihave = GossipRPC(
                control: .init(ihave: [.init(topic: topic, messageIDs: [sha256([UInt8(index)])])]))
            if !router.receive(ihave, from: peer(0), now: t0).isEmpty { answered += 1 }
        }
        #expect(answered == 2)
    }

    /// Own publishes go to every subscribed peer (flood publish), are delivered locally, and a duplicate is refused.
    @Test func publish() throws {
        var router = router(peers: 9)
        _ = router.heartbeat(now: t0)
        let result = try router.publish(topic: topic, data: data(7), now: t0)
        #expect(result.recipients == 9)
        #expect(result.actions.contains { if case .deliver(_, _, _, nil) = $0 { true } else { false } })
        let sent = sends(result.actions)
        #expect(sent.count == 9)
        #expect(sent.values.allSatisfy { $0.messages == [GossipRPC.Message(topic: topic, data: data(7))] })
        #expect(throws: RelayRouter.PublishError.duplicate) {
            _ = try router.publish(topic: topic, data: data(7), now: t0)
        }
        #expect(throws: RelayRouter.PublishError.self) {
            _ = try router.publish(topic: topic, data: [1, 2, 3], now: t0)
        }
    }

    /// Publishing to a topic not joined uses a fanout of D peers without flood publishing; it expires after the
    /// fanout TTL.
    @Test func fanout() throws {
        var parameters = RelayParameters()
        parameters.floodPublish = false
        var router = RelayRouter(parameters: parameters, generator: SplitMix64(seed: 3))
        for index in 0..<10 {
            _ = router.addPeer(peer(index), outbound: true)
            _ = router.receive(
                GossipRPC(subscriptions: [.init(subscribe: true, topic: topic)]), from: peer(index), now: t0)
        }
        let result = try router.publish(topic: topic, data: data(1), now: t0)
        #expect(result.recipients == 6)
        #expect(router.fanoutPeers(topic).count == 6)
        _ = router.heartbeat(now: t0 + .seconds(30))
        #expect(router.fanoutPeers(topic).count == 6)
        _ = router.heartbeat(now: t0 + .seconds(61))
        #expect(router.fanoutPeers(topic).isEmpty)
    }

    /// Leaving a topic announces it and prunes the mesh; an unsubscribing peer leaves the mesh.
    @Test func leaveAndUnsubscribe() {
        var router = router(peers: 5)
        _ = router.heartbeat(now: t0)
        let member = router.meshPeers(topic).sorted()[0]
        _ = router.receive(GossipRPC(subscriptions: [.init(subscribe: false, topic: topic)]), from: member, now: t0)
        #expect(!router.meshPeers(topic).contains(member))
        let mesh = router.meshPeers(topic)
        let left = sends(router.leave(topic, now: t0))
        #expect(left.count == 5)
        #expect(mesh.allSatisfy { left[$0]?.control?.prune.first?.backoffSeconds == 10 })
        #expect(router.meshPeers(topic).isEmpty && router.joinedTopics.isEmpty)
    }
}
