import Foundation
import NimbusLibp2p
import NimbusWaku
import Testing

/// Two and three Swift nodes over the project's libp2p host on loopback (TCP, Noise, yamux/mplex, identify).
@Suite(.serialized) struct NodeLibp2pTests {
    let topic = "/nimbus/1/e2e/proto"

    /// A service node; a light client pushes through it (lightpush v3), another receives by filter, and the
    /// store answers history.
    @Test func lightPushFilterStoreOverLibp2p() async throws {
        let serviceHost = try await LoopbackHost.start()
        let receiverHost = try await LoopbackHost.start()
        let senderHost = try await LoopbackHost.start()
        let service = WakuNode(
            configuration: NodeInMemoryTests.configuration(.service, bootstrap: []), transport: serviceHost.transport,
            archive: try SQLiteMessageArchive(path: ":memory:"), seed: 11)
        let receiver = WakuNode(
            configuration: NodeInMemoryTests.configuration(.client, bootstrap: [serviceHost.address]),
            transport: receiverHost.transport, seed: 12)
        let sender = WakuNode(
            configuration: NodeInMemoryTests.configuration(.client, bootstrap: [serviceHost.address]),
            transport: senderHost.transport, seed: 13)
        await service.start()
        await receiver.start()
        await sender.start()

        let messages = await receiver.subscribe(contentTopics: [topic])
        #expect(await eventually { await receiver.health().activeFilterPeers == [service.peerID] })
        let before = Date().addingTimeInterval(-5)
        try await sender.publish(contentTopic: topic, payload: Array("over libp2p".utf8))
        let received = await first(of: messages)
        #expect(received?.payload == Array("over libp2p".utf8))
        let history = try await receiver.history(
            contentTopics: [topic], timeRange: before...Date().addingTimeInterval(5))
        #expect(history.map(\.payload) == [Array("over libp2p".utf8)])
        let health = await sender.health()
        #expect(health.status == .healthy)
        #expect(health.peers.first?.protocols.contains(WakuProtocolID.lightPush) == true)

        for node in [sender, receiver, service] { await node.stop() }
        for host in [senderHost, receiverHost, serviceHost] { await host.host.shutdown() }
    }

    /// Two service nodes relay to each other over `/vac/waku/relay/2.0.0`.
    @Test func relayOverLibp2p() async throws {
        let firstHost = try await LoopbackHost.start()
        let secondHost = try await LoopbackHost.start()
        let first = WakuNode(
            configuration: NodeInMemoryTests.configuration(.service, bootstrap: []), transport: firstHost.transport,
            seed: 14)
        let second = WakuNode(
            configuration: NodeInMemoryTests.configuration(.service, bootstrap: [firstHost.address]),
            transport: secondHost.transport, seed: 15)
        await first.start()
        await second.start()
        let shard = try AutoSharding.theWakuNetwork.shard(forContentTopic: topic).pubsubTopic
        #expect(
            await eventually {
                let one = await first.health().meshSizes[shard]
                let two = await second.health().meshSizes[shard]
                return one == 1 && two == 1
            })
        let atFirst = await first.subscribe(contentTopics: [topic])
        let atSecond = await second.subscribe(contentTopics: [topic])
        try await first.publish(contentTopic: topic, payload: [1, 2, 3])
        #expect(await NimbusWakuTests.first(of: atSecond)?.payload == [1, 2, 3])
        try await second.publish(contentTopic: topic, payload: [4, 5, 6])
        var iterator = atFirst.makeAsyncIterator()
        // The first node got its own message first, then the second's.
        #expect(await iterator.next()?.payload == [1, 2, 3])
        #expect(await iterator.next()?.payload == [4, 5, 6])

        await first.stop()
        await second.stop()
        await firstHost.host.shutdown()
        await secondHost.host.shutdown()
    }

    /// Relay streams stay usable after idling longer than the host's read deadline (gossipsub streams are long-lived;
    /// the adapter repeats timed-out reads on them).
    @Test func relayStreamsSurviveIdleReadDeadlines() async throws {
        let firstHost = try await LoopbackHost.start(readTimeout: .milliseconds(500))
        let secondHost = try await LoopbackHost.start(readTimeout: .milliseconds(500))
        var quiet = NodeInMemoryTests.configuration(.service, bootstrap: [])
        quiet.relay.heartbeatInterval = .seconds(2)
        let first = WakuNode(configuration: quiet, transport: firstHost.transport, seed: 16)
        quiet.bootstrap = [firstHost.address]
        let second = WakuNode(configuration: quiet, transport: secondHost.transport, seed: 17)
        await first.start()
        await second.start()
        let shard = try AutoSharding.theWakuNetwork.shard(forContentTopic: topic).pubsubTopic
        #expect(await eventually { await second.health().meshSizes[shard] == 1 })
        let atSecond = await second.subscribe(contentTopics: [topic])
        try await Task.sleep(for: .seconds(2))
        try await first.publish(contentTopic: topic, payload: [8])
        #expect(await NimbusWakuTests.first(of: atSecond)?.payload == [8])
        await first.stop()
        await second.stop()
        await firstHost.host.shutdown()
        await secondHost.host.shutdown()
    }
}
