import Foundation
import NimbusLibp2p
import NimbusWaku
import Testing

/// Interop with py-libp2p 0.8.1 peers: relay under `/vac/waku/relay/2.0.0` with StrictNoSign, and small Python
/// lightpush, filter, store and peer-exchange clients and services written from the RFCs (Interop/waku_peer.py).
@Suite(.serialized) struct InteropTests {
    let contentTopic = "/nimbus/1/interop/proto"
    var shard: String { try! AutoSharding.theWakuNetwork.shard(forContentTopic: contentTopic).pubsubTopic }

    func configuration(_ mode: WakuNodeConfiguration.Mode, bootstrap: [String]) -> WakuNodeConfiguration {
        var configuration = NodeInMemoryTests.configuration(mode, bootstrap: bootstrap)
        configuration.requestTimeout = .seconds(10)
        configuration.peerWaitTimeout = .seconds(15)
        return configuration
    }

    /// A Swift service node and a py-libp2p gossipsub router form a mesh; messages flow both ways, unsigned.
    @Test func relayWithPyLibp2p() async throws {
        let python = try await PythonWakuPeer(["--relay"])
        _ = try await python.ask("SUBSCRIBE \(shard)", expecting: "SUBSCRIBED")
        let host = try await LoopbackHost.start()
        let node = WakuNode(
            configuration: configuration(.service, bootstrap: [python.address]), transport: host.transport, seed: 21)
        await node.start()
        let received = MessageCollector(await node.subscribe(contentTopics: [contentTopic]))

        #expect(await eventually(timeout: .seconds(20)) { await node.health().meshSizes[shard] == 1 })
        #expect(
            try await eventually(timeout: .seconds(20)) {
                try await python.ask("MESH \(shard)", expecting: "MESH") == "MESH \(shard) 1"
            })
        let health = await node.health()
        #expect(health.peers.first?.metadataVerified == true)

        // Swift to Python.
        try await node.publish(contentTopic: contentTopic, payload: [0xCA, 0xFE])
        #expect(await received.wait(for: 1) == [[0xCA, 0xFE]])  // its own message, delivered locally
        let relayed = try await python.waitForLine(startingWith: "RELAY")
        #expect(relayed.line == "RELAY \(shard) \(contentTopic) cafe unsigned")

        // Python to Swift, three messages (py-libp2p's equivocation check would drop all but the first).
        for payload in ["01", "0202", "030303"] {
            let published = try await python.ask("PUBLISH \(shard) \(contentTopic) \(payload)", expecting: "PUBLISHED")
            #expect(published.hasPrefix("PUBLISHED "))
        }
        let payloads = await received.wait(for: 4).dropFirst()
        #expect(Set(payloads) == [[1], [2, 2], [3, 3, 3]])

        await node.stop()
        await host.host.shutdown()
        await python.stop()
    }

    /// A Swift light client against a Python service (lightpush v3, filter, store).
    @Test func swiftClientAgainstPythonService() async throws {
        let python = try await PythonWakuPeer(["--service", "v3"])
        let host = try await LoopbackHost.start()
        let receiverHost = try await LoopbackHost.start()
        let sender = WakuNode(
            configuration: configuration(.client, bootstrap: [python.address]), transport: host.transport, seed: 22)
        let receiver = WakuNode(
            configuration: configuration(.client, bootstrap: [python.address]), transport: receiverHost.transport,
            seed: 23)
        await sender.start()
        await receiver.start()
        let pushed = MessageCollector(await receiver.subscribe(contentTopics: [contentTopic]))
        #expect(await eventually(timeout: .seconds(20)) { await !receiver.health().activeFilterPeers.isEmpty })

        let start = Date().addingTimeInterval(-5)
        for payload: [UInt8] in [[1], [2], [3]] {
            try await sender.publish(contentTopic: contentTopic, payload: payload)
        }
        #expect(
            try await python.waitForLine(startingWith: "SERVED lightpush").line == "SERVED lightpush \(contentTopic) 01"
        )
        let got = await pushed.wait(for: 3)
        #expect(got == [[1], [2], [3]])

        let history = try await receiver.history(
            contentTopics: [contentTopic], timeRange: start...Date().addingTimeInterval(5))
        #expect(history.map(\.payload) == [[1], [2], [3]])

        for node in [sender, receiver] { await node.stop() }
        for loopback in [host, receiverHost] { await loopback.host.shutdown() }
        await python.stop()
    }

    /// A Python service with only lightpush v2: the Swift client falls back.
    @Test func swiftClientFallsBackToLightPushV2() async throws {
        let python = try await PythonWakuPeer(["--service", "v2"])
        let host = try await LoopbackHost.start()
        let node = WakuNode(
            configuration: configuration(.client, bootstrap: [python.address]), transport: host.transport, seed: 24)
        await node.start()
        try await node.publish(contentTopic: contentTopic, payload: [9, 9])
        #expect(
            try await python.waitForLine(startingWith: "SERVED lightpush").line
                == "SERVED lightpush \(contentTopic) 0909")
        await node.stop()
        await host.host.shutdown()
        await python.stop()
    }

    /// Python clients against a Swift service node: filter subscribe and ping, lightpush v3 in, filter push out,
    /// store query with pages of 2.
    @Test func pythonClientsAgainstSwiftService() async throws {
        let host = try await LoopbackHost.start()
        let node = WakuNode(configuration: configuration(.service, bootstrap: []), transport: host.transport, seed: 25)
        await node.start()
        let python = try await PythonWakuPeer([])
        #expect(try await python.ask("DIAL \(host.address)", expecting: "CONNECTED") == "CONNECTED \(node.peerID)")
        let peer = node.peerID.rawValue
        #expect(try await python.ask("FPING \(peer)", expecting: "FPING") == "FPING 404")
        #expect(try await python.ask("FSUB \(peer) \(shard) \(contentTopic)", expecting: "FSUB") == "FSUB 200")
        #expect(try await python.ask("FPING \(peer)", expecting: "FPING") == "FPING 200")
        for payload in ["aa", "bbbb", "cc"] {
            #expect(
                try await python.ask("LIGHTPUSH \(peer) \(shard) \(contentTopic) \(payload)", expecting: "LIGHTPUSH")
                    == "LIGHTPUSH 200 0")
        }
        let push = try await python.waitForLine(startingWith: "PUSH")
        #expect(push.line == "PUSH \(shard) \(contentTopic) aa")
        #expect(
            try await python.ask("STORE \(peer) \(shard) \(contentTopic)", expecting: "STORE")
                == "STORE 200 3 aa,bbbb,cc")
        // An unsupported pubsub topic is refused with 421.
        #expect(
            try await python.ask("LIGHTPUSH \(peer) /waku/2/rs/16/0 \(contentTopic) 01", expecting: "LIGHTPUSH")
                == "LIGHTPUSH 421 0")
        await python.stop()
        await node.stop()
        await host.host.shutdown()
    }

    /// 34/WAKU2-PEER-EXCHANGE over real sockets: a Swift light client bootstraps from a Python peer-exchange server
    /// only, which answers with the record a second Python peer (a lightpush/filter/store service) signed for
    /// itself; the Swift node verifies it, dials that peer, and uses it.
    @Test func swiftClientDialsPeersLearnedFromPythonPeerExchange() async throws {
        let service = try await PythonWakuPeer(["--service", "v3"])
        let record = try await service.ask("ENR", expecting: "ENR")
        let exchange = try await PythonWakuPeer(["--peer-exchange"])
        #expect(try await exchange.ask("PXADD \(record.dropFirst("ENR ".count))", expecting: "PXADDED") == "PXADDED 1")

        let host = try await LoopbackHost.start()
        var configuration = configuration(.client, bootstrap: [exchange.address])
        configuration.connections.targetPeers = 2
        let node = WakuNode(configuration: configuration, transport: host.transport, seed: 26)
        await node.start()

        #expect(try await exchange.waitForLine(startingWith: "SERVED peer-exchange").line == "SERVED peer-exchange 20 1")
        #expect(await eventually(timeout: .seconds(20)) { await node.health().status == .healthy })
        let health = await node.health()
        let learned = try #require(health.peers.first { $0.peer.rawValue == service.peerID })
        #expect(learned.protocols.contains(WakuProtocolID.lightPush))
        #expect(learned.protocols.contains(WakuProtocolID.store))
        #expect(learned.metadataVerified)
        let target = try #require(health.dialTargets.first { $0.source == .peerExchange })
        #expect(target.address == service.address, "the TCP address read from the record")
        #expect(target.state == .connected)

        // The learned peer is the one that serves: a published message reaches it.
        try await node.publish(contentTopic: contentTopic, payload: [7, 7])
        #expect(
            try await service.waitForLine(startingWith: "SERVED lightpush").line
                == "SERVED lightpush \(contentTopic) 0707")

        await node.stop()
        await host.host.shutdown()
        await exchange.stop()
        await service.stop()
    }
}
