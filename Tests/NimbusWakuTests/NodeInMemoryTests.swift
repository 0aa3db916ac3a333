import Foundation
import NimbusWaku
import Testing

/// The node's protocol glue end to end over the in-memory transport: a service node and light clients.
@Suite struct NodeInMemoryTests {
    let topic = "/nimbus/1/test/proto"

    static func configuration(_ mode: WakuNodeConfiguration.Mode, bootstrap: [String]) -> WakuNodeConfiguration {
        var configuration = WakuNodeConfiguration()
        configuration.mode = mode
        configuration.bootstrap = bootstrap
        configuration.relay.heartbeatInterval = .milliseconds(100)
        configuration.connections.initialBackoff = .milliseconds(200)
        configuration.requestTimeout = .seconds(5)
        configuration.peerWaitTimeout = .seconds(5)
        return configuration
    }

    /// Lightpush in (from one client), filter push out (to another), store query (history), health.
    @Test func lightPushFilterAndStore() async throws {
        let network = InMemoryNetwork()
        let serviceTransport = network.makeTransport("service")
        let service = WakuNode(
            configuration: Self.configuration(.service, bootstrap: []), transport: serviceTransport, seed: 1)
        let receiver = WakuNode(
            configuration: Self.configuration(.client, bootstrap: [serviceTransport.address]),
            transport: network.makeTransport("receiver"), seed: 2)
        let sender = WakuNode(
            configuration: Self.configuration(.client, bootstrap: [serviceTransport.address]),
            transport: network.makeTransport("sender"), seed: 3)
        await service.start()
        await receiver.start()
        await sender.start()
        defer {
            Task {
                await receiver.stop(); await sender.stop(); await service.stop()
            }
        }

        let messages = await receiver.subscribe(contentTopics: [topic])
        #expect(await eventually { await receiver.health().activeFilterPeers == [service.peerID] })
        let start = Date()
        try await sender.publish(contentTopic: topic, payload: Array("hello waku".utf8))
        let received = await first(of: messages)
        #expect(received?.payload == Array("hello waku".utf8))
        #expect(received?.contentTopic == topic)

        let history = try await receiver.history(
            contentTopics: [topic], timeRange: start.addingTimeInterval(-5)...Date())
        #expect(history.map(\.payload) == [Array("hello waku".utf8)])
        let empty = try await receiver.history(
            contentTopics: [topic], timeRange: Date().addingTimeInterval(60)...Date().addingTimeInterval(120))
        #expect(empty.isEmpty)

        let health = await service.health()
        #expect(health.filterSubscribers == 1)
        #expect(health.storedMessages == 1)
        #expect(Set(health.peers.map(\.peer)) == [receiver.peerID, sender.peerID])
        let clientHealth = await sender.health()
        #expect(clientHealth.status == .healthy)
        #expect(clientHealth.peers.first?.metadataVerified == true)
    }

    /// After a disconnect the client redials with backoff and renews its filter subscription: here the service
    /// node is replaced by a fresh one under the same peer id (a restart), which knows nothing of the client, so
    /// the push proves the client subscribed again.
    @Test func filterResubscribesAfterReconnect() async throws {
        let network = InMemoryNetwork()
        let serviceTransport = network.makeTransport("service")
        let service = WakuNode(
            configuration: Self.configuration(.service, bootstrap: []), transport: serviceTransport, seed: 4)
        let clientTransport = network.makeTransport("client")
        let client = WakuNode(
            configuration: Self.configuration(.client, bootstrap: [serviceTransport.address]),
            transport: clientTransport,
            seed: 5)
        await service.start()
        await client.start()
        let messages = await client.subscribe(contentTopics: [topic])
        #expect(await eventually { await client.health().activeFilterPeers == [service.peerID] })

        await clientTransport.disconnect(service.peerID)
        await service.stop()
        let restartedTransport = network.makeTransport("service")
        let restarted = WakuNode(
            configuration: Self.configuration(.service, bootstrap: []), transport: restartedTransport, seed: 44)
        await restarted.start()
        defer {
            Task {
                await client.stop(); await restarted.stop()
            }
        }
        #expect(await restarted.health().filterSubscribers == 0)
        #expect(await eventually { await restarted.health().filterSubscribers == 1 })
        #expect(await eventually { await client.health().activeFilterPeers == [restarted.peerID] })
        try await restarted.publish(contentTopic: topic, payload: [42])
        #expect(await first(of: messages)?.payload == [42])
    }

    /// Two service nodes relay to each other (11/WAKU2-RELAY over the node's streams).
    @Test func relayBetweenServiceNodes() async throws {
        let network = InMemoryNetwork()
        let firstTransport = network.makeTransport("first")
        let first = WakuNode(
            configuration: Self.configuration(.service, bootstrap: []), transport: firstTransport, seed: 6)
        let second = WakuNode(
            configuration: Self.configuration(.service, bootstrap: [firstTransport.address]),
            transport: network.makeTransport("second"), seed: 7)
        await first.start()
        await second.start()
        defer {
            Task {
                await first.stop(); await second.stop()
            }
        }
        let shard = try AutoSharding.theWakuNetwork.shard(forContentTopic: topic).pubsubTopic
        #expect(
            await eventually {
                let one = await first.health().meshSizes[shard]
                let two = await second.health().meshSizes[shard]
                return one == 1 && two == 1
            })
        let atSecond = await second.subscribe(contentTopics: [topic])
        try await first.publish(contentTopic: topic, payload: [7, 7])
        #expect(await NimbusWakuTests.first(of: atSecond)?.payload == [7, 7])
        // The second node stored the relayed message too.
        #expect(try await second.history(contentTopics: [topic], timeRange: nil).map(\.payload) == [[7, 7]])
    }

    /// A peer of another cluster is disconnected after the metadata exchange (64/WAKU2-NETWORK).
    @Test func metadataClusterMismatchDisconnects() async throws {
        let network = InMemoryNetwork()
        let serviceTransport = network.makeTransport("service")
        let service = WakuNode(
            configuration: Self.configuration(.service, bootstrap: []), transport: serviceTransport, seed: 8)
        var foreign = Self.configuration(.client, bootstrap: [serviceTransport.address])
        foreign.sharding = AutoSharding(cluster: 16, shardCount: 8)
        foreign.peerWaitTimeout = .milliseconds(300)
        let client = WakuNode(configuration: foreign, transport: network.makeTransport("foreign"), seed: 9)
        await service.start()
        await client.start()
        defer {
            Task {
                await client.stop(); await service.stop()
            }
        }
        try await Task.sleep(for: .milliseconds(500))
        #expect(await client.health().peers.allSatisfy { !$0.metadataVerified })
        #expect(await eventually { await service.health().peers.isEmpty })
        await #expect(throws: WakuNodeError.self) {
            try await client.publish(contentTopic: "/nimbus/1/test/proto", payload: [1])
        }
    }

    /// Invalid input fails with errors a user can act on.
    @Test func apiErrors() async throws {
        let network = InMemoryNetwork()
        var configuration = Self.configuration(.client, bootstrap: [])
        configuration.peerWaitTimeout = .milliseconds(100)
        let node = WakuNode(configuration: configuration, transport: network.makeTransport("lonely"), seed: 10)
        await #expect(throws: WakuNodeError.notRunning) { try await node.publish(contentTopic: topic, payload: []) }
        await node.start()
        defer { Task { await node.stop() } }
        await #expect(throws: WakuNodeError.invalidContentTopic("bad", .mustStartWithSlash)) {
            try await node.publish(contentTopic: "bad", payload: [])
        }
        let tooLarge = await #expect(throws: WakuNodeError.self) {
            try await node.publish(contentTopic: topic, payload: [UInt8](repeating: 0, count: 153_600))
        }
        guard case .messageTooLarge(let size) = tooLarge else {
            Issue.record("expected messageTooLarge, got \(String(describing: tooLarge))")
            return
        }
        #expect(size > WakuMessage.maxEncodedSize)
        await #expect(throws: WakuNodeError.noServicePeer(protocolID: WakuProtocolID.lightPush)) {
            try await node.publish(contentTopic: topic, payload: [1])
        }
        await #expect(throws: WakuNodeError.noServicePeer(protocolID: WakuProtocolID.store)) {
            _ = try await node.history(contentTopics: [topic], timeRange: nil)
        }
        var iterator = await node.subscribe(contentTopics: ["not a topic"]).makeAsyncIterator()
        #expect(await iterator.next() == nil)
        #expect(await node.health().status == .disconnected)
    }
}
