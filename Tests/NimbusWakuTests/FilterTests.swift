import NimbusWaku
import Testing

/// 12/WAKU2-FILTER v2: the service registry and the client session.
@Suite struct FilterTests {
    let pubsub = "/waku/2/rs/1/4"
    let alice = WakuPeerID("alice")
    let bob = WakuPeerID("bob")

    // MARK: Service

    @Test func registryLifecycle() {
        var registry = FilterSubscriptionRegistry()
        let now: Duration = .seconds(10)
        func ask(_ kind: FilterSubscribeRequest.Kind, _ topics: [String] = [], pubsub: String? = nil) -> UInt32 {
            registry.handle(
                FilterSubscribeRequest(requestID: "r", kind: kind, pubsubTopic: pubsub, contentTopics: topics),
                from: alice, now: now
            ).statusCode
        }
        #expect(ask(.subscriberPing) == 404)
        #expect(ask(.subscribe, ["/a/1/x/p"]) == 400)
        #expect(ask(.subscribe, [], pubsub: pubsub) == 400)
        #expect(ask(.subscribe, ["/a/1/x/p", "/a/1/y/p"], pubsub: pubsub) == 200)
        #expect(registry.subscribers(pubsubTopic: pubsub, contentTopic: "/a/1/x/p") == [alice])
        #expect(registry.subscribers(pubsubTopic: "/waku/2/rs/1/5", contentTopic: "/a/1/x/p").isEmpty)
        #expect(ask(.subscriberPing) == 200)
        #expect(ask(.unsubscribe, ["/a/1/x/p"], pubsub: pubsub) == 200)
        #expect(ask(.unsubscribe, ["/a/1/x/p"], pubsub: pubsub) == 404)
        #expect(registry.criteria(of: alice) == [FilterCriterion(pubsubTopic: pubsub, contentTopic: "/a/1/y/p")])
        #expect(ask(.unsubscribeAll) == 200)
        #expect(ask(.unsubscribeAll) == 404)
        #expect(registry.peers.isEmpty)
    }

    @Test func registryExpiryAndLimits() {
        var limits = FilterSubscriptionRegistry.Limits()
        limits.maxPeers = 1
        limits.maxCriteriaPerPeer = 2
        var registry = FilterSubscriptionRegistry(limits: limits)
        let subscribe = { (topics: [String]) in
            FilterSubscribeRequest(requestID: "r", kind: .subscribe, pubsubTopic: "/p", contentTopics: topics)
        }
        #expect(registry.handle(subscribe(["/a/1/x/p"]), from: alice, now: .seconds(0)).statusCode == 200)
        #expect(registry.handle(subscribe(["/a/1/x/p"]), from: bob, now: .seconds(0)).statusCode == 503)
        #expect(registry.handle(subscribe(["/a/1/y/p", "/a/1/z/p"]), from: alice, now: .seconds(0)).statusCode == 503)
        // A ping refreshes; silence beyond 5 minutes expires.
        #expect(
            registry.handle(
                FilterSubscribeRequest(requestID: "p", kind: .subscriberPing), from: alice,
                now: .seconds(200)
            ).statusCode == 200)
        #expect(registry.expire(now: .seconds(400)).isEmpty)
        #expect(registry.expire(now: .seconds(500)) == [alice])
        #expect(registry.peers.isEmpty)
    }

    // MARK: Client

    func requests(_ actions: [FilterClientSession.Action]) -> [(FilterSubscribeRequest, WakuPeerID)] {
        actions.map { if case .send(let request, let peer) = $0 { (request, peer) } else { fatalError() } }
    }

    func ok(_ request: FilterSubscribeRequest, _ code: UInt32 = 200) -> FilterSubscribeResponse {
        FilterSubscribeResponse(requestID: request.requestID, statusCode: code)
    }

    /// Subscribe on two peers, ping when due, resubscribe when a ping answers 404, renew after a reconnect, and
    /// replace a lost peer by a spare.
    @Test func clientLifecycleAndResubscribe() {
        var session = FilterClientSession(generator: SplitMix64(seed: 9))
        #expect(session.subscribe(pubsubTopic: pubsub, contentTopics: ["/a/1/x/p"], now: .zero).isEmpty)
        let first = requests(session.peerConnected(alice, now: .zero))
        #expect(first.count == 1 && first[0].0.kind == .subscribe && first[0].0.contentTopics == ["/a/1/x/p"])
        #expect(first[0].0.pubsubTopic == pubsub)
        _ = session.handle(ok(first[0].0), now: .zero)
        let second = requests(session.peerConnected(bob, now: .zero))
        _ = session.handle(ok(second[0].0), now: .zero)
        #expect(session.activePeers == [alice, bob])
        // A third peer becomes a spare.
        #expect(session.peerConnected(WakuPeerID("carol"), now: .zero).isEmpty)

        // More topics go to both peers.
        let more = requests(session.subscribe(pubsubTopic: pubsub, contentTopics: ["/a/1/y/p"], now: .seconds(1)))
        #expect(Set(more.map(\.1)) == [alice, bob] && more.allSatisfy { $0.0.contentTopics == ["/a/1/y/p"] })
        for (request, _) in more { _ = session.handle(ok(request), now: .seconds(1)) }

        // Pings after the interval.
        #expect(session.tick(now: .seconds(30)).isEmpty)
        let pings = requests(session.tick(now: .seconds(61)))
        #expect(pings.count == 2 && pings.allSatisfy { $0.0.kind == .subscriberPing })
        // No second ping while one is outstanding.
        #expect(session.tick(now: .seconds(62)).isEmpty)

        // Alice forgot us (404): resubscribe everything at once.
        let alicePing = pings.first { $0.1 == alice }!.0
        let renew = requests(session.handle(ok(alicePing, 404), now: .seconds(62)))
        #expect(renew.count == 1 && renew[0].1 == alice && Set(renew[0].0.contentTopics) == ["/a/1/x/p", "/a/1/y/p"])
        _ = session.handle(ok(renew[0].0), now: .seconds(62))
        _ = session.handle(ok(pings.first { $0.1 == bob }!.0), now: .seconds(62))

        // Bob disconnects: the spare carol is adopted and subscribed.
        let adopted = requests(session.peerDisconnected(bob, now: .seconds(70)))
        #expect(adopted.count == 1 && adopted[0].1 == WakuPeerID("carol"))
        _ = session.handle(ok(adopted[0].0), now: .seconds(70))
        #expect(session.activePeers == [alice, WakuPeerID("carol")])

        // Alice disconnects and reconnects (no spare left): her subscriptions are renewed on reconnect.
        #expect(session.peerDisconnected(alice, now: .seconds(80)).isEmpty)
        #expect(session.peerPhases[alice] == .lost)
        let back = requests(session.peerConnected(alice, now: .seconds(90)))
        #expect(back.count == 1 && back[0].1 == alice && back[0].0.kind == .subscribe)
        _ = session.handle(ok(back[0].0), now: .seconds(90))
        #expect(session.activePeers == [alice, WakuPeerID("carol")])
    }

    /// A refused or failed subscribe is retried after the retry delay; unsubscribing the last topic sends
    /// UNSUBSCRIBE_ALL.
    @Test func clientRetriesAndUnsubscribes() {
        var session = FilterClientSession(generator: SplitMix64(seed: 2))
        _ = session.subscribe(pubsubTopic: pubsub, contentTopics: ["/a/1/x/p"], now: .zero)
        let first = requests(session.peerConnected(alice, now: .zero))
        _ = session.handle(ok(first[0].0, 503), now: .zero)
        #expect(session.peerPhases[alice] == .lost)
        #expect(session.tick(now: .seconds(2)).isEmpty)
        let retry = requests(session.tick(now: .seconds(5)))
        #expect(retry.count == 1 && retry[0].0.kind == .subscribe)
        _ = session.requestFailed(requestID: retry[0].0.requestID, now: .seconds(5))
        let again = requests(session.tick(now: .seconds(10)))
        _ = session.handle(ok(again[0].0), now: .seconds(10))
        #expect(session.activePeers == [alice])
        let gone = requests(session.unsubscribe(pubsubTopic: pubsub, contentTopics: ["/a/1/x/p"], now: .seconds(11)))
        // The topic by name even when it was the last: an "unsubscribe all" could overtake a subscribe sent after it.
        #expect(gone.count == 1 && gone[0].0.kind == .unsubscribe && gone[0].0.contentTopics == ["/a/1/x/p"])
        // A late response to an unknown request id changes nothing.
        #expect(
            session.handle(FilterSubscribeResponse(requestID: "unknown", statusCode: 500), now: .seconds(12)).isEmpty)
    }

    /// A subscribe and an unsubscribe in flight together (a session's topics replacing a handshake's): whichever
    /// answer comes last, the peer ends active, so the node reports the new subscription in place.
    @Test func anUnsubscribeAnsweredLastStillLeavesThePeerActive() {
        for unsubscribeLast in [true, false] {
            var session = FilterClientSession(generator: SplitMix64(seed: 5))
            _ = session.subscribe(pubsubTopic: pubsub, contentTopics: ["/a/1/inbox/p"], now: .zero)
            let first = requests(session.peerConnected(alice, now: .zero))
            _ = session.handle(ok(first[0].0), now: .zero)
            #expect(session.activePeers == [alice])
            let add = requests(session.subscribe(pubsubTopic: pubsub, contentTopics: ["/a/1/data/p"], now: .seconds(1)))
            let drop = requests(session.unsubscribe(pubsubTopic: pubsub, contentTopics: ["/a/1/inbox/p"], now: .seconds(1)))
            #expect(add.count == 1 && drop.count == 1 && drop[0].0.kind == .unsubscribe)
            let order = unsubscribeLast ? [add[0].0, drop[0].0] : [drop[0].0, add[0].0]
            for request in order { _ = session.handle(ok(request), now: .seconds(1)) }
            #expect(session.activePeers == [alice], "unsubscribe answered last: \(unsubscribeLast)")
        }
        // A failed unsubscribe after a successful subscribe leaves the peer active too.
        var failing = FilterClientSession(generator: SplitMix64(seed: 6))
        _ = failing.subscribe(pubsubTopic: pubsub, contentTopics: ["/a/1/inbox/p"], now: .zero)
        _ = failing.handle(ok(requests(failing.peerConnected(alice, now: .zero))[0].0), now: .zero)
        let add = requests(failing.subscribe(pubsubTopic: pubsub, contentTopics: ["/a/1/data/p"], now: .seconds(1)))
        let drop = requests(failing.unsubscribe(pubsubTopic: pubsub, contentTopics: ["/a/1/inbox/p"], now: .seconds(1)))
        _ = failing.handle(ok(add[0].0), now: .seconds(1))
        _ = failing.requestFailed(requestID: drop[0].0.requestID, now: .seconds(1))
        #expect(failing.activePeers == [alice])
    }

    /// More than 100 content topics are split over several requests.
    @Test func clientChunksLargeSubscriptions() {
        var session = FilterClientSession(generator: SplitMix64(seed: 4))
        _ = session.subscribe(pubsubTopic: pubsub, contentTopics: (0..<250).map { "/a/1/t\($0)/p" }, now: .zero)
        let sent = requests(session.peerConnected(alice, now: .zero))
        #expect(sent.map { $0.0.contentTopics.count } == [100, 100, 50])
        #expect(Set(sent.map(\.0.requestID)).count == 3)
    }
}
