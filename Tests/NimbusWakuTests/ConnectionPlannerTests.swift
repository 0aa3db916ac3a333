import NimbusWaku
import Testing

/// Connection planning: bootstrap dials, reconnect with backoff, peer exchange.
@Suite struct ConnectionPlannerTests {
    func dials(_ actions: [ConnectionPlanner.Action]) -> [String] {
        actions.compactMap { if case .dial(let address) = $0 { address } else { nil } }
    }

    @Test func bootstrapBackoffAndReconnect() {
        var parameters = ConnectionPlanner.Parameters()
        parameters.targetPeers = 2
        var planner = ConnectionPlanner(
            bootstrap: ["/a", "/b", "/c"], parameters: parameters, generator: SplitMix64(seed: 1))
        #expect(dials(planner.tick(now: .zero)) == ["/a", "/b"])
        // Nothing more while both are in flight.
        #expect(dials(planner.tick(now: .seconds(1))).isEmpty)
        planner.dialSucceeded("/a", peer: WakuPeerID("A"))
        planner.dialFailed("/b", now: .seconds(1))
        #expect(dials(planner.tick(now: .seconds(1))) == ["/c"])
        planner.dialFailed("/c", now: .seconds(1))
        // /b and /c back off 1 s (+ up to 25% jitter), then 2 s, 4 s ... up to 5 minutes.
        #expect(dials(planner.tick(now: .milliseconds(1500))).isEmpty)
        let retry = dials(planner.tick(now: .milliseconds(2300)))
        #expect(retry == ["/b"])
        planner.dialFailed("/b", now: .milliseconds(2300))
        #expect(dials(planner.tick(now: .milliseconds(4000))) == ["/c"])
        planner.dialFailed("/c", now: .milliseconds(4000))
        if case .backingOff(let until) = planner.states["/b"] {
            #expect(until >= .milliseconds(4300) && until <= .milliseconds(4800))
        } else {
            Issue.record("expected /b to back off")
        }
        for _ in 0..<20 { planner.dialFailed("/c", now: .seconds(10)) }
        if case .backingOff(let until) = planner.states["/c"] {
            #expect(until <= .seconds(10 + 375))
        }
        // A lost peer is redialled after the first backoff step; bootstrap addresses are never forgotten.
        planner.disconnected(WakuPeerID("A"), now: .seconds(20))
        #expect(planner.connectedPeers.isEmpty)
        #expect(dials(planner.tick(now: .seconds(22))).contains("/a"))
        #expect(planner.states.count == 3)
    }

    @Test func peerExchangeCandidates() {
        var parameters = ConnectionPlanner.Parameters()
        parameters.targetPeers = 3
        parameters.wantedCandidates = 4
        var planner = ConnectionPlanner(bootstrap: ["/boot"], parameters: parameters, generator: SplitMix64(seed: 2))
        let first = planner.tick(now: .zero)
        #expect(dials(first) == ["/boot"] && !first.contains(.requestPeerExchange))
        planner.dialSucceeded("/boot", peer: WakuPeerID("B"))
        let second = planner.tick(now: .seconds(1))
        #expect(second.contains(.requestPeerExchange))
        #expect(!planner.tick(now: .seconds(30)).contains(.requestPeerExchange))
        planner.learn([("/px1", WakuPeerID("P1")), ("/px2", WakuPeerID("P2")), ("/boot-again", WakuPeerID("B"))])
        #expect(planner.states["/boot-again"] == nil)
        #expect(Set(dials(planner.tick(now: .seconds(31)))) == ["/px1", "/px2"])
        // A learned address is forgotten after three failures.
        for step in 0..<3 {
            planner.dialFailed("/px2", now: .seconds(Int64(40 + step * 400)))
        }
        #expect(planner.states["/px2"] == nil)
    }

    /// Dial outcomes are reported as reachability changes (what the node logs), and every address's state, failures
    /// and last error are visible for the status.
    @Test func reachabilityTransitionsAndStatus() {
        var planner = ConnectionPlanner(bootstrap: ["/boot"], parameters: .init(), generator: SplitMix64(seed: 3))
        #expect(dials(planner.tick(now: .zero)) == ["/boot"])
        #expect(planner.addresses.map(\.state) == [.dialing])
        #expect(planner.dialFailed("/boot", now: .zero, reason: "connection refused") == .becameUnreachable)
        var status = planner.addresses[0]
        #expect(status.source == .bootstrap && status.failures == 1 && status.lastError == "connection refused")
        guard case .backingOff = status.state else {
            Issue.record("expected backing off, got \(status.state)")
            return
        }
        // Later failures change nothing worth a log line; the count keeps growing.
        var now = Duration.zero
        for attempt in 2...5 {
            now += .seconds(400)
            #expect(dials(planner.tick(now: now)) == ["/boot"])
            #expect(planner.dialFailed("/boot", now: now, reason: "timed out") == .unchanged)
            #expect(planner.addresses[0].failures == attempt)
        }
        #expect(planner.addresses[0].lastError == "timed out")
        now += .seconds(400)
        #expect(dials(planner.tick(now: now)) == ["/boot"])
        #expect(planner.dialSucceeded("/boot", peer: WakuPeerID("B")) == .cameBack(failures: 5))
        status = planner.addresses[0]
        #expect(status.state == .connected(WakuPeerID("B")) && status.failures == 0 && status.lastError == nil)
        // A lost connection that is redialled at once is no news; one that fails again is.
        planner.disconnected(WakuPeerID("B"), now: now)
        now += .seconds(2)
        #expect(dials(planner.tick(now: now)) == ["/boot"])
        #expect(planner.dialSucceeded("/boot", peer: WakuPeerID("B")) == .unchanged)
        planner.disconnected(WakuPeerID("B"), now: now)
        now += .seconds(2)
        #expect(dials(planner.tick(now: now)) == ["/boot"])
        #expect(planner.dialFailed("/boot", now: now) == .becameUnreachable)
    }

    /// A learned address that keeps failing is reported once as unreachable, then as forgotten.
    @Test func learnedAddressIsForgottenOnce() {
        var parameters = ConnectionPlanner.Parameters()
        parameters.wantedCandidates = 4
        var planner = ConnectionPlanner(bootstrap: ["/boot"], parameters: parameters, generator: SplitMix64(seed: 4))
        _ = planner.tick(now: .zero)
        planner.dialSucceeded("/boot", peer: WakuPeerID("B"))
        planner.learn([("/px", WakuPeerID("P"))])
        #expect(planner.addresses.map(\.source) == [.bootstrap, .peerExchange])
        #expect(planner.dialFailed("/px", now: .zero) == .becameUnreachable)
        #expect(planner.dialFailed("/px", now: .zero) == .unchanged)
        #expect(planner.dialFailed("/px", now: .zero) == .forgotten)
        #expect(planner.addresses.map(\.address) == ["/boot"])
    }

    /// With no peer to ask, the host says so and the planner asks again at the next tick rather than a minute later.
    @Test func peerExchangeIsRetriedWhenNoPeerCouldBeAsked() {
        var planner = ConnectionPlanner(bootstrap: ["/boot"], parameters: .init(), generator: SplitMix64(seed: 5))
        _ = planner.tick(now: .zero)
        planner.dialSucceeded("/boot", peer: WakuPeerID("B"))
        #expect(planner.tick(now: .seconds(1)).contains(.requestPeerExchange))
        #expect(!planner.tick(now: .seconds(2)).contains(.requestPeerExchange))
        planner.peerExchangeUnavailable()
        #expect(planner.tick(now: .seconds(3)).contains(.requestPeerExchange))
    }
}
